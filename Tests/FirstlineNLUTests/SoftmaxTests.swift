import Foundation
import Testing
@testable import FirstlineNLU

/// The softmax's own exponential (Cephes' approximation on SSE2 lanes) against the C
/// library's, and the properties the classifier relies on.
@Suite("Softmax: its exponential agrees with expf; probabilities sum to 1 and keep the order")
struct SoftmaxTests {
    @Test("the exponential is within 2 units in the last place of expf on [-87.3, 0]")
    func exponentialAgreesWithExpf() {
        var x: Float = -87.3
        var worst: Float = 0
        while x <= 0 {
            let expected = expf(x), got = Softmax.exponential(x)
            worst = max(worst, abs(got - expected) / expected.ulp)
            x += 0.0137
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
        #expect(Softmax.exponential(0) == 1)
        #expect(Softmax.exponential(-1000) > 0 && Softmax.exponential(-1000) < 1e-37, "far below the range: the smallest value, not NaN")
    }

    @Test("vector lanes and the scalar tail agree with the scalar exponential (up to the order of summation)", arguments: [1, 3, 4, 5, 8, 151])
    func lanesMatchScalar(count: Int) {
        let scores = (0..<count).map { Float(($0 * 37) % 23) / 3 - 4 }
        var probabilities = scores
        probabilities.withUnsafeMutableBufferPointer { Softmax.apply($0, temperature: 1.5) }
        let top = scores.max()!
        let exponentials = scores.map { Softmax.exponential(($0 - top) * 1.5) }
        let sum = exponentials.reduce(0, +)
        for (got, e) in zip(probabilities, exponentials) {
            #expect(abs(got - e / sum) <= 1e-6 * (e / sum) + 1e-12)
        }
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
        // The order of the scores is the order of the probabilities.
        for i in 0..<count { for j in 0..<count where scores[i] > scores[j] { #expect(probabilities[i] >= probabilities[j]) } }
    }

    @Test("matches a softmax computed with expf in Double within 1e-6")
    func matchesReference() {
        let scores: [Float] = (0..<151).map { sinf(Float($0)) * 6 }
        var probabilities = scores
        probabilities.withUnsafeMutableBufferPointer { Softmax.apply($0, temperature: 1.5) }
        let top = Double(scores.max()!)
        let reference = scores.map { exp((Double($0) - top) * 1.5) }
        let total = reference.reduce(0, +)
        for (got, e) in zip(probabilities, reference) { #expect(abs(Double(got) - e / total) < 1e-6) }
    }
}
