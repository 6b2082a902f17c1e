/// Which snapshots to keep and how far the log may be compacted once a new one is written.
///
/// The newest `retained` snapshots are kept. Segments are deleted only once the *oldest* kept
/// snapshot covers them, so if the newest snapshot is later found damaged, recovery can fall
/// back to an older one and still find every record after it. Until `retained` snapshots
/// exist nothing is compacted, so a full replay stays possible.
struct SnapshotRetention {
    /// How many snapshots to keep (at least 1).
    let retained: Int

    /// The decision for the snapshots present (sequence numbers, any order).
    /// - Returns: the snapshots to delete and the sequence number through which segments may
    ///   be deleted (nil: none).
    func plan(_ snapshots: [UInt64]) -> (delete: [UInt64], compactThrough: UInt64?) {
        let sorted = Set(snapshots).sorted()
        let keep = max(1, retained)
        guard sorted.count >= keep else { return ([], nil) }
        let kept = sorted.suffix(keep)
        return (Array(sorted.dropLast(keep)), kept.first)
    }
}
