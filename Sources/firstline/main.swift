import Foundation
import FirstlineNLU

let arguments = Array(CommandLine.arguments.dropFirst())
func value(_ flag: String) -> String? {
    guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}
if let tokPath = value("--tokens") {
    var out = ""
    for split in ["train", "val", "test"] {
        let ds = try! IntentDataset(contentsOf: value("--" + split)!)
        for row in ds.rows {
            let a = AnalysedText(row.text)
            let obj: [String: Any] = ["split": split, "gold": row.intent, "s": a.strippedTokens.map(\.featureForm), "f": a.foldedTokens.map(\.featureForm), "k": a.strippedTokens.map { $0.kind == .word ? 1 : 0 }]
            out += String(data: try! JSONSerialization.data(withJSONObject: obj), encoding: .utf8)! + "\n"
        }
    }
    try! out.write(toFile: tokPath, atomically: true, encoding: .utf8)
    exit(0)
}
if !arguments.contains("--profile") && value("--dump") == nil { do {
    let train = try IntentDataset(contentsOf: value("--train")!)
    let test = try IntentDataset(contentsOf: value("--test")!)
    let val = try value("--val").map(IntentDataset.init(contentsOf:))
    var settings = ClassifierSettings()
    if let v = value("--share").flatMap(Float.init) { settings.bayesShare = v }
    if let v = value("--cost").flatMap(Float.init) { settings.cost = v }
    if let v = value("--chars") { let p = v.split(separator: "-").map { Int($0)! }; settings.features.characterNGrams = p[0]...p[1] }
    if let v = value("--temp").flatMap(Float.init) { settings.temperature = v }
    if let v = value("--cidf") { settings.characterIDF = v == "1" }
    let e = DatasetEvaluation(train: train, validation: val, test: test,
        outOfScopeRecallTarget: value("--oos-recall-target").flatMap(Double.init), settings: settings)
    print(e.report.inScopeAccuracy ?? -1, e.report.outOfScopeRecall ?? -1, e.threshold, e.trainingSeconds, e.medianMicroseconds, e.weightBytes)
} catch { print(error) } }
if arguments.contains("--profile") {
    let train = try! IntentDataset(contentsOf: value("--train")!)
    let test = try! IntentDataset(contentsOf: value("--test")!)
    var settings = ClassifierSettings()
    if let v = value("--chars") { let p = v.split(separator: "-").map { Int($0)! }; settings.features.characterNGrams = p[0]...p[1] }
    let model = IntentModel(training: train.labelled, settings: settings)
    let texts = test.rows.map(\.text)
    let clock = ContinuousClock()
    var sink = 0
    let t1 = clock.measure { for t in texts { sink &+= AnalysedText(t).strippedTokens.count } }
    let analysed = texts.map { AnalysedText($0) }
    let ex = FeatureExtractor(settings: settings.features)
    let t2 = clock.measure { for a in analysed { sink &+= ex.features(of: a).characters.count } }
    let vectors = analysed.map { model.vector(of: $0) }
    let t3 = clock.measure { for a in analysed { sink &+= model.vector(of: a).columns.count } }
    var sc: [[Float]] = []
    let t4 = clock.measure { for v in vectors { sc.append(model.scores(of: v)) } }
    let tAll = clock.measure { for t in texts { sink &+= Int(model.probabilities(of: t)[0]) } }
    print("whole", tAll.inSeconds / Double(texts.count) * 1e6)
    var mismatches = 0
    for (t, a) in zip(texts, analysed) where model.vector(of: t).columns != model.vector(of: a).columns { mismatches += 1 }
    for t in texts { let a = AnalysedText(t, locale: "tr"); if model.vector(of: t, locale: "tr").values != model.vector(of: a).values { mismatches += 1 } }
    print("fast-path mismatches", mismatches)
    let t5 = clock.measure { for s in sc { sink &+= Int(model.probabilities(from: s)[0]) } }
    let n = Double(texts.count)
    print("analyse", t1.inSeconds / n * 1e6, "features", t2.inSeconds / n * 1e6, "vector(incl features)", t3.inSeconds / n * 1e6, "scores", t4.inSeconds / n * 1e6, "probs", t5.inSeconds / n * 1e6, sink)
}
if let dumpPath = value("--dump") {
    var settings = ClassifierSettings()
    if let v = value("--chars") { let p = v.split(separator: "-").map { Int($0)! }; settings.features.characterNGrams = p[0]...p[1] }
    let train = try! IntentDataset(contentsOf: value("--train")!)
    let model = IntentModel(training: train.labelled, settings: settings)
    var out = ""
    for split in ["val", "test"] {
        let ds = try! IntentDataset(contentsOf: value("--" + split)!)
        for row in ds.rows {
            let v = model.vector(of: AnalysedText(row.text))
            let (m, b) = model.rawScores(of: v)
            let obj: [String: Any] = ["split": split, "gold": row.intent, "m": m.map(Double.init), "b": b.map(Double.init)]
            out += String(data: try! JSONSerialization.data(withJSONObject: obj), encoding: .utf8)! + "\n"
        }
    }
    try! out.write(toFile: dumpPath, atomically: true, encoding: .utf8)
    print(model.labels.joined(separator: ","))
}
