import Foundation
import Testing
@testable import FirstlineNLU

@Suite("Bundle loading and validation")
struct BundleLoaderTests {
    @Test("a valid bundle loads with its intents sorted and facts per locale")
    func validBundle() throws {
        let bundle = try TestBundle().load().get()
        #expect(bundle.locales == ["en", "tr"])
        #expect(bundle.intents.map(\.id) == ["bonus.wagering", "deposit.methods", "deposit.missing", "oos"])
        #expect(bundle.intent("deposit.missing")?.action == .handoff)
        #expect(bundle.intent("deposit.missing")?.priority == .high)
        #expect(bundle.answer("deposit.methods", locale: "tr") == "En az 10 EUR.")
        #expect(bundle.message("clarify", locale: "en", values: ["option1": "A", "option2": "B"]) == "Did you mean A or B?")
    }

    @Test("an unknown locale in examples names the file and field")
    func unknownLocale() throws {
        var fixture = TestBundle()
        fixture.intents["bonus.wagering"]!["examples"] = ["en": ["a wagering question"], "tr": ["çevrim"], "xx": ["hmm"]]
        #expect(try fixture.errors().contains("bonus.wagering.json: examples.xx: \"xx\" is not a locale of bundle.json"))
    }

    @Test("two files with the same id are refused")
    func duplicateID() throws {
        var fixture = TestBundle()
        var copy = fixture.intents["deposit.methods"]!
        copy["examples"] = ["en": ["totally different words here"], "tr": ["bambaşka kelimeler burada"]]
        fixture.intents["deposit.methods.copy"] = copy
        let errors = try fixture.errors()
        #expect(errors.contains { $0.hasPrefix("deposit.methods.copy.json: id: is \"deposit.methods\" but the file is named deposit.methods.copy.json") })
    }

    @Test("an example listed under two intents is refused, even written without diacritics")
    func exampleUnderTwoIntents() throws {
        var fixture = TestBundle()
        var examples = fixture.intents["deposit.methods"]!["examples"] as! [String: [String]]
        examples["tr"]!.append("Bonus cevrim sarti ne")  // bonus.wagering has "bonus çevrim şartı ne"
        fixture.intents["deposit.methods"]!["examples"] = examples
        let errors = try fixture.errors()
        #expect(errors.contains { $0.contains("\"Bonus cevrim sarti ne\" is also an example of bonus.wagering") })
    }

    @Test("an empty answer is refused")
    func emptyAnswer() throws {
        var fixture = TestBundle()
        fixture.intents["deposit.methods"]!["answers"] = ["en": "  ", "tr": "En az {{deposit.minimum}}."]
        #expect(try fixture.errors().contains("deposit.methods.json: answers.en: is empty; write what the bot says"))
    }

    @Test("a placeholder with no site fact is refused and the usable names are listed")
    func unknownPlaceholder() throws {
        var fixture = TestBundle()
        fixture.intents["deposit.methods"]!["answers"] = ["en": "Write to {{support.email}}", "tr": "x"]
        let errors = try fixture.errors()
        #expect(errors.contains { $0.hasPrefix("deposit.methods.json: answers.en: placeholder {{support.email}} has no site fact") })
    }

    @Test("a malformed placeholder is refused")
    func malformedPlaceholder() throws {
        var fixture = TestBundle()
        fixture.intents["deposit.methods"]!["answers"] = ["en": "Minimum {{deposit.minimum", "tr": "x"]
        #expect(try fixture.errors().contains { $0.contains("answers.en: malformed placeholder") })
    }

    @Test("runtime values are allowed only in the messages that have them")
    func runtimePlaceholders() throws {
        var fixture = TestBundle()
        var messages = fixture.bundle["messages"] as! [String: Any]
        messages["greeting"] = ["en": "You are number {{position}}", "tr": "x"]
        fixture.bundle["messages"] = messages
        #expect(try fixture.errors().contains { $0.hasPrefix("bundle.json: messages.greeting.en: placeholder {{position}}") })
    }

    @Test("a missing bot message is named")
    func missingMessage() throws {
        var fixture = TestBundle()
        var messages = fixture.bundle["messages"] as! [String: Any]
        messages["offline_ack"] = nil
        fixture.bundle["messages"] = messages
        #expect(try fixture.errors().contains("bundle.json: messages.offline_ack: is missing; the dialogue needs it in every locale"))
    }

