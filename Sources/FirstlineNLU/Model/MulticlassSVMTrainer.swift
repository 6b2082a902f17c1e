import CFirstlinePrefetch

/// Trains a multi-class linear support vector machine (Crammer & Singer, 2001) by the
/// sequential dual method of Keerthi, Sundararajan, Chang, Hsieh, Lin, "A Sequential Dual
/// Method for Large Scale Multi-Class Linear SVMs", KDD 2008 — the solver of LIBLINEAR's
/// `-s 4`, with its shrinking of examples and classes.
///
/// One example at a time, it reads the scores of every class from the feature-major weight
/// rows (contiguous, so the loop vectorises), solves the small sub-problem for that
/// example's dual variables exactly, and updates only the classes whose variables moved.
///
/// The weights are far larger than the processor's caches, and an example's rows are
/// scattered through them, so the solver mostly waits on memory. Two things keep it busier:
/// while it scores one example it asks for the rows (and dual variables) of the next one
/// (`firstline_prefetch`, a hint that does not wait), and each pass visits the examples
/// group by group (`TrainingMatrix.groups`: the bundle's languages, whose n-grams hardly
/// overlap), shuffled within each group, so the rows in use are those of one language.
struct MulticlassSVMTrainer: Sendable {
    /// Regularisation: larger fits the training data more closely.
    var cost: Float = 1
    /// Stop when the largest violation of the optimality conditions falls under this.
    var tolerance: Float = 0.1
    /// At most this many passes over the data.
    var maximumPasses: Int = 100
    /// Seed of the example order, so training is deterministic.
    var seed: UInt64 = 0x5EED

    /// Weights feature-major (`weights[column * classCount + class]`) and one bias per class
    /// (the bias is a feature of constant value 1, regularised like the others).
    /// - Complexity: O(passes · non-zeros · classes), with passes shrinking in cost.
    func train(_ matrix: TrainingMatrix, classCount k: Int) -> (weights: [Float], biases: [Float]) {
        let n = matrix.rowCount
        var weights = [Float](repeating: 0, count: matrix.columnCount * k)
        var biases = [Float](repeating: 0, count: k)
        var alpha = [Float](repeating: 0, count: n * k)
        // Per example: its classes, active ones first, and how many are active.
        var classOrder = [Int32](repeating: 0, count: n * k)
        for i in 0..<n { for m in 0..<k { classOrder[i * k + m] = Int32(m) } }
        var activeClasses = [Int](repeating: k, count: n)
        var labelSlot = matrix.labels.map { Int($0) }  // where the true class sits in classOrder
        var order = Array(0..<n)
        var activeCount = n
        var random = SplitMix64(seed: seed)
        var shrinkTolerance = max(10 * tolerance, 1)
        var startedFromAll = true
        var gradient = [Float](repeating: 0, count: k)
        var scores = [Float](repeating: 0, count: k)
        var b = [Float](repeating: 0, count: k)
        var newAlpha = [Float](repeating: 0, count: k)
        var changedClass = [Int](repeating: 0, count: k)
        var changedDelta = [Float](repeating: 0, count: k)
        var sorted = [Float](repeating: 0, count: k)
        let c = cost
        let groupCount = matrix.groups.count == n ? Int(matrix.groups.max() ?? 0) + 1 : 1

        matrix.columns.withUnsafeBufferPointer { columns in
        matrix.values.withUnsafeBufferPointer { values in
        weights.withUnsafeMutableBufferPointer { w in
            for _ in 0..<maximumPasses {
                var violation = -Float.infinity
                for i in 0..<activeCount {
                    order.swapAt(i, i + Int(random.next() % UInt64(activeCount - i)))
                }
                if groupCount > 1 { Self.gather(&order, activeCount, groups: matrix.groups, groupCount: groupCount) }
                var s = 0
                while s < activeCount {
                    let i = order[s]
                    let a = matrix.squaredNorms[i]
                    let start = matrix.rowStarts[i], end = matrix.rowStarts[i + 1]
                    let y = Int(matrix.labels[i])
                    let base = i * k
                    let active = activeClasses[i]
                    // The next example (unless this one is shrunk away): its dual variables now,
                    // its rows one per row of this one while this one is scored.
                    let next = s + 1 < activeCount ? order[s + 1] : i
                    var ahead = matrix.rowStarts[next]
                    let aheadEnd = next == i ? ahead : matrix.rowStarts[next + 1]
                    alpha.withUnsafeBufferPointer { Self.prefetch($0.baseAddress! + next * k, count: k, of: Float.self) }
                    classOrder.withUnsafeBufferPointer { Self.prefetch($0.baseAddress! + next * k, count: k, of: Int32.self) }
                    // Scores of all classes, contiguous per feature.
                    scores.withUnsafeMutableBufferPointer { out in
                        biases.withUnsafeBufferPointer { bias in
                            let o = out.baseAddress!
                            let wb = w.baseAddress!
                            for m in 0..<k { o[m] = bias[m] }
                            for p in start..<end {
                                if ahead < aheadEnd {
                                    Self.prefetch(wb + Int(columns[ahead]) * k, count: k, of: Float.self)
                                    ahead += 1
                                }
                                let row = wb + Int(columns[p]) * k
                                let v = values[p]
                                for m in 0..<k { o[m] += row[m] * v }
                            }
                            while ahead < aheadEnd {
                                Self.prefetch(wb + Int(columns[ahead]) * k, count: k, of: Float.self)
                                ahead += 1
                            }
                        }
                    }
                    for slot in 0..<active {
                        let m = Int(classOrder[base + slot])
                        gradient[slot] = scores[m] + (m == y ? 0 : 1)
                    }
                    var minG = Float.infinity, maxG = -Float.infinity
                    for slot in 0..<active {
                        let m = Int(classOrder[base + slot])
                        if alpha[base + m] < 0 && gradient[slot] < minG { minG = gradient[slot] }
                        if gradient[slot] > maxG { maxG = gradient[slot] }
                    }
                    let ySlot = labelSlot[i]
                    if ySlot < active && alpha[base + y] < c && gradient[ySlot] < minG { minG = gradient[ySlot] }
                    // Shrink classes whose variables sit at their bound with no pull.
                    var slot = 0
                    var activeNow = active
                    while slot < activeNow {
                        if isShrunk(slot, ySlot: labelSlot[i], alpha: alpha[base + Int(classOrder[base + slot])], g: gradient[slot], minG: minG) {
                            activeNow -= 1
                            while activeNow > slot {
                                if !isShrunk(activeNow, ySlot: labelSlot[i], alpha: alpha[base + Int(classOrder[base + activeNow])], g: gradient[activeNow], minG: minG) {
                                    classOrder.swapAt(base + slot, base + activeNow)
                                    gradient.swapAt(slot, activeNow)
                                    if labelSlot[i] == activeNow { labelSlot[i] = slot } else if labelSlot[i] == slot { labelSlot[i] = activeNow }
                                    break
                                }
                                activeNow -= 1
                            }
                        }
                        slot += 1
                    }
                    activeClasses[i] = activeNow
                    if activeNow <= 1 {
                        activeCount -= 1
                        order.swapAt(s, activeCount)
                        continue
                    }
                    s += 1
                    if maxG - minG <= 1e-12 { continue }
                    violation = max(violation, maxG - minG)
                    for slot in 0..<activeNow {
                        b[slot] = gradient[slot] - a * alpha[base + Int(classOrder[base + slot])]
                    }
                    solveSubProblem(a: a, ySlot: labelSlot[i], active: activeNow, b: b, sorted: &sorted, alpha: &newAlpha)
                    var changed = 0
                    for slot in 0..<activeNow {
                        let m = Int(classOrder[base + slot])
                        let delta = newAlpha[slot] - alpha[base + m]
                        alpha[base + m] = newAlpha[slot]
                        if abs(delta) >= 1e-12 {
                            changedClass[changed] = m
                            changedDelta[changed] = delta
                            changed += 1
                        }
                    }
                    for p in start..<end {
                        let row = Int(columns[p]) * k
                        let v = values[p]
                        for z in 0..<changed { w[row + changedClass[z]] += changedDelta[z] * v }
                    }
                    for z in 0..<changed { biases[changedClass[z]] += changedDelta[z] }
                }
                if violation < shrinkTolerance {
                    if violation < tolerance && startedFromAll { break }
                    activeCount = n
                    for i in 0..<n { activeClasses[i] = k }
                    shrinkTolerance = max(shrinkTolerance / 2, tolerance)
                    startedFromAll = true
                } else {
                    startedFromAll = false
                }
            }
        }
        }
        }
        return (weights, biases)
    }

