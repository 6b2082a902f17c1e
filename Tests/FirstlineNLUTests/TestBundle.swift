import Foundation
@testable import FirstlineNLU

/// Writes small intent bundles to temporary folders, so loader and classifier tests start
/// from a valid bundle and change one thing.
struct TestBundle {
    var bundle: [String: Any]
    var intents: [String: [String: Any]]

    static let messageKeys = [
        "greeting", "fallback", "clarify", "did_it_help", "not_helped", "offer_human", "handoff_queued",
        "offline_ack", "agent_joined", "agent_left", "handed_back", "survey", "survey_thanks", "goodbye",
        "idle_closed", "frustration", "yes", "no", "talk_to_human",
    ]

    /// Two locales (en, tr), three intents and out-of-scope examples.
    init() {
        var messages: [String: Any] = [:]
        for key in Self.messageKeys { messages[key] = ["en": "en \(key)", "tr": "tr \(key)"] }
        messages["clarify"] = ["en": "Did you mean {{option1}} or {{option2}}?", "tr": "{{option1}} mi {{option2}} mi?"]
        bundle = [
            "format": 1, "locales": ["en", "tr"], "default_locale": "en",
            "thresholds": ["answer": 0.3, "ambiguity_margin": 0.1],
            "departments": [
                "general": ["name": ["en": "Support", "tr": "Destek"], "sla_minutes": 10, "response_hours": 24],
                "payments": ["name": ["en": "Payments", "tr": "Ödemeler"], "sla_minutes": 10, "response_hours": 24],
            ],
            "site": ["site.name": "TestBet", "deposit.minimum": ["en": "10 EUR", "tr": "10 EUR"]],
            "messages": messages,
        ]
        intents = [
            "bonus.wagering": [
                "id": "bonus.wagering", "summary": "Wagering", "action": "answer",
                "keywords": ["tr": ["çevrim"], "en": ["wagering"]],
                "examples": [
                    "en": ["what is the wagering requirement", "how many times do i need to wager the bonus", "rollover of the bonus",
                           "bonus turnover conditions", "wagering rules for my bonus", "how much must i bet to clear the bonus"],
                    "tr": ["bonus çevrim şartı ne", "çevrim şartı kaç katı", "bonusu kaç kere çevirmem lazım", "cevrim sarti nedir",
                           "bonus çevrimi nasıl yapılır", "çevrim kuralları neler"],
                ],
                "answers": ["en": "See {{site.name}} terms.", "tr": "{{site.name}} kurallarına bakın."],
            ],
            "deposit.methods": [
                "id": "deposit.methods", "summary": "Deposit methods", "action": "answer",
                "examples": [
                    "en": ["how can i deposit", "which payment methods do you accept", "minimum deposit amount", "can i deposit with a card",
                           "deposit options please", "how to add money to my account"],
                    "tr": ["nasıl para yatırırım", "yatırım yöntemleri neler", "minimum yatırım ne kadar", "kartla yatırım yapabilir miyim",
                           "para yatirma yollari", "hesaba para nasıl eklenir"],
                ],
                "answers": ["en": "Minimum is {{deposit.minimum}}.", "tr": "En az {{deposit.minimum}}."],
            ],
            "deposit.missing": [
                "id": "deposit.missing", "summary": "Missing deposit", "action": "handoff", "department": "payments", "priority": "high",
                "examples": [
                    "en": ["my deposit did not arrive", "money left my card but balance is zero", "deposit not credited", "i paid but nothing on my account",
                           "deposited 50 eur an hour ago still not there", "where is my deposit"],
                    "tr": ["yatırdığım para gelmedi", "param hesaba geçmedi", "yatırım yansımadı", "karttan çekildi ama bakiye yok",
                           "yatirim gozukmuyor", "para yatırdım hesapta yok"],
                ],
                "answers": ["en": "Passing you to payments.", "tr": "Ödemeler ekibine aktarıyorum."],
            ],
            "oos": [
                "id": "oos", "summary": "Out of scope", "action": "none",
                "examples": [
                    "en": ["what is the weather tomorrow", "give me a pasta recipe", "who won the election", "tell me a joke"],
                    "tr": ["yarın hava nasıl", "makarna tarifi ver", "seçimi kim kazandı", "bana fıkra anlat"],
                ],
            ],
        ]
    }

    /// Writes the bundle to a new temporary folder and returns its path.
    func write() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: bundle, options: [.sortedKeys])
            .write(to: URL(fileURLWithPath: directory + "/bundle.json"))
        for (id, intent) in intents {
            try JSONSerialization.data(withJSONObject: intent, options: [.sortedKeys])
                .write(to: URL(fileURLWithPath: directory + "/\(id).json"))
        }
        return directory
    }

    /// Loads the written bundle, returning the errors when it does not load.
    func load() throws -> Result<IntentBundle, BundleProblems> {
        let directory = try write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            return .success(try IntentBundle.load(from: directory).bundle)
        } catch {
            return .failure(error)
        }
    }

    /// The errors of the bundle, as "file-name: field: problem" lines (folder removed).
    func errors() throws -> [String] {
        switch try load() {
        case .success: return []
        case .failure(let problems):
            return problems.errors.map { error in
                let file = (error.file as NSString).lastPathComponent
                return [file, error.field, error.problem].compactMap { $0 }.joined(separator: ": ")
            }
        }
    }
}