    @Test("a handoff to a department that does not exist is refused")
    func unknownDepartment() throws {
        var fixture = TestBundle()
        fixture.intents["deposit.missing"]!["department"] = "cashier"
        #expect(try fixture.errors().contains { $0.hasPrefix("deposit.missing.json: department: \"cashier\" is not a department") })
    }

    @Test("unknown fields are refused so typos do not pass silently")
    func unknownField() throws {
        var fixture = TestBundle()
        fixture.intents["deposit.methods"]!["exmaples"] = ["en": ["x"]]
        #expect(try fixture.errors().contains { $0.hasPrefix("deposit.methods.json: exmaples: unknown field") })
    }

    @Test("a newer format version is refused with what to do")
    func newerFormat() throws {
        var fixture = TestBundle()
        fixture.bundle["format"] = 2
        #expect(try fixture.errors().contains { $0.contains("format: is 2, newer than this engine reads (1); upgrade firstline") })
    }

    @Test("a threshold of 0 is a number, not a Boolean; true is refused")
    func thresholdTypes() throws {
        var fixture = TestBundle()
        fixture.bundle["thresholds"] = ["answer": 0.0, "ambiguity_margin": true]
        #expect(try fixture.errors() == ["bundle.json: thresholds.ambiguity_margin: must be a number between 0.0 and 1.0"])
    }

    @Test("an intent without examples in a locale is refused")
    func missingExamples() throws {
        var fixture = TestBundle()
        fixture.intents["deposit.methods"]!["examples"] = ["en": ["how can i deposit"]]
        #expect(try fixture.errors().contains("deposit.methods.json: examples.tr: has no examples; write at least a few as users type them"))
    }

    @Test("malformed JSON names the line and column")
    func malformedJSON() throws {
        let directory = try TestBundle().write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("{\n  \"id\": \"deposit.methods\",\n  \"action\": answer\n}".utf8).write(to: URL(fileURLWithPath: directory + "/deposit.methods.json"))
        do {
            _ = try IntentBundle.load(from: directory)
            Issue.record("a malformed file loaded")
        } catch {
            let message = error.errors.map(\.description).joined(separator: "\n")
            #expect(message.contains("deposit.methods.json: is not valid JSON"))
            #expect(message.contains("line 3"))
        }
    }

    @Test("invalid UTF-8 is refused with the fix")
    func invalidUTF8() throws {
        let directory = try TestBundle().write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D]).write(to: URL(fileURLWithPath: directory + "/broken.json"))
        do {
            _ = try IntentBundle.load(from: directory)
            Issue.record("invalid UTF-8 loaded")
        } catch {
            #expect(error.errors.contains { $0.file.hasSuffix("broken.json") && $0.problem == "is not valid UTF-8; save it as UTF-8" })
        }
    }

    @Test("every problem is reported in one run, not only the first")
    func collectsAllProblems() throws {
        var fixture = TestBundle()
        fixture.intents["deposit.methods"]!["answers"] = ["en": "", "tr": "x"]
        fixture.intents["deposit.missing"]!["department"] = "nowhere"
        fixture.bundle["default_locale"] = "de"
        #expect(try fixture.errors().count >= 3)
    }

    @Test("the bundled intents load cleanly")
    func shippedBundle() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Intents").path
        let (bundle, _) = try IntentBundle.load(from: directory)
        #expect(bundle.locales.count == 6)
        for intent in bundle.intents where !intent.isOutOfScope {
            for locale in bundle.locales {
                #expect((intent.examples[locale]?.count ?? 0) >= 25, "\(intent.id) × \(locale)")
            }
        }
    }
}

@Suite("Near-duplicate examples across intents")
struct NearDuplicateTests {
    @Test("the same words in another order under another intent is a warning, not an error")
    func nearDuplicate() throws {
        var fixture = TestBundle()
        var examples = fixture.intents["deposit.methods"]!["examples"] as! [String: [String]]
        examples["en"]!.append("requirement wagering the is what?")
        fixture.intents["deposit.methods"]!["examples"] = examples
        let directory = try fixture.write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (_, warnings) = try IntentBundle.load(from: directory)
        #expect(warnings.contains { $0.problem.contains("is nearly the same as \"what is the wagering requirement\" of bonus.wagering") })
    }
}

