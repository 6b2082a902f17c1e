import Foundation

/// Token buckets by key (a session, an address): `rate` requests a second on average, bursts
/// up to `burst`. Time is an input, so tests need no clock. Full buckets are forgotten now and
/// then, so memory stays bounded by the keys active in the last minute.
public final class RateLimiter: @unchecked Sendable {  // buckets guarded by `lock`
    public let rate: Double
    public let burst: Double
    private struct Bucket { var tokens: Double; var updated: Double }
    private var buckets: [String: Bucket] = [:]
    private var lastSweep: Double = 0
    private let lock = NSLock()

    /// - Parameter rate: tokens per second; 0 disables the limit.
    public init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(1, burst)
    }

    /// Takes one token for `key`; false when the bucket is empty (answer 429).
    /// - Parameter now: seconds on a monotonic clock.
    public func allow(_ key: String, now: Double) -> Bool {
        guard rate > 0 else { return true }
        return lock.withLock {
            if now - lastSweep > 60 { sweep(now) }
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + max(0, now - bucket.updated) * rate)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return false
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            return true
        }
    }

    /// Seconds until `key` may try again.
    public func retryAfter(_ key: String) -> Int {
        guard rate > 0 else { return 0 }
        return max(1, Int((1 / rate).rounded(.up)))
    }

    private func sweep(_ now: Double) {
        lastSweep = now
        buckets = buckets.filter { min(burst, $0.value.tokens + (now - $0.value.updated) * rate) < burst }
    }

    /// Keys currently tracked (for tests).
    var trackedKeys: Int { lock.withLock { buckets.count } }
}
