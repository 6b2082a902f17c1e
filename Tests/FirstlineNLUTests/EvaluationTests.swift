import Foundation
import Testing
@testable import FirstlineNLU

@Suite("Evaluation: threshold selection and figures")
struct EvaluationTests {
    func oos(_ top: String, _ confidence: Float) -> Prediction { Prediction(gold: "oos", top: top, confidence: confidence) }

    @Test("the lowest threshold that reaches the out-of-scope recall on validation")
    func lowestThreshold() {
        let validation = [
            oos("a", 0.9), oos("b", 0.2), oos("a", 0.5), oos("oos", 0.8),
            Prediction(gold: "a", top: "a", confidence: 0.1),
        ]
        // One of four is already rejected by the oos class; 50% needs one more: the least
        // confident accepted one (0.2), so the threshold is just above 0.2.
        let half = ThresholdSelection.lowestThreshold(reachingOutOfScopeRecall: 0.5, on: validation)
        #expect(half == Float(0.2).nextUp)
        #expect(EvaluationReport(validation, threshold: half).outOfScopeRecall == 50)
        let threeQuarters = ThresholdSelection.lowestThreshold(reachingOutOfScopeRecall: 0.75, on: validation)
        #expect(threeQuarters > 0.5 && threeQuarters < 0.51)
        #expect(ThresholdSelection.lowestThreshold(reachingOutOfScopeRecall: 0.25, on: validation) == 0)
        #expect(ThresholdSelection.lowestThreshold(reachingOutOfScopeRecall: 1, on: validation) > 0.9)
        #expect(ThresholdSelection.lowestThreshold(reachingOutOfScopeRecall: 0.5, on: [Prediction(gold: "a", top: "a", confidence: 1)]) == 0)
    }

    @Test("accuracy, in-scope accuracy, out-of-scope recall and macro F1 by hand")
    func figures() {
        let predictions = [
            Prediction(gold: "a", top: "a", confidence: 0.9),
            Prediction(gold: "a", top: "b", confidence: 0.9),
            Prediction(gold: "b", top: "b", confidence: 0.9),
            Prediction(gold: "b", top: "b", confidence: 0.1),  // rejected at 0.5
            Prediction(gold: "oos", top: "a", confidence: 0.3),  // rejected at 0.5
        ]
        let report = EvaluationReport(predictions, threshold: 0.5)
        #expect(report.accuracy == 60)
        #expect(report.inScopeAccuracy == 50)
        #expect(report.outOfScopeRecall == 100)
        // F1: a = 2·1·0.5/1.5 = 66.7; b = 2·0.5·0.5/1 = 50; oos = 2·0.5·1/1.5 = 66.7
        #expect(abs(report.macroF1 - (200.0 / 3 + 50 + 200.0 / 3) / 3) < 1e-9)
        #expect(report.confusedPairs.first.map { [$0.expected, $0.got] } == ["a", "b"])
    }

    @Test("a data file with a bad line names the file and the line")
    func badDataLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).jsonl").path
        try Data("{\"text\": \"hi\", \"intent\": \"greet\"}\n\n{\"text\": \"oops\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: NLUError(file: "\(path):3", field: "intent", problem: "is missing, empty or not a string")) {
            _ = try IntentDataset(contentsOf: path)
        }
    }

    @Test("dataset evaluation learns a tiny task and picks its threshold on validation only")
    func datasetEvaluation() throws {
        func write(_ rows: [(String, String)]) throws -> IntentDataset {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("ds-\(UUID()).jsonl").path
            let text = rows.map { "{\"text\": \"\($0.0)\", \"intent\": \"\($0.1)\"}" }.joined(separator: "\n")
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return try IntentDataset(contentsOf: path)
        }
        let train = try write([
            ("set an alarm for 7", "alarm"), ("wake me up at six", "alarm"), ("alarm tomorrow morning", "alarm"),
            ("what's the weather", "weather"), ("will it rain today", "weather"), ("is it sunny outside", "weather"),
            ("sing me a song", "oos"), ("who is the president", "oos"),
        ])
        let validation = try write([("rain tomorrow?", "weather"), ("tell me a story", "oos"), ("what is love", "oos")])
        let test = try write([("alarm at 8 please", "alarm"), ("is it going to rain", "weather"), ("play chess with me", "oos")])
        let unthresholded = DatasetEvaluation(train: train, validation: validation, test: test, outOfScopeRecallTarget: nil)
        #expect(unthresholded.threshold == 0)
        #expect(unthresholded.report.inScopeAccuracy == 100)
        #expect(unthresholded.reportByLanguage.isEmpty)
        let evaluation = DatasetEvaluation(train: train, validation: validation, test: test, outOfScopeRecallTarget: 1)
        let model = IntentModel(training: train.labelled)
        let onValidation = DatasetEvaluation.predict(model, validation).predictions
        #expect(evaluation.threshold == ThresholdSelection.lowestThreshold(reachingOutOfScopeRecall: 1, on: onValidation))
        #expect(EvaluationReport(onValidation, threshold: evaluation.threshold).outOfScopeRecall == 100)
    }
}
