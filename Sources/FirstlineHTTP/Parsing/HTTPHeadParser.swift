/// Parses a complete request head (request line, field lines, final empty line) into an
/// `HTTPRequestHead`, strictly per RFC 9112. The decoder has already found the head's end,
/// checked its size and that every CR is followed by LF.
///
/// Decisions (documented here, tested in `HTTPRequestDecoderTests`):
/// - Lines may end in CRLF or a bare LF (RFC 9112 §2.2 lets a recipient accept LF); a bare
///   CR is an error. Chunked framing lines, where smuggling lives, must end in CRLF.
/// - Content-Length more than once is refused, even with identical values (RFC 9110 §8.6
///   permits accepting those; nginx and Node refuse them too, and so do we).
/// - Transfer-Encoding must be exactly `chunked` as its only coding: another coding before
///   it is 501 (none is implemented); `chunked` not last, or twice, is 400 (RFC 9112 §6.3).
/// - Targets: origin-form, absolute-form (`http://host/p`, path taken from it) and `*` for
///   OPTIONS; anything else is 400.
enum HTTPHeadParser {
    /// - Parameter head: the bytes from the request line through the empty line.
    /// - Throws: `HTTPParseError` naming the first violation.
    /// - Complexity: O(n) in the head's length.
    static func parse(_ head: UnsafeRawBufferPointer, maxBodyBytes: Int) throws(HTTPParseError) -> HTTPRequestHead {
        var lines = LineIterator(head)
        guard let requestLine = lines.next() else { throw .malformedRequestLine }
        let (method, target, minorVersion) = try parseRequestLine(requestLine)

        var headers = HTTPHeaders()
        var contentLength: Int?
        var codings: [UnsafeRawBufferPointer] = []
        var hostCount = 0
        var hasClose = false
        var hasKeepAlive = false
        var expectsContinue = false

        while let line = lines.next(), !line.isEmpty {
            guard !ByteClass.isWhitespace(line[0]) else { throw .obsoleteLineFolding }
            let (name, value) = try splitField(line)
            switch name.count {
            case 4 where ByteClass.equalsIgnoringCase(name, "host"):
                hostCount += 1
            case 6 where ByteClass.equalsIgnoringCase(name, "expect"):
                expectsContinue = expectsContinue || ByteClass.equalsIgnoringCase(value, "100-continue")
            case 10 where ByteClass.equalsIgnoringCase(name, "connection"):
                forEachListElement(value) { token in
                    if ByteClass.equalsIgnoringCase(token, "close") { hasClose = true }
                    if ByteClass.equalsIgnoringCase(token, "keep-alive") { hasKeepAlive = true }
                }
            case 14 where ByteClass.equalsIgnoringCase(name, "content-length"):
                guard contentLength == nil else { throw .duplicateContentLength }
                contentLength = try parseContentLength(value)
            case 17 where ByteClass.equalsIgnoringCase(name, "transfer-encoding"):
                forEachListElement(value) { codings.append($0) }
                if codings.isEmpty { throw .invalidTransferEncoding }
            default:
                break
            }
            headers.add(try makeString(name), try makeString(value))
        }

        if minorVersion == 1, hostCount != 1 { throw .invalidHost }
        if minorVersion == 0, hostCount > 1 { throw .invalidHost }
        if target.utf8.first == UInt8(ascii: "*"), method != "OPTIONS" { throw .unsupportedTargetForm }

        let framing: HTTPRequestHead.Framing
        if !codings.isEmpty {
            guard contentLength == nil else { throw .contentLengthWithTransferEncoding }
            guard minorVersion == 1 else { throw .transferEncodingInHTTP10 }
            let isChunked = { (coding: UnsafeRawBufferPointer) in ByteClass.equalsIgnoringCase(coding, "chunked") }
            guard let last = codings.last, isChunked(last), codings.dropLast().allSatisfy({ !isChunked($0) }) else {
                throw .invalidTransferEncoding
            }
            guard codings.count == 1 else { throw .unsupportedTransferCoding }
            framing = .chunked
        } else if let length = contentLength, length > 0 {
            guard length <= maxBodyBytes else { throw .bodyTooLarge }
            framing = .length(length)
        } else {
            framing = .none
        }
        return HTTPRequestHead(
            method: method, target: target, minorVersion: minorVersion, headers: headers, framing: framing,
            isKeepAlive: minorVersion == 1 ? !hasClose : (hasKeepAlive && !hasClose),
            expectsContinue: expectsContinue && minorVersion == 1)
    }

