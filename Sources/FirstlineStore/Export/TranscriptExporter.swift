import FirstlineDialogue
import Foundation

/// Writes conversations as transcripts in the DESIGN.md shape — one JSON object a line,
/// `{"id", "locale", "turns": [{"role", "text", ...}]}` — with personal data masked, so
/// trainers can label them (`expect`) and replay them.
///
/// User turns carry what the bot understood (`intent`, `confidence`) so a trainer sees at a
/// glance where it went wrong; `replay` ignores those fields.
public struct TranscriptExporter: Sendable {
    let masker = PersonalDataMasker()

    public init() {}

    /// One line per session, in session-id order; sessions with no user turn are skipped.
    public func jsonLines(_ sessions: [Session]) -> [String] {
        sessions.sorted { $0.id < $1.id }.compactMap { session in
            guard session.transcript.contains(where: { $0.role == .user }) else { return nil }
            let turns: [[String: Any]] = session.transcript.map { turn in
                var object: [String: Any] = ["role": turn.role == .system ? "bot" : turn.role.rawValue, "text": masker.mask(turn.text)]
                if turn.role == .user {
                    object["intent"] = turn.intent ?? "oos"
                    if let confidence = turn.confidence { object["confidence"] = (Double(confidence) * 1000).rounded() / 1000 }
                }
                return object
            }
            let object: [String: Any] = ["id": session.id, "locale": session.locale, "turns": turns]
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
