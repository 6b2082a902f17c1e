#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// The softmax that turns scores into probabilities, four scores at a time on x86-64.
///
/// One `expf` per label shows in the profile of classifying a short message against 151
/// labels, so the exponentials use Cephes' `expf` approximation — range reduction by ln 2
/// (split in two constants for precision), a degree-6 polynomial on [-ln 2 / 2, ln 2 / 2], the
/// power of two put in the exponent bits — on SSE2 vectors: within 2 units in the last place
/// of `expf`. Elsewhere, and for the last scores when the count is not a multiple of four,
/// the same arithmetic one value at a time (so every lane agrees).
enum Softmax {
    /// Replaces `scores` by `exp(t · (sᵢ - max)) / Σ exp(t · (sⱼ - max))`, in place.
    static func apply(_ scores: UnsafeMutableBufferPointer<Float>, temperature: Float) {
        guard let base = scores.baseAddress, !scores.isEmpty else { return }
        let n = scores.count
        var top = base[0]
        for i in 1..<n where base[i] > top { top = base[i] }
        var sum: Float = 0
        var i = 0
        #if arch(x86_64)
        let shift = _mm_set1_ps(top), scale = _mm_set1_ps(temperature)
        var sums = _mm_setzero_ps()
        while i + 4 <= n {
            let e = exponential(_mm_mul_ps(_mm_sub_ps(_mm_loadu_ps(base + i), shift), scale))
            _mm_storeu_ps(base + i, e)
            sums = _mm_add_ps(sums, e)
            i += 4
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4) { lanes in
            _mm_storeu_ps(lanes.baseAddress!, sums)
            sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
        }
        #endif
        while i < n {
            base[i] = exponential((base[i] - top) * temperature)
            sum += base[i]
            i += 1
        }
        let reciprocal = 1 / sum
        for j in 0..<n { base[j] *= reciprocal }
    }

    private static let lowest: Float = -87.3
    private static let log2e: Float = 1.442_695_040_9
    private static let ln2High: Float = 0.693_359_375
    private static let ln2Low: Float = -2.121_944_4e-4

    /// `e^x` for x ≤ 0 (below -87.3 taken as -87.3, where e^x ≈ 1.2e-38).
    static func exponential(_ input: Float) -> Float {
        let x = max(input, lowest)
        let k = (x * log2e).rounded(.toNearestOrEven)
        let r = (x - k * ln2High) - k * ln2Low
        var p: Float = 1.987_569_150_0e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        p = p * (r * r) + r + 1
        return p * Float(bitPattern: UInt32(Int32(k) + 127) << 23)
    }

    #if arch(x86_64)
    /// `exponential` on four lanes (`cvtps2dq` rounds to nearest even, as the scalar does).
    @inline(__always)
    private static func exponential(_ input: __m128) -> __m128 {
        let x = _mm_max_ps(input, _mm_set1_ps(lowest))
        let k = _mm_cvtps_epi32(_mm_mul_ps(x, _mm_set1_ps(log2e)))
        let kf = _mm_cvtepi32_ps(k)
        let r = _mm_sub_ps(_mm_sub_ps(x, _mm_mul_ps(kf, _mm_set1_ps(ln2High))), _mm_mul_ps(kf, _mm_set1_ps(ln2Low)))
        var p = _mm_set1_ps(1.987_569_150_0e-4)
        p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(1.398_199_950_7e-3))
        p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(8.333_451_907_3e-3))
        p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(4.166_579_589_4e-2))
        p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(1.666_666_545_9e-1))
        p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(5.000_000_120_1e-1))
        p = _mm_add_ps(_mm_add_ps(_mm_mul_ps(p, _mm_mul_ps(r, r)), r), _mm_set1_ps(1))
        let power = _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(k, _mm_set1_epi32(127)), 23))
        return _mm_mul_ps(p, power)
    }
    #endif
}