    /// `method SP request-target SP HTTP-version`, single spaces (RFC 9112 §3).
    private static func parseRequestLine(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> (String, String, Int) {
        guard let firstSpace = line.firstIndex(of: ByteClass.space) else { throw .malformedRequestLine }
        let method = UnsafeRawBufferPointer(rebasing: line[..<firstSpace])
        guard !method.isEmpty else { throw .malformedRequestLine }
        for byte in method where !ByteClass.token[Int(byte)] { throw .invalidMethod }

        let rest = UnsafeRawBufferPointer(rebasing: line[(firstSpace + 1)...])
        guard let secondSpace = rest.firstIndex(of: ByteClass.space) else { throw .malformedRequestLine }
        let target = UnsafeRawBufferPointer(rebasing: rest[..<secondSpace])
        let version = UnsafeRawBufferPointer(rebasing: rest[(secondSpace + 1)...])
        guard !target.isEmpty else { throw .malformedRequestLine }
        for byte in target where !ByteClass.target[Int(byte)] {
            throw byte == ByteClass.space || byte == ByteClass.tab ? .malformedRequestLine : .invalidTarget
        }

        // HTTP-version = "HTTP/" DIGIT "." DIGIT
        guard version.count == 8, version.starts(with: "HTTP/".utf8), version[6] == UInt8(ascii: "."),
              isDigit(version[5]), isDigit(version[7]) else { throw .malformedRequestLine }
        guard version[5] == UInt8(ascii: "1"), version[7] == UInt8(ascii: "0") || version[7] == UInt8(ascii: "1") else {
            throw .unsupportedVersion
        }
        let first = target[0]
        let isOriginForm = first == UInt8(ascii: "/")
        let isAsterisk = target.count == 1 && first == UInt8(ascii: "*")
        let targetString = String(decoding: target, as: UTF8.self)
        guard isOriginForm || isAsterisk || absoluteFormPath(targetString) != nil else { throw .unsupportedTargetForm }
        return (String(decoding: method, as: UTF8.self), targetString, Int(version[7] - UInt8(ascii: "0")))
    }

    /// For `http://host[:port]/path?q` the origin-form part (`/path?q`, or `/`); nil when
    /// the target is not absolute-form with an http or https scheme and an authority.
    static func absoluteFormPath(_ target: String) -> String? {
        let lower = target.utf8.prefix(8).map(ByteClass.lowercased)
        let schemeLength: Int
        if lower.starts(with: "http://".utf8) {
            schemeLength = 7
        } else if lower.starts(with: "https://".utf8) {
            schemeLength = 8
        } else {
            return nil
        }
        let afterScheme = target.utf8.dropFirst(schemeLength)
        let authorityEnd = afterScheme.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? afterScheme.endIndex
        guard authorityEnd != afterScheme.startIndex else { return nil }
        let rest = String(decoding: target.utf8[authorityEnd...], as: UTF8.self)
        return rest.hasPrefix("/") ? rest : "/" + rest
    }

    /// `field-name ":" OWS field-value OWS`.
    private static func splitField(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer) {
        var index = 0
        while index < line.count, ByteClass.token[Int(line[index])] { index += 1 }
        guard index < line.count, index > 0 else { throw .invalidFieldName }
        guard line[index] == ByteClass.colon else {
            throw ByteClass.isWhitespace(line[index]) ? .whitespaceBeforeColon : .invalidFieldName
        }
        let name = UnsafeRawBufferPointer(rebasing: line[..<index])
        var start = index + 1
        var end = line.count
        while start < end, ByteClass.isWhitespace(line[start]) { start += 1 }
        while end > start, ByteClass.isWhitespace(line[end - 1]) { end -= 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[start..<end])
        for byte in value where !ByteClass.fieldValue[Int(byte)] { throw .invalidFieldValue }
        return (name, value)
    }

    /// `1*DIGIT`, at most 18 digits (no sign, no spaces inside, no list).
    private static func parseContentLength(_ value: UnsafeRawBufferPointer) throws(HTTPParseError) -> Int {
        guard !value.isEmpty, value.count <= 18 else { throw .invalidContentLength }
        var length = 0
        for byte in value {
            guard isDigit(byte) else { throw .invalidContentLength }
            length = length * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return length
    }

    /// Calls `body` for each non-empty element of a comma-separated list, OWS trimmed
    /// (RFC 9110 §5.6.1: empty elements are ignored).
    private static func forEachListElement(_ value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count, value[end] != UInt8(ascii: ",") { end += 1 }
            var low = start
            var high = end
            while low < high, ByteClass.isWhitespace(value[low]) { low += 1 }
            while high > low, ByteClass.isWhitespace(value[high - 1]) { high -= 1 }
            if high > low { body(UnsafeRawBufferPointer(rebasing: value[low..<high])) }
            start = end + 1
        }
    }

    /// A String from field bytes: ASCII directly, anything else only when valid UTF-8.
    @inline(__always)
    private static func makeString(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> String {
        var isASCII = true
        for byte in bytes where byte >= 0x80 { isASCII = false; break }
        if isASCII { return String(decoding: bytes, as: UTF8.self) }
        guard let string = String(validating: bytes, as: UTF8.self) else { throw .invalidFieldValue }
        return string
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

/// Lines of a head ending in LF, with a CR before it dropped.
private struct LineIterator {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func next() -> UnsafeRawBufferPointer? {
        guard position < bytes.count else { return nil }
        var end = position
        while end < bytes.count, bytes[end] != ByteClass.lf { end += 1 }
        let next = end + 1
        if end > position, end <= bytes.count, bytes[end - 1] == ByteClass.cr { end -= 1 }
        let line = UnsafeRawBufferPointer(rebasing: bytes[position..<end])
        position = next
        return line
    }
}
