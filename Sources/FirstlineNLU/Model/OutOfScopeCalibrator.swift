import Foundation

/// The probability that a message is in scope, from two things the model already computes:
/// the softmax confidence of its likeliest label, and how typical its features are of that
/// label (the naive Bayes log-likelihood per unit of feature weight — a message made of
/// n-grams the label rarely uses is unlike its examples however the softmax came out).
///
/// A logistic regression on those two numbers, fitted on out-of-fold scores of the training
/// examples (in-scope examples against the out-of-scope ones), so the scores it learns from
/// are those of messages the model had not seen, like the ones it will judge.
///
/// Trained state: three floats, in raw units (no separate standardisation to store).
public struct OutOfScopeCalibrator: Sendable, Hashable {
    /// The logit's constant term.
    public var bias: Float
    /// The logit's weight on the softmax confidence (0…1).
    public var confidenceWeight: Float
    /// The logit's weight on the typicality (mean log-likelihood per unit of feature weight).
    public var typicalityWeight: Float

    /// Creates a calibrator from its weights.
    public init(bias: Float, confidenceWeight: Float, typicalityWeight: Float) {
        self.bias = bias
        self.confidenceWeight = confidenceWeight
        self.typicalityWeight = typicalityWeight
    }

    /// The probability (0…1) that a message with these scores is in scope.
    @inline(__always)
    public func inScopeProbability(confidence: Float, typicality: Float) -> Float {
        let logit = bias + confidenceWeight * confidence + typicalityWeight * typicality
        return 1 / (1 + expf(-logit))
    }

    /// Fits a logistic regression by Newton's method on the L2-regularised logistic loss,
    /// with both classes weighted to the same total (out-of-scope examples are usually a
    /// small share). `features[i]` are example i's scores (any number, the same for all).
    /// Returns the weights in raw units, bias first, or nil when either class is missing.
    /// - Complexity: O(iterations · examples · d²) for d scores.
    public static func fitLogistic(_ features: [[Float]], inScope: [Bool], regularisation: Double = 1e-3) -> [Float]? {
        let n = inScope.count
        let positives = inScope.filter { $0 }.count
        guard positives > 0, positives < n, features.count == n else { return nil }
        let d = features[0].count + 1
        // Standardise the scores so the Newton steps are well conditioned.
        var mean = [Double](repeating: 0, count: d), scale = [Double](repeating: 1, count: d)
        for j in 1..<d {
            mean[j] = features.reduce(0.0) { $0 + Double($1[j - 1]) } / Double(n)
            let variance = features.reduce(0.0) { $0 + (Double($1[j - 1]) - mean[j]) * (Double($1[j - 1]) - mean[j]) } / Double(n)
            scale[j] = max(variance.squareRoot(), 1e-9)
        }
        let x = features.map { row in [1.0] + (1..<d).map { (Double(row[$0 - 1]) - mean[$0]) / scale[$0] } }
        let sampleWeight = (Double(n) / (2 * Double(positives)), Double(n) / (2 * Double(n - positives)))
        var w = [Double](repeating: 0, count: d)
        for _ in 0..<30 {
            var gradient = [Double](repeating: 0, count: d)
            var hessian = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
            for i in 0..<n {
                var z = 0.0
                for a in 0..<d { z += w[a] * x[i][a] }
                let p = 1 / (1 + exp(-z))
                let weight = inScope[i] ? sampleWeight.0 : sampleWeight.1
                let residual = weight * (p - (inScope[i] ? 1 : 0)), curvature = weight * p * (1 - p)
                for a in 0..<d {
                    gradient[a] += residual * x[i][a]
                    for b in 0..<d { hessian[a][b] += curvature * x[i][a] * x[i][b] }
                }
            }
            for a in 0..<d {
                if a > 0 { gradient[a] += regularisation * Double(n) * w[a] }
                hessian[a][a] += (a > 0 ? regularisation * Double(n) : 0) + 1e-9
            }
            guard let step = solve(hessian, gradient) else { break }
            for a in 0..<d { w[a] -= step[a] }
            if step.map(abs).max()! < 1e-7 { break }
        }
        // Back to raw units: w·(s − μ)/σ = (w/σ)·s − w·μ/σ.
        var raw = [Float](repeating: 0, count: d)
        var bias = w[0]
        for j in 1..<d {
            raw[j] = Float(w[j] / scale[j])
            bias -= w[j] / scale[j] * mean[j]
        }
        raw[0] = Float(bias)
        return raw
    }

    /// Fits the calibrator (see `fitLogistic`); nil when either class is missing.
    public static func fit(confidences: [Float], typicalities: [Float], inScope: [Bool]) -> OutOfScopeCalibrator? {
        precondition(confidences.count == inScope.count && typicalities.count == inScope.count)
        guard let w = fitLogistic(zip(confidences, typicalities).map { [$0, $1] }, inScope: inScope) else { return nil }
        return OutOfScopeCalibrator(bias: w[0], confidenceWeight: w[1], typicalityWeight: w[2])
    }

    /// Solves a small linear system by Gaussian elimination with partial pivoting (nil when
    /// singular).
    private static func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double]? {
        let d = vector.count
        var m = matrix, v = vector
        for column in 0..<d {
            let pivot = (column..<d).max { abs(m[$0][column]) < abs(m[$1][column]) }!
            guard abs(m[pivot][column]) > 1e-300 else { return nil }
            m.swapAt(column, pivot)
            v.swapAt(column, pivot)
            for row in column + 1..<d {
                let factor = m[row][column] / m[column][column]
                for k in column..<d { m[row][k] -= factor * m[column][k] }
                v[row] -= factor * v[column]
            }
        }
        var solution = [Double](repeating: 0, count: d)
        for row in stride(from: d - 1, through: 0, by: -1) {
            var sum = v[row]
            for k in row + 1..<d { sum -= m[row][k] * solution[k] }
            solution[row] = sum / m[row][row]
        }
        return solution.allSatisfy(\.isFinite) ? solution : nil
    }
}
