import CFirstlineKernels
import Testing
@testable import FirstlineNLU

/// The machines' solver takes two shortcuts that must not change a single bit of the model:
/// scores summed in registers, and the sub-problem's largest values selected rather than
/// sorted. Each is checked against the plain computation it replaced.
@Suite("SVM solver: the fast scoring and sub-problem equal the plain ones to the bit")
struct SVMSolverTests {
    @Test("scores summed in registers equal the plain loop", arguments: [1, 3, 4, 5, 16, 31, 32, 33, 34, 35, 36, 40, 65, 67, 151])
    func scoresEqualPlainLoop(classCount k: Int) {
        var random = SplitMix64(seed: UInt64(k))
        func uniform() -> Float { Float(random.next() % 2_000_001) / 1_000_000 - 1 }
        let columnCount = 50
        let weights = (0..<columnCount * k).map { _ in uniform() }
        let biases = (0..<k).map { _ in uniform() }
        // An example's features: distinct columns in no particular order.
        let columns = Array((0..<Int32(columnCount)).shuffled(using: &random).prefix(23))
        let values = columns.map { _ in uniform() }
        var plain = biases
        for (column, value) in zip(columns, values) {
            for m in 0..<k { plain[m] += weights[Int(column) * k + m] * value }
        }
        var fast = [Float](repeating: .nan, count: k + 8)  // and nothing stored past the classes
        weights.withUnsafeBufferPointer { w in
            biases.withUnsafeBufferPointer { b in
                columns.withUnsafeBufferPointer { c in
                    values.withUnsafeBufferPointer { v in
                        fast.withUnsafeMutableBufferPointer { out in
                            var ahead = MulticlassSVMTrainer.Lookahead(start: 0, end: columns.count)
                            MulticlassSVMTrainer.score(
                                classCount: k, weights: w.baseAddress!, biases: b.baseAddress!, columns: c, values: v,
                                features: 0..<columns.count, into: out.baseAddress!, ahead: &ahead)
                            #expect(ahead.position == columns.count, "one hint per feature")
                        }
                    }
                }
            }
        }
        #expect(fast.prefix(k).map(\.bitPattern) == plain.map(\.bitPattern))
        let untouched = fast.suffix(8).allSatisfy { $0.isNaN }
        #expect(untouched, "nothing stored past the last class")
    }

    @Test("the AVX2 kernel's scores equal the plain loop's, for every class count it takes",
          .enabled(if: MulticlassSVMTrainer.cpuHasAVX2, "this CPU has no AVX2"))
    func wideScoresEqualPlainLoop() {
        var random = SplitMix64(seed: 40)
        func uniform() -> Float { Float(random.next() % 2_000_001) / 1_000_000 - 1 }
        for k in 1...40 {
            let columnCount = 60
            let weights = (0..<columnCount * k).map { _ in uniform() }
            let biases = (0..<k).map { _ in uniform() }
            let columns = Array((0..<Int32(columnCount)).shuffled(using: &random).prefix(29))
            let values = columns.map { _ in uniform() }
            var plain = biases
            for (column, value) in zip(columns, values) {
                for m in 0..<k { plain[m] += weights[Int(column) * k + m] * value }
            }
            // Scores past the classes are left alone (the kernel stores only the classes there are).
            var wide = [Float](repeating: .nan, count: k + 8)
            // Features 3..<26 of the example; the look-ahead hints for 5 others.
            var partPlain = biases
            for p in 3..<26 { for m in 0..<k { partPlain[m] += weights[Int(columns[p]) * k + m] * values[p] } }
            firstline_score_avx2(k, weights, biases, columns, values, 3, 26, &wide, Array(columns.suffix(5)), 5)
            #expect(wide.prefix(k).map(\.bitPattern) == partPlain.map(\.bitPattern), "\(k) classes")
            let untouched = wide.suffix(8).allSatisfy { $0.isNaN }
            #expect(untouched, "\(k) classes: nothing stored past the last class")
            firstline_score_avx2(k, weights, biases, columns, values, 0, columns.count, &wide, [], 0)
            #expect(wide.prefix(k).map(\.bitPattern) == plain.map(\.bitPattern), "\(k) classes")
        }
    }