    /// Asks for the cache lines of `count` values of `T` from `start` (a hint; nothing waits).
    @inline(__always)
    private static func prefetch<T>(_ start: UnsafeRawPointer, count: Int, of _: T.Type) {
        let bytes = count * MemoryLayout<T>.stride
        var offset = 0
        while offset < bytes {
            firstline_prefetch(start + offset)
            offset += 64
        }
        firstline_prefetch(start + bytes - 1)
    }

    /// Reorders the first `count` entries of `order` group by group (a stable counting sort,
    /// so the shuffle within each group stays).
    private static func gather(_ order: inout [Int], _ count: Int, groups: [Int32], groupCount: Int) {
        var starts = [Int](repeating: 0, count: groupCount + 1)
        for s in 0..<count { starts[Int(groups[order[s]]) + 1] += 1 }
        for g in 0..<groupCount { starts[g + 1] += starts[g] }
        var sorted = [Int](repeating: 0, count: count)
        for s in 0..<count {
            let g = Int(groups[order[s]])
            sorted[starts[g]] = order[s]
            starts[g] += 1
        }
        order.replaceSubrange(0..<count, with: sorted)
    }

    @inline(__always)
    private func isShrunk(_ slot: Int, ySlot: Int, alpha: Float, g: Float, minG: Float) -> Bool {
        let bound: Float = slot == ySlot ? cost : 0
        return alpha == bound && g < minG
    }

    /// The exact solution of one example's sub-problem (Crammer & Singer's fixed-point rule).
    private func solveSubProblem(a: Float, ySlot: Int, active: Int, b: [Float], sorted: inout [Float], alpha: inout [Float]) {
        for r in 0..<active { sorted[r] = b[r] }
        if ySlot < active { sorted[ySlot] += a * cost }
        sorted[0..<active].sort(by: >)
        var beta = sorted[0] - a * cost
        var r = 1
        while r < active && beta < Float(r) * sorted[r] {
            beta += sorted[r]
            r += 1
        }
        beta /= Float(r)
        for slot in 0..<active {
            let value = (beta - b[slot]) / a
            alpha[slot] = slot == ySlot ? min(cost, value) : min(0, value)
        }
    }
}
