import FirstlineNLU
import Foundation

/// A file of proposed training examples a trainer reviews, then applies with
/// `firstline apply FILE`: groups of messages, each group with the intent they should teach
/// (`null` until the trainer decides; such groups are skipped).
///
/// `replay --suggest` writes one group per expected intent and locale from the turns it got
/// wrong; `review` writes the live messages the bot did not understand, grouped by similarity,
/// with the classifier's best guess beside each group.
public struct ExampleProposals: Sendable {
    /// One message to add.
    public struct Example: Sendable, Equatable {
        public var locale: String
        public var text: String
        public var source: String

        public init(locale: String, text: String, source: String) {
            self.locale = locale
            self.text = text
            self.source = source
        }
    }

    /// Messages that belong together.
    public struct Group: Sendable {
        /// The intent to add them to; nil until decided.
        public var intent: String?
        /// The classifier's best guess, for the trainer.
        public var guess: String?
        public var examples: [Example]
    }

    public var groups: [Group]

    public init(groups: [Group]) { self.groups = groups }

    /// Proposals from replayed turns whose intent was wrong: each message under the intent it
    /// was expected to be.
    public init(failures turns: [ReplayedTurn]) {
        var byKey: [String: Group] = [:]
        for turn in turns where turn.isIntentRight == false {
            guard let intent = turn.expected?.intent else { continue }
            let key = intent + "|" + turn.language
            byKey[key, default: Group(intent: intent, guess: nil, examples: [])].examples
                .append(Example(locale: turn.language, text: turn.text, source: turn.source))
        }
        groups = byKey.keys.sorted().map { byKey[$0]! }
    }

    /// Groups messages whose diacritic-free word sets overlap by at least `similarity`
    /// (Jaccard), greedily, largest groups first.
    /// - Complexity: O(messages × groups).
    public init(unrecognised messages: [(example: Example, guess: String?)], similarity: Double = 0.35) {
        var groups: [(words: Set<String>, group: Group)] = []
        for (example, guess) in messages {
            let words = Set(AnalysedText(example.text, locale: example.locale).strippedTokens.map(\.featureForm))
            if let index = groups.firstIndex(where: { Self.jaccard($0.words, words) >= similarity }) {
                groups[index].group.examples.append(example)
            } else {
                groups.append((words, Group(intent: nil, guess: guess, examples: [example])))
            }
        }
        self.groups = groups.map(\.group).sorted { $0.examples.count > $1.examples.count }
    }

    static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }

    /// The file's JSON.
    public func jsonData() throws -> Data {
        let object: [String: Any] = [
            "kind": "firstline-examples",
            "how": "Set \"intent\" for each group to keep (null groups are skipped), delete messages you do not want, then run: firstline apply THIS_FILE",
            "groups": groups.map { group in
                let intent: Any = group.intent ?? NSNull(), guess: Any = group.guess ?? NSNull()
                return ["intent": intent, "guess": guess,
                        "examples": group.examples.map { ["locale": $0.locale, "text": $0.text, "source": $0.source] }] as [String: Any]
            },
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// Reads a proposals file.
    /// - Throws: `NLUError` naming the file and the group that is malformed.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw NLUError(file: path, problem: "cannot be read") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["kind"] as? String == "firstline-examples",
              let groups = object["groups"] as? [[String: Any]] else {
            throw NLUError(file: path, problem: "is not a proposals file (write one with firstline replay --suggest or firstline review)")
        }
        self.groups = try groups.enumerated().map { index, group in
            guard let examples = group["examples"] as? [[String: Any]] else {
                throw NLUError(file: path, field: "groups[\(index)].examples", problem: "must be a list of {locale, text}")
            }
            return Group(
                intent: group["intent"] as? String, guess: group["guess"] as? String,
                examples: try examples.enumerated().map { position, example in
                    guard let locale = example["locale"] as? String, let text = example["text"] as? String else {
                        throw NLUError(file: path, field: "groups[\(index)].examples[\(position)]", problem: "needs \"locale\" and \"text\"")
                    }
                    return Example(locale: locale, text: text, source: example["source"] as? String ?? "")
                })
        }
    }
}
