import Foundation
import Testing
@testable import FirstlineNLU

@Suite("Out-of-scope calibration")
struct OutOfScopeCalibratorTests {
    @Test("the fit separates in-scope from out-of-scope scores on a small synthetic set")
    func fitSeparates() throws {
        // In scope: confident and typical; out of scope: less confident, far less typical.
        var random = SplitMix64(seed: 7)
        func uniform() -> Float { Float(random.next() % 10_000) / 10_000 }
        var confidences: [Float] = [], typicalities: [Float] = [], inScope: [Bool] = []
        for _ in 0..<200 {
            confidences.append(0.5 + 0.5 * uniform()); typicalities.append(-6 + 2 * uniform()); inScope.append(true)
        }
        for _ in 0..<20 {
            confidences.append(0.3 + 0.5 * uniform()); typicalities.append(-9 + 2 * uniform()); inScope.append(false)
        }
        let calibrator = try #require(OutOfScopeCalibrator.fit(confidences: confidences, typicalities: typicalities, inScope: inScope))
        #expect(calibrator.confidenceWeight > 0)
        #expect(calibrator.typicalityWeight > 0)
        // Typicality alone separates the two groups here: every in-scope example must score
        // above every out-of-scope one.
        let scores = zip(confidences, typicalities).map { calibrator.inScopeProbability(confidence: $0, typicality: $1) }
        let lowestIn = zip(scores, inScope).filter { $0.1 }.map(\.0).min()!
        let highestOut = zip(scores, inScope).filter { !$0.1 }.map(\.0).max()!
        #expect(lowestIn > highestOut)
        #expect(calibrator.inScopeProbability(confidence: 0.9, typicality: -5) > 0.9)
        #expect(calibrator.inScopeProbability(confidence: 0.4, typicality: -9) < 0.1)
    }

    @Test("no calibrator without both kinds of example")
    func needsBothClasses() {
        #expect(OutOfScopeCalibrator.fit(confidences: [0.9, 0.8], typicalities: [-5, -6], inScope: [true, true]) == nil)
        #expect(OutOfScopeCalibrator.fit(confidences: [0.9, 0.8], typicalities: [-5, -6], inScope: [false, false]) == nil)
    }

    @Test("a model trained with out-of-scope examples gets a calibrator that ranks unrelated text lower")
    func modelCalibrates() throws {
        let intents: [String: [String]] = [
            "balance": ["what is my balance", "show my account balance", "how much money do i have", "balance please",
                        "check my balance", "tell me my balance now", "current balance of my account", "my balance today"],
            "transfer": ["send money to my friend", "transfer money to savings", "make a transfer", "wire money abroad",
                         "move money between accounts", "transfer fifty to john", "send a payment", "pay my friend back"],
            "card": ["my card is lost", "block my card", "card was stolen", "freeze my credit card",
                     "i lost my debit card", "cancel my card", "replace my card", "report a stolen card"],
            "oos": ["what is the weather like", "tell me a joke", "who won the game", "play some music",
                    "how tall is everest", "recipe for pancakes", "what time is it in tokyo", "translate hello to french"],
        ]
        // In a fixed order (a dictionary's order changes from run to run, and with it the folds).
        let examples = intents.keys.sorted().flatMap { label in intents[label]!.map { LabelledText(text: $0, label: label) } }
        let model = IntentModel(training: examples)
        let calibrator = try #require(model.outOfScope)
        #expect(calibrator.bias.isFinite && calibrator.confidenceWeight.isFinite && calibrator.typicalityWeight.isFinite)
        let inScope = model.decision(of: "please check my balance")
        #expect(model.labels[inScope.best] == "balance")
        #expect(inScope.inScopeProbability != nil)
        #expect(model.decision(of: "").inScopeProbability == 0)
        // Without out-of-scope examples, or with calibration off, there is none.
        #expect(IntentModel(training: examples.filter { $0.label != "oos" }).outOfScope == nil)
        #expect(IntentModel(training: examples, settings: ClassifierSettings(outOfScopeFolds: 0)).outOfScope == nil)
        // The decision's label and confidence are those of `probabilities`.
        let probabilities = model.probabilities(of: "please check my balance")
        #expect(abs(probabilities[inScope.best] - inScope.confidence) < 1e-6)
    }
}

@Suite("Training matrix pruning")
struct TrainingMatrixPruningTests {
    @Test("columns seen in one row leave the rows, each view normalised again")
    func pruned() {
        // Columns 0–1 are words, 2–3 characters. Column 1 and 3 occur once.
        let s = Float(0.5).squareRoot()
        func vector(_ columns: [Int32], _ values: [Float]) -> SparseVector {
            var vector = SparseVector()
            vector.columns = columns
            vector.values = values
            return vector
        }
        let matrix = TrainingMatrix(
            vectors: [vector([0, 1, 2, 3], [s, s, s, s]), vector([0, 2], [1, 1])],
            labels: [0, 1], columnCount: 4)
        let pruned = matrix.pruned(minimumDocumentFrequency: 2, wordColumns: 2)
        #expect(pruned.rowStarts == [0, 2, 4])
        #expect(pruned.columns == [0, 2, 0, 2])
        #expect(pruned.values.allSatisfy { abs($0 - 1) < 1e-6 })
        #expect(pruned.squaredNorms.allSatisfy { abs($0 - 3) < 1e-5 })
        #expect(pruned.labels == matrix.labels)
    }
}
