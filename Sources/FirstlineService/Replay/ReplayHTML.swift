import FirstlineNLU
import Foundation

/// The replay as one self-contained HTML page (inline CSS and SVG, no network): the
/// per-language table, the confusion matrix as a heat map, the threshold curve, and the failing
/// turns with the n-grams that drove each wrong decision.
public struct ReplayHTML: Sendable {
    public let report: ReplayReport
    public let sweep: ThresholdSweep
    public let classifier: IntentClassifier
    public let title: String

    public init(report: ReplayReport, sweep: ThresholdSweep, classifier: IntentClassifier, title: String) {
        self.report = report
        self.sweep = sweep
        self.classifier = classifier
        self.title = title
    }

    public func render() -> String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Firstline replay — \(escape(title))</title>
        <style>body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0}
        td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f3f3f3}.bad{color:#b00}.ok{color:#070}
        code{background:#f5f5f5;padding:0 3px}</style></head><body>
        <h1>Replay of \(escape(title))</h1>
        <p>\(report.conversations) conversations, \(report.overall.turns) user turns · containment \(format(report.containmentRate))% ·
        missed handoffs \(report.missedHandoffs.count) · wrong handoffs \(report.wrongHandoffs.count) ·
        responsible-gambling recall \(format(report.responsibleGamblingRecall))%</p>
        <h2>Per language</h2>\(languageTable())
        <h2>Confusion (expected rows × got columns)</h2>\(heatMap())
        <h2>Threshold</h2><p>Share of labelled turns the bot answers by itself (blue) and the accuracy of those answers (green), per confidence threshold.</p>\(curve())
        <h2>Turns that differ</h2>\(failures())
        </body></html>
        """
    }

    func format(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "—" }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    func languageTable() -> String {
        var rows = "<table><tr><th>language</th><th>turns</th><th>intent accuracy</th><th>outcome accuracy</th></tr>"
        for (language, figures) in report.perLanguage.sorted(by: { $0.key < $1.key }) {
            rows += "<tr><td>\(escape(language))</td><td>\(figures.turns)</td><td>\(format(figures.intentAccuracy))</td><td>\(format(figures.outcomeAccuracy))</td></tr>"
        }
        return rows + "<tr><th>all</th><th>\(report.overall.turns)</th><th>\(format(report.overall.intentAccuracy))</th><th>\(format(report.overall.outcomeAccuracy))</th></tr></table>"
    }

    func heatMap() -> String {
        let labels = Array(Set(report.intentReport.f1ByIntent.keys).union(report.intentReport.confusedPairs.map(\.got))).sorted()
        guard !labels.isEmpty else { return "<p>No labelled intents.</p>" }
        var counts: [String: Int] = [:]
        for pair in report.intentReport.confusedPairs { counts[pair.expected + "|" + pair.got] = pair.count }
        // The diagonal: right answers per intent, from recall × support is not kept; use F1 cells as shade.
        let cell = 14, margin = 190
        let size = margin + cell * labels.count + 90
        let maximum = max(1, counts.values.max() ?? 1)
        var svg = "<svg width='\(size)' height='\(size - 80)' font-size='10'>"
        for (i, label) in labels.enumerated() {
            svg += "<text x='\(margin - 4)' y='\(margin + i * cell + 10)' text-anchor='end'>\(escape(label))</text>"
            svg += "<text transform='translate(\(margin + i * cell + 10),\(margin - 4)) rotate(-60)'>\(escape(label))</text>"
        }
        for (r, expected) in labels.enumerated() {
            for (c, got) in labels.enumerated() {
                let value: Int
                let colour: String
                if r == c {
                    let f1 = report.intentReport.f1ByIntent[expected] ?? 0
                    value = Int(f1)
                    colour = "rgba(0,128,0,\(String(format: "%.2f", f1 / 100)))"
                } else {
                    value = counts[expected + "|" + got] ?? 0
                    colour = "rgba(200,0,0,\(String(format: "%.2f", Double(value) / Double(maximum))))"
                }
                svg += "<rect x='\(margin + c * cell)' y='\(margin + r * cell)' width='\(cell - 1)' height='\(cell - 1)' fill='\(colour)' stroke='#eee'><title>\(escape(expected)) → \(escape(got)): \(r == c ? "F1 \(value)" : "\(value)")</title></rect>"
            }
        }
        return svg + "</svg><p>Diagonal: F1 per intent (green). Off the diagonal: how often an expected intent was taken for another (red).</p>"
    }

    func curve() -> String {
        let width = 520, height = 220, pad = 30
        func x(_ t: Float) -> Int { pad + Int(Float(width - 2 * pad) * t) }
        func y(_ p: Double) -> Int { height - pad - Int(Double(height - 2 * pad) * p / 100) }
        let answered = sweep.rows.map { "\(x($0.threshold)),\(y($0.answeredShare))" }.joined(separator: " ")
        let accuracy = sweep.rows.map { "\(x($0.threshold)),\(y($0.answeredAccuracy))" }.joined(separator: " ")
        var svg = "<svg width='\(width)' height='\(height)' font-size='10'>"
        svg += "<line x1='\(pad)' y1='\(height - pad)' x2='\(width - pad)' y2='\(height - pad)' stroke='#444'/><line x1='\(pad)' y1='\(pad)' x2='\(pad)' y2='\(height - pad)' stroke='#444'/>"
        for t in stride(from: Float(0), through: 1, by: 0.2) { svg += "<text x='\(x(t))' y='\(height - pad + 14)' text-anchor='middle'>\(String(format: "%.1f", t))</text>" }
        for p in stride(from: 0.0, through: 100, by: 25) { svg += "<text x='\(pad - 4)' y='\(y(p) + 3)' text-anchor='end'>\(Int(p))%</text>" }
        svg += "<polyline fill='none' stroke='#1565c0' stroke-width='2' points='\(answered)'/>"
        svg += "<polyline fill='none' stroke='#2e7d32' stroke-width='2' points='\(accuracy)'/>"
        let threshold = classifier.bundle.thresholds.answer
        svg += "<line x1='\(x(threshold))' y1='\(pad)' x2='\(x(threshold))' y2='\(height - pad)' stroke='#999' stroke-dasharray='4'/><text x='\(x(threshold) + 3)' y='\(pad + 10)'>bundle \(String(format: "%.2f", threshold))</text>"
        return svg + "</svg>"
    }

    func failures() -> String {
        guard !report.failures.isEmpty else { return "<p class='ok'>Every turn matched its expectation.</p>" }
        var rows = "<table><tr><th>where</th><th>message</th><th>expected</th><th>got</th><th>n-grams behind it</th></tr>"
        for turn in report.failures.prefix(500) {
            let expected = [turn.expected?.intent, turn.expected?.outcome, turn.expected?.department].compactMap { $0 }.joined(separator: " / ")
            let got = [turn.intent, turn.outcome, turn.department].compactMap { $0 }.joined(separator: " / ")
            let why = classifier.explain(turn.text, limit: 6).contributions
                .map { "<code>\(escape($0.feature))</code> \(String(format: "%+.2f", $0.weight))" }.joined(separator: " ")
            rows += "<tr><td>\(escape(turn.source))</td><td>\(escape(turn.text))</td><td>\(escape(expected))</td><td class='bad'>\(escape(got)) (\(String(format: "%.2f", turn.confidence)))</td><td>\(why)</td></tr>"
        }
        return rows + "</table>"
    }
}
