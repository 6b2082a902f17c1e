import Foundation
import Testing
@testable import FirstlineNLU

@Suite("Trained state saved and restored")
struct TrainedStateTests {
    static let bundle = try! TestBundle().load().get()
    static let classifier = IntentClassifier(bundle: bundle)
    static let messages = ["what is the wagering requirement", "bonus çevrim şartı ne", "cevrim sarti", "my deposit is missing",
                           "para yatırdım gelmedi", "hello there", "🎰", "", "ÇEVRİM ŞARTI", "tell me a joke about cats"]

    @Test("a restored classifier gives exactly the same results")
    func roundTrip() throws {
        let bytes = TrainedState.encode(Self.classifier)
        let restored = try TrainedState.decode(bytes, bundle: Self.bundle)
        for message in Self.messages {
            let a = Self.classifier.classify(message), b = restored.classify(message)
            #expect(a.intent == b.intent && a.confidence == b.confidence && a.locale == b.locale, "\(message)")
            #expect(Self.classifier.model.probabilities(of: message) == restored.model.probabilities(of: message))
        }
        let reencoded = TrainedState.encode(restored) == bytes
        #expect(reencoded, "encoding the restored classifier gives other bytes")
    }

    @Test("the same bundle trained twice is saved byte for byte the same, whatever order its messages iterate in")
    func reproducible() {
        // The same messages in dictionaries of another capacity, which iterate in another
        // order (as each process's hash seed does).
        var reordered = Self.bundle
        var messages = [String: [String: String]](minimumCapacity: 4_096)
        for (key, perLocale) in Self.bundle.messages.sorted(by: { $0.key > $1.key }) {
            var texts = [String: String](minimumCapacity: 64)
            for (locale, text) in perLocale { texts[locale] = text }
            messages[key] = texts
        }
        #expect(messages == Self.bundle.messages)
        #expect(Array(messages.keys) != Array(Self.bundle.messages.keys), "the fixture iterates in another order")
        reordered.messages = messages
        let same = TrainedState.encode(IntentClassifier(bundle: reordered)) == TrainedState.encode(Self.classifier)
        #expect(same, "the saved bytes depend on the order the bundle's dictionaries iterate in")
        // Slots are saved as raw bytes: no unnamed padding, whose bytes would be whatever the heap held.
        #expect(MemoryLayout<FeatureIndex.Slot>.size == MemoryLayout<FeatureIndex.Slot>.stride)
    }

    @Test("cut or damaged bytes are refused with an error, never a crash")
    func damaged() {
        let bytes = TrainedState.encode(Self.classifier)
        var generator = SystemRandomNumberGenerator()
        for cut in [0, 3, 4, 8, 20, bytes.count / 3, bytes.count / 2, bytes.count - 1] {
            #expect(throws: TrainedStateError.self) { try TrainedState.decode(Array(bytes[..<cut]), bundle: Self.bundle) }
        }
        #expect(throws: TrainedStateError.self) { try TrainedState.decode(bytes + [0], bundle: Self.bundle) }
        // Flipped bytes: either refused, or (a flip inside a weight) a classifier that still works.
        for _ in 0..<200 {
            var damaged = bytes
            let index = Int.random(in: 0..<damaged.count, using: &generator)
            damaged[index] ^= UInt8.random(in: 1...255, using: &generator)
            if let restored = try? TrainedState.decode(damaged, bundle: Self.bundle) {
                _ = restored.classify("bonus çevrim şartı")
            }
        }
    }

    @Test("state trained on one bundle is refused for another")
    func otherBundle() throws {
        var fixture = TestBundle()
        fixture.bundle["locales"] = ["en"]
        fixture.bundle["default_locale"] = "en"
        let bytes = TrainedState.encode(Self.classifier)
        if let other = try? fixture.load().get() {
            #expect(throws: TrainedStateError.self) { try TrainedState.decode(bytes, bundle: other) }
        }
    }
}