    @Test("selecting the largest values solves the sub-problem as sorting them all did")
    func subProblemEqualsSortedRule() {
        var random = SplitMix64(seed: 7)
        func uniform() -> Float { Float(random.next() % 2_000_001) / 1_000_000 - 1 }
        let trainer = MulticlassSVMTrainer()
        for round in 0..<2_000 {
            let active = 2 + round % 40
            let a = 0.05 + abs(uniform()) * 3
            // The true class among the active ones, or shrunk away (its slot past the end).
            let ySlot = round % 7 == 0 ? active : Int(random.next() % UInt64(active))
            // Ties too: a few rounds draw from a handful of values.
            let b = (0..<active).map { _ in round % 5 == 0 ? Float(random.next() % 3) / 2 : uniform() }
            var sorted = [Float](repeating: 0, count: active), alpha = [Float](repeating: 0, count: active)
            sorted.withUnsafeMutableBufferPointer { sorted in
                alpha.withUnsafeMutableBufferPointer { alpha in
                    trainer.solveSubProblem(a: a, ySlot: ySlot, active: active, b: b, sorted: sorted.baseAddress!, alpha: alpha.baseAddress!)
                }
            }
            let expected = Self.sortedRule(a: a, cost: trainer.cost, ySlot: ySlot, active: active, b: b)
            #expect(alpha.map(\.bitPattern) == expected.map(\.bitPattern), "round \(round)")
        }
    }

    /// The rule as it was written before: sort every value, then walk from the largest.
    private static func sortedRule(a: Float, cost: Float, ySlot: Int, active: Int, b: [Float]) -> [Float] {
        var sorted = b
        if ySlot < active { sorted[ySlot] += a * cost }
        sorted.sort(by: >)
        var beta = sorted[0] - a * cost
        var r = 1
        while r < active && beta < Float(r) * sorted[r] {
            beta += sorted[r]
            r += 1
        }
        beta /= Float(r)
        return (0..<active).map { slot in
            let value = (beta - b[slot]) / a
            return slot == ySlot ? min(cost, value) : min(0, value)
        }
    }
}

/// The scoring table's quantisation rounds as `Float.rounded()` does, without calling it.
@Suite("Scoring table: its rounding equals Float.rounded()")
struct ScoringTableRoundingTests {
    @Test("half away from zero, at every half and near it, across the 16-bit range")
    func roundingEqualsRounded() {
        var values: [Float] = [0, -0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999997, -0.49999997, 32766.5, -32766.5, 32767, -32767]
        var random = SplitMix64(seed: 11)
        for _ in 0..<100_000 { values.append(Float(Int64(random.next() % 65_535_001) - 32_767_500) / 1000) }
        for step in -65_534...65_534 {
            let half = Float(step) / 2
            values += [half, half.nextUp, half.nextDown]
        }
        for x in values where abs(x) <= 32767 {
            #expect(ScoringTable.roundedToInteger(x) == Int32(x.rounded()), "\(x)")
        }
    }
}

/// Updating whole rows when many classes moved gives the weights of updating class by class.
@Suite("SVM solver: whole-row updates, and scoring by the AVX2 kernel, train the same machines to the bit")
struct SVMDenseUpdateTests {
    @Test("never whole rows, when a third of the classes moved, always, and AVX2 scoring: the same weights and biases", arguments: [5, 33])
    func denseEqualsSparse(classCount k: Int) {
        var random = SplitMix64(seed: UInt64(k) &* 31)
        func uniform() -> Float { Float(random.next() % 2_000_001) / 1_000_000 - 1 }
        let columnCount = 300
        // Values of both signs (the vectorizer's are positive; a negative one adds −0 to the
        // classes that did not move).
        let vectors = (0..<400).map { _ in
            var vector = SparseVector()
            vector.columns = Array((0..<Int32(columnCount)).shuffled(using: &random).prefix(12)).sorted()
            vector.values = vector.columns.map { _ in uniform() }
            return vector
        }
        let labels = (0..<400).map { Int32($0 % k) }
        let matrix = TrainingMatrix(vectors: vectors, labels: labels, columnCount: columnCount)
        var results: [[UInt32]] = []
        for share in [0, 3, Int.max / k] {  // never, when a third moved, always
            var trainer = MulticlassSVMTrainer()
            trainer.denseUpdateShare = share
            trainer.usesAVX2 = false
            let (weights, biases) = trainer.train(matrix, classCount: k)
            results.append((weights + biases).map(\.bitPattern))
        }
        #expect(results[0] == results[2] && results[1] == results[2])
        if MulticlassSVMTrainer.cpuHasAVX2 {
            var trainer = MulticlassSVMTrainer()
            trainer.usesAVX2 = true
            let (weights, biases) = trainer.train(matrix, classCount: k)
            #expect((weights + biases).map(\.bitPattern) == results[1], "scored by the AVX2 kernel: the same machines")
        }
        #expect(results[2].contains { $0 != 0 }, "the machines learned something")
    }
}
