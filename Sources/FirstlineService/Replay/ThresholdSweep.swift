/// For each confidence threshold: the share of labelled turns the bot would answer by itself
/// (confident and in scope) and how often those answers are right — the trade-off a trainer
/// sets `thresholds.answer` by.
public struct ThresholdSweep: Sendable {
    /// One row of the sweep.
    public struct Row: Sendable, Equatable {
        public var threshold: Float
        /// Percent of labelled turns answered by the bot.
        public var answeredShare: Double
        /// Percent of the answered turns whose intent is right.
        public var answeredAccuracy: Double
    }

    public var rows: [Row]

    /// Sweeps thresholds 0.00, 0.05 … 0.95 over turns that expect an intent.
    public init(_ turns: [ReplayedTurn]) {
        let labelled = turns.filter { $0.expected?.intent != nil }
        rows = stride(from: Float(0), through: 0.951, by: 0.05).map { threshold in
            let answered = labelled.filter { $0.topCandidate != nil && $0.topConfidence >= threshold && $0.intent != "oos" }
            let right = answered.filter { $0.expected?.intent == $0.topCandidate }.count
            return Row(
                threshold: (threshold * 100).rounded() / 100,
                answeredShare: labelled.isEmpty ? 0 : 100 * Double(answered.count) / Double(labelled.count),
                answeredAccuracy: answered.isEmpty ? 100 : 100 * Double(right) / Double(answered.count))
        }
    }

    /// The lowest threshold whose answered accuracy reaches `target` percent (most answers
    /// for that accuracy), or nil when none does.
    public func recommended(forAccuracy target: Double) -> Row? {
        rows.first { $0.answeredAccuracy >= target && $0.answeredShare > 0 }
    }
}
