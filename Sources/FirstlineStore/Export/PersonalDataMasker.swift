import Foundation

/// Masks personal data in conversation text before it leaves the desk (transcript export):
/// payment card numbers (13–19 digits passing the Luhn check), IBANs (ISO 13616 shape with a
/// valid mod-97 check), e-mail addresses and phone numbers (a leading `+`, or 10–15 digits).
///
/// Bet and transaction ids of up to nine digits are kept: trainers need the shape of a message
/// and agents need ids, but nobody downstream needs a card or a phone number.
public struct PersonalDataMasker: Sendable {
    /// What replaces each kind.
    public static let card = "[card]", iban = "[iban]", email = "[email]", phone = "[phone]", number = "[number]"

    private static let emailPattern = try! NSRegularExpression(
        pattern: #"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"#)
    private static let ibanPattern = try! NSRegularExpression(
        pattern: #"\b[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]){11,30}\b"#)
    private static let digitRunPattern = try! NSRegularExpression(
        pattern: #"\+?\(?[0-9][0-9 ()\-.]{7,}[0-9]"#)

    public init() {}

    /// The text with personal data replaced.
    /// - Complexity: O(n) in the length of the text.
    public func mask(_ text: String) -> String {
        var result = replace(Self.emailPattern, in: text) { _ in Self.email }
        result = replaceIBANs(in: result)
        result = replace(Self.digitRunPattern, in: result) { match in
            let digits = match.filter(\.isNumber)
            if (13...19).contains(digits.count) && Self.passesLuhn(digits) { return Self.card }
            if match.hasPrefix("+") && (8...15).contains(digits.count) { return Self.phone }
            if (10...15).contains(digits.count) { return Self.phone }
            if digits.count >= 16 { return Self.number }  // card-like, mistyped: still private
            return nil
        }
        return result
    }

    /// IBANs: the longest prefix of a candidate (ending at a group boundary) that passes the
    /// mod-97 check, so words after the number are not swallowed.
    private func replaceIBANs(in text: String) -> String {
        replace(Self.ibanPattern, in: text) { _ in nil } == text ? replaceIBANCandidates(text) : text
    }

    private func replaceIBANCandidates(_ text: String) -> String {
        let range = NSRange(text.startIndex..., in: text)
        var result = ""
        var last = text.startIndex
        for match in Self.ibanPattern.matches(in: text, range: range) {
            guard let swiftRange = Range(match.range, in: text) else { continue }
            var candidate = text[swiftRange]
            while !Self.isIBAN(String(candidate)), let space = candidate.lastIndex(of: " ") {
                candidate = candidate[..<space]
            }
            guard Self.isIBAN(String(candidate)) else { continue }
            result += text[last..<swiftRange.lowerBound]
            result += Self.iban
            last = candidate.endIndex
        }
        return result + text[last...]
    }

    private func replace(_ pattern: NSRegularExpression, in text: String, with replacement: (String) -> String?) -> String {
        let range = NSRange(text.startIndex..., in: text)
        var result = ""
        var last = text.startIndex
        for match in pattern.matches(in: text, range: range) {
            guard let swiftRange = Range(match.range, in: text), let value = replacement(String(text[swiftRange])) else { continue }
            result += text[last..<swiftRange.lowerBound]
            result += value
            last = swiftRange.upperBound
        }
        return result + text[last...]
    }

    /// The Luhn (mod 10) check of card numbers.
    static func passesLuhn(_ digits: String) -> Bool {
        var sum = 0
        for (index, character) in digits.reversed().enumerated() {
            guard var value = character.wholeNumberValue else { return false }
            if index % 2 == 1 { value *= 2; if value > 9 { value -= 9 } }
            sum += value
        }
        return sum % 10 == 0
    }

    /// The ISO 13616 mod-97 check of IBANs.
    static func isIBAN(_ text: String) -> Bool {
        let compact = text.filter { !$0.isWhitespace }.uppercased()
        guard (15...34).contains(compact.count) else { return false }
        let rearranged = compact.dropFirst(4) + compact.prefix(4)
        var remainder = 0
        for character in rearranged {
            if let digit = character.wholeNumberValue, character.isASCII {
                remainder = (remainder * 10 + digit) % 97
            } else if let ascii = character.asciiValue, (65...90).contains(ascii) {
                remainder = (remainder * 100 + Int(ascii) - 55) % 97
            } else {
                return false
            }
        }
        return remainder == 1
    }
}