/// Loading with the examples' checks left for later (the service runs them during training).
@Suite("Deferred example checks report what loading reports, in the same order")
struct DeferredExampleChecksTests {
    /// Two intents whose ids sort the other way round from their files ("promo" < "promo.bonus",
    /// "promo.bonus.json" < "promo.json"), sharing one example: the first file owns it.
    static func withPrefixedIntents() -> TestBundle {
        var fixture = TestBundle()
        var template = fixture.intents["deposit.methods"]!
        template["id"] = "promo.bonus"
        template["examples"] = ["en": ["promo code for the bonus", "where do i enter a promo code"],
                                "tr": ["bonus promosyon kodu", "promosyon kodu nereye yazılır"]]
        fixture.intents["promo.bonus"] = template
        template["id"] = "promo"
        template["examples"] = ["en": ["current promotions", "any offers this week"],
                                "tr": ["güncel kampanyalar", "promosyon kodu nereye yazılır"]]
        fixture.intents["promo"] = template
        return fixture
    }

    static func problems(_ fixture: TestBundle) throws -> (inline: BundleProblems, deferred: BundleProblems) {
        let directory = try fixture.write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var inline = BundleProblems(), deferred = BundleProblems()
        do { _ = try IntentBundle.load(from: directory) } catch { inline = error }
        do {
            let (_, checks) = try IntentBundle.loadDeferringExampleChecks(from: directory)
            deferred = checks.run()
            #expect(checks.run(onAllCores: false).description == deferred.description)
        } catch {
            deferred = error
        }
        return (inline, deferred)
    }

    @Test("the first file owns a shared example, whatever the ids' order; same problems in the same order")
    func fileOrderAndSameProblems() throws {
        var fixture = Self.withPrefixedIntents()
        var examples = fixture.intents["deposit.methods"]!["examples"] as! [String: [String]]
        examples["tr"]!.append(examples["tr"]![0])  // a repeat: a warning
        fixture.intents["deposit.methods"]!["examples"] = examples
        let (inline, deferred) = try Self.problems(fixture)
        #expect(inline.errors.map(\.description).contains {
            $0.contains("promo.json") && $0.contains("is also an example of promo.bonus")
        }, "\(inline)")
        #expect(inline.warnings.contains { $0.problem.contains("repeats an earlier example") })
        #expect(deferred.description == inline.description)
    }

    @Test("a bundle the loader refuses is refused by the deferring load with the examples' problems too, in order")
    func loaderErrorsWithExampleErrors() throws {
        var fixture = Self.withPrefixedIntents()
        var answers = fixture.intents["deposit.missing"]!["answers"] as! [String: String]
        answers["en"] = ""  // an empty answer: the loader's own error
        fixture.intents["deposit.missing"]!["answers"] = answers
        let (inline, deferred) = try Self.problems(fixture)
        #expect(inline.errors.count >= 2, "\(inline)")
        #expect(inline.errors.contains { $0.problem.contains("is also an example of promo.bonus") })
        #expect(deferred.description == inline.description)
    }

    @Test("training runs the checks from its own token forms; the model is the one trained without them")
    func trainingWithChecks() throws {
        let fixture = Self.withPrefixedIntents()
        let directory = try fixture.write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var inline = BundleProblems()
        do { _ = try IntentBundle.load(from: directory) } catch { inline = error }
        let (bundle, checks) = try IntentBundle.loadDeferringExampleChecks(from: directory)
        let trained = IntentClassifier.training(bundle, checking: checks)
        #expect(!trained.problems.errors.isEmpty && trained.problems.description == inline.description)

        // A sound bundle: no errors, and the model is bit for bit the one trained from the texts.
        let sound = try TestBundle().write()
        defer { try? FileManager.default.removeItem(atPath: sound) }
        let (soundBundle, soundChecks) = try IntentBundle.loadDeferringExampleChecks(from: sound)
        let soundTrained = IntentClassifier.training(soundBundle, checking: soundChecks)
        #expect(soundTrained.problems.errors.isEmpty)
        var settings = ClassifierSettings.bundle
        settings.outOfScopeFolds = 0
        let plain = IntentModel(training: IntentClassifier.examples(of: soundBundle), settings: settings)
        for (text, locale) in [("bonus çevrim şartı ne", "tr"), ("how do I deposit", "en"), ("param gelmedi", "tr"), ("hello", "en")] {
            #expect(soundTrained.classifier.model.probabilities(of: text, locale: locale).map(\.bitPattern)
                == plain.probabilities(of: text, locale: locale).map(\.bitPattern), "\(text)")
        }
        // Checks of another bundle do not take this bundle's forms: they tokenize again.
        let crossed = IntentClassifier.training(soundBundle, checking: checks)
        #expect(crossed.problems.description == inline.description)
    }
}
