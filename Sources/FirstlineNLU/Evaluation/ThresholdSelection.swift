/// Chooses the rejection threshold from validation predictions.
public enum ThresholdSelection {
    /// The lowest threshold whose out-of-scope recall on `validation` reaches `target`
    /// (0…1). Returns 0 when there is nothing out of scope to measure or the target is 0, and
    /// 1.0000001 (reject everything) when no threshold reaches it.
    /// - Complexity: O(n log n).
    public static func lowestThreshold(reachingOutOfScopeRecall target: Double, on validation: [Prediction]) -> Float {
        let outOfScope = validation.filter { $0.gold == IntentDataset.outOfScope }
        guard target > 0, !outOfScope.isEmpty else { return 0 }
        let needed = Int((target * Double(outOfScope.count)).rounded(.up))
        let alreadyRejected = outOfScope.filter { $0.top == IntentDataset.outOfScope }.count
        if alreadyRejected >= needed { return 0 }
        // Out-of-scope messages the model accepted, by confidence: rejecting the k least
        // confident of them needs a threshold just above the k-th confidence.
        let accepted = outOfScope.filter { $0.top != IntentDataset.outOfScope }.map(\.confidence).sorted()
        let k = needed - alreadyRejected
        guard k <= accepted.count else { return 1.000_000_1 }
        return accepted[k - 1].nextUp
    }
}
