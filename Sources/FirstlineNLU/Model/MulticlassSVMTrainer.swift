import CFirstlineKernels
import CFirstlinePrefetch

/// Trains a multi-class linear support vector machine (Crammer & Singer, 2001) by the
/// sequential dual method of Keerthi, Sundararajan, Chang, Hsieh, Lin, "A Sequential Dual
/// Method for Large Scale Multi-Class Linear SVMs", KDD 2008 — the solver of LIBLINEAR's
/// `-s 4`, with its shrinking of examples and classes.
///
/// One example at a time, it reads the scores of every class from the feature-major weight
/// rows (contiguous, summed in registers: `score`), solves the small sub-problem for that
/// example's dual variables exactly, and updates the weights of the classes whose variables
/// moved (whole rows at once when many did).
///
/// Where the time goes (bundle, 29,484 examples, 33 classes): about half in scoring, a fifth
/// in the updates, the rest in the per-example bookkeeping. Scoring is not bound by memory —
/// with every row forced into the first-level cache a pass took as long — so the score sums
/// stay in registers instead of being reloaded and stored per feature, and the sub-problem
/// selects its few largest values instead of sorting all of them; both give the same bits
/// as the plain code (`SVMSolverTests`). Where the CPU has AVX2 (and there are at most 40
/// classes) a C kernel scores eight classes per instruction instead of four, multiplying and
/// adding separately as the Swift code does, so the machines are the same to the bit either
/// way (tested on random data; the saved bundle model was byte for byte the same in a run by
/// hand): the machines 0.91× in nine bench starts each. While it scores one example it asks
/// for the rows (and dual variables) of the next one (`firstline_prefetch`, a hint that does
/// not wait; 0–13 % of a scoring pass in two measurements), and each pass visits the examples
/// group by group (`TrainingMatrix.groups`: the bundle's languages), shuffled within each group.
///
/// Splitting each example's classes between two threads (one meeting per example) was tried
/// and gave 0-20 %, unreliably: the meeting costs about what the halved work saves.
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
        // The loop reads through pointers: the shapes are checked once, here.
        precondition(k > 0 && matrix.rowStarts.count == n + 1 && matrix.squaredNorms.count == n
            && matrix.columns.count == matrix.rowStarts[n] && matrix.values.count == matrix.rowStarts[n]
            && matrix.labels.allSatisfy { (0..<Int32(k)).contains($0) }
            && matrix.columns.allSatisfy { (0..<Int32(matrix.columnCount)).contains($0) }, "a malformed training matrix")
        var weights = [Float](repeating: 0, count: matrix.columnCount * k)
        var biases = [Float](repeating: 0, count: k)
        // Per example: its dual variables; its classes, active ones first; how many are
        // active; where its true class sits among them. Then per-example scratch.
        let alpha = UnsafeMutableBufferPointer<Float>.allocate(capacity: n * k)
        let classOrder = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n * k)
        let activeClasses = UnsafeMutableBufferPointer<Int>.allocate(capacity: n)
        let labelSlot = UnsafeMutableBufferPointer<Int>.allocate(capacity: n)
        let order = UnsafeMutableBufferPointer<Int>.allocate(capacity: n)
        let scratch = UnsafeMutableBufferPointer<Float>.allocate(capacity: 7 * k)
        let changedClass = UnsafeMutableBufferPointer<Int>.allocate(capacity: k)
        defer {
            for buffer in [UnsafeMutableRawBufferPointer(alpha), UnsafeMutableRawBufferPointer(classOrder),
                           UnsafeMutableRawBufferPointer(activeClasses), UnsafeMutableRawBufferPointer(labelSlot),
                           UnsafeMutableRawBufferPointer(order), UnsafeMutableRawBufferPointer(scratch),
                           UnsafeMutableRawBufferPointer(changedClass)] { buffer.deallocate() }
        }
        alpha.initialize(repeating: 0)
        for i in 0..<n { for m in 0..<k { classOrder[i * k + m] = Int32(m) } }
        activeClasses.initialize(repeating: k)
        for i in 0..<n { labelSlot[i] = Int(matrix.labels[i]); order[i] = i }
        scratch.initialize(repeating: 0)
        changedClass.initialize(repeating: 0)
        let gradient = scratch.baseAddress!, scores = gradient + k, b = gradient + 2 * k
        let newAlpha = gradient + 3 * k, changedDelta = gradient + 4 * k, sorted = gradient + 5 * k
        let deltas = gradient + 6 * k  // per class, zero but while an update is applied
        var activeCount = n
        var random = SplitMix64(seed: seed)
        var shrinkTolerance = max(10 * tolerance, 1)
        var startedFromAll = true
        let c = cost
        let groupCount = matrix.groups.count == n ? Int(matrix.groups.max() ?? 0) + 1 : 1
        let wide = usesAVX2 && Self.cpuHasAVX2 && k <= 40

        matrix.columns.withUnsafeBufferPointer { columns in
        matrix.values.withUnsafeBufferPointer { values in
        matrix.rowStarts.withUnsafeBufferPointer { rowStarts in
        matrix.labels.withUnsafeBufferPointer { labels in
        matrix.squaredNorms.withUnsafeBufferPointer { squaredNorms in
        weights.withUnsafeMutableBufferPointer { w in
        biases.withUnsafeMutableBufferPointer { biases in
            let wb = w.baseAddress!
            for _ in 0..<maximumPasses {
                var violation = -Float.infinity
                for i in 0..<activeCount {
                    order.swapAt(i, i + Int(random.next() % UInt64(activeCount - i)))
                }
                if groupCount > 1 { Self.gather(order, activeCount, groups: matrix.groups, groupCount: groupCount) }
                var s = 0
                while s < activeCount {
                    let i = order[s]
                    let a = squaredNorms[i]
                    let start = rowStarts[i], end = rowStarts[i + 1]
                    let y = Int(labels[i])
                    let base = i * k
                    let active = activeClasses[i]
                    let alphas = alpha.baseAddress! + base, classes = classOrder.baseAddress! + base
                    // The next example (unless this one is shrunk away): its dual variables now,
                    // its rows one per row of this one while this one is scored.
                    let next = s + 1 < activeCount ? order[s + 1] : i
                    var ahead = Lookahead(start: rowStarts[next], end: next == i ? rowStarts[next] : rowStarts[next + 1])
                    Self.prefetch(alpha.baseAddress! + next * k, count: k, of: Float.self)
                    Self.prefetch(classOrder.baseAddress! + next * k, count: k, of: Int32.self)
                    // Further ahead, what the next examples' first reads would wait for (they
                    // come in random order, so each is a cache miss otherwise): the features of
                    // the one after next, and the bookkeeping of the one after that.
                    if s + 2 < activeCount {
                        let later = order[s + 2]
                        let from = rowStarts[later], count = rowStarts[later + 1] - from
                        Self.prefetch(columns.baseAddress! + from, count: count, of: Int32.self)
                        Self.prefetch(values.baseAddress! + from, count: count, of: Float.self)
                    }
                    if s + 3 < activeCount {
                        let latest = order[s + 3]
                        Self.prefetch(rowStarts.baseAddress! + latest, count: 2, of: Int.self)
                        Self.prefetch(squaredNorms.baseAddress! + latest, count: 1, of: Float.self)
                        Self.prefetch(labels.baseAddress! + latest, count: 1, of: Int32.self)
                        Self.prefetch(activeClasses.baseAddress! + latest, count: 1, of: Int.self)
                        Self.prefetch(labelSlot.baseAddress! + latest, count: 1, of: Int.self)
                    }
                    if wide {
                        firstline_score_avx2(
                            k, wb, biases.baseAddress!, columns.baseAddress!, values.baseAddress!, start, end, scores,
                            columns.baseAddress! + ahead.position, ahead.end - ahead.position)
                        ahead.position = ahead.end
                    } else {
                        Self.score(
                            classCount: k, weights: wb, biases: biases.baseAddress!, columns: columns, values: values,
                            features: start..<end, into: scores, ahead: &ahead)
                    }
                    while ahead.position < ahead.end { ahead.prefetchOne(columns: columns, weights: wb, classCount: k) }
                    for slot in 0..<active {
                        let m = Int(classes[slot])
                        gradient[slot] = scores[m] + (m == y ? 0 : 1)
                    }
                    var minG = Float.infinity, maxG = -Float.infinity
                    for slot in 0..<active {
                        if alphas[Int(classes[slot])] < 0 && gradient[slot] < minG { minG = gradient[slot] }
                        if gradient[slot] > maxG { maxG = gradient[slot] }
                    }
                    var ySlot = labelSlot[i]
                    if ySlot < active && alphas[y] < c && gradient[ySlot] < minG { minG = gradient[ySlot] }
                    // Shrink classes whose variables sit at their bound with no pull.
                    var slot = 0
                    var activeNow = active
                    while slot < activeNow {
                        if isShrunk(slot, ySlot: ySlot, alpha: alphas[Int(classes[slot])], g: gradient[slot], minG: minG) {
                            activeNow -= 1
                            while activeNow > slot {
                                if !isShrunk(activeNow, ySlot: ySlot, alpha: alphas[Int(classes[activeNow])], g: gradient[activeNow], minG: minG) {
                                    (classes[slot], classes[activeNow]) = (classes[activeNow], classes[slot])
                                    (gradient[slot], gradient[activeNow]) = (gradient[activeNow], gradient[slot])
                                    if ySlot == activeNow { ySlot = slot } else if ySlot == slot { ySlot = activeNow }
                                    break
                                }
                                activeNow -= 1
                            }
                        }
                        slot += 1
                    }
                    labelSlot[i] = ySlot
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
                        b[slot] = gradient[slot] - a * alphas[Int(classes[slot])]
                    }
                    solveSubProblem(a: a, ySlot: ySlot, active: activeNow, b: b, sorted: sorted, alpha: newAlpha)
                    var changed = 0
                    for slot in 0..<activeNow {
                        let m = Int(classes[slot])
                        let delta = newAlpha[slot] - alphas[m]
                        alphas[m] = newAlpha[slot]
                        if abs(delta) >= 1e-12 {
                            changedClass[changed] = m
                            changedDelta[changed] = delta
                            changed += 1
                        }
                    }
                    // Each weight moves once per example, so the order of these additions
                    // does not change the result.
                    for z in 0..<changed { biases[changedClass[z]] += changedDelta[z] }
                    if changed * denseUpdateShare >= k {
                        // Many classes moved: one vectorised pass over each row, every class at
                        // once. The others add exactly +0, which leaves any weight as it was
                        // (a weight is never −0: it starts at +0, and x + (−x) rounds to +0).
                        for z in 0..<changed { deltas[changedClass[z]] = changedDelta[z] }
                        for p in start..<end {
                            let row = wb + Int(columns[p]) &* k, v = values[p]
                            for m in 0..<k { row[m] += deltas[m] * v }
                        }
                        for z in 0..<changed { deltas[changedClass[z]] = 0 }
                    } else {
                        for z in 0..<changed {
                            let weight = wb + changedClass[z], delta = changedDelta[z]
                            for p in start..<end { weight[Int(columns[p]) &* k] += delta * values[p] }
                        }
                    }
                }
                if violation < shrinkTolerance {
                    if violation < tolerance && startedFromAll { break }
                    activeCount = n
                    activeClasses.update(repeating: k)
                    shrinkTolerance = max(shrinkTolerance / 2, tolerance)
                    startedFromAll = true
                } else {
                    startedFromAll = false
                }
            }
        }
        }
        }
        }
        }
        }
        }
        return (weights, biases)
    }

    /// Whether examples are scored by the AVX2 kernel (`firstline_score_avx2`: eight classes
    /// per instruction instead of four, the same bits) — only ever where the CPU has AVX2 and
    /// there are at most 40 classes.
    var usesAVX2 = Self.cpuHasAVX2

    /// Whether this CPU runs AVX2 (asked once).
    static let cpuHasAVX2 = firstline_has_avx2() != 0

    /// Rows are updated whole when at least one class in this many moved. On the bundle, 2 to
    /// 4 trained a few per cent faster than never in two alternating runs — within this
    /// machine's noise, not a firm gain; the result is the same either way (tested).
    var denseUpdateShare = 3

    /// Asks for the cache lines of `count` values of `T` from `start` (a hint; nothing waits).
    @inline(__always)
    fileprivate static func prefetch<T>(_ start: UnsafeRawPointer, count: Int, of _: T.Type) {
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
    private static func gather(_ order: UnsafeMutableBufferPointer<Int>, _ count: Int, groups: [Int32], groupCount: Int) {
        var starts = [Int](repeating: 0, count: groupCount + 1)
        for s in 0..<count { starts[Int(groups[order[s]]) + 1] += 1 }
        for g in 0..<groupCount { starts[g + 1] += starts[g] }
        var sorted = [Int](repeating: 0, count: count)
        for s in 0..<count {
            let g = Int(groups[order[s]])
            sorted[starts[g]] = order[s]
            starts[g] += 1
        }
        for s in 0..<count { order[s] = sorted[s] }
    }

    @inline(__always)
    private func isShrunk(_ slot: Int, ySlot: Int, alpha: Float, g: Float, minG: Float) -> Bool {
        let bound: Float = slot == ySlot ? cost : 0
        return alpha == bound && g < minG
    }

    /// The exact solution of one example's sub-problem (Crammer & Singer's fixed-point rule).
    func solveSubProblem(
        a: Float, ySlot: Int, active: Int, b: UnsafePointer<Float>, sorted: UnsafeMutablePointer<Float>, alpha: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<active { sorted[r] = b[r] }
        if ySlot < active { sorted[ySlot] += a * cost }
        // The rule reads the values largest first and usually stops after a few: select them
        // one at a time instead of sorting them all (the same values in the same order).
        Self.selectLargest(sorted, at: 0, active)
        var beta = sorted[0] - a * cost
        var r = 1
        while r < active {
            Self.selectLargest(sorted, at: r, active)
            guard beta < Float(r) * sorted[r] else { break }
            beta += sorted[r]
            r += 1
        }
        beta /= Float(r)
        for slot in 0..<active {
            let value = (beta - b[slot]) / a
            alpha[slot] = slot == ySlot ? min(cost, value) : min(0, value)
        }
    }

    /// Moves the largest of `values[position..<count]` to `position`.
    @inline(__always)
    private static func selectLargest(_ values: UnsafeMutablePointer<Float>, at position: Int, _ count: Int) {
        var best = position
        for j in position + 1..<max(count, position + 1) where values[j] > values[best] { best = j }
        (values[position], values[best]) = (values[best], values[position])
    }

    /// The next example's weight rows, asked for one at a time while this one is scored.
    struct Lookahead {
        var position: Int
        let end: Int

        init(start: Int, end: Int) {
            position = start
            self.end = end
        }

        @inline(__always)
        mutating func prefetchOne(columns: UnsafeBufferPointer<Int32>, weights: UnsafePointer<Float>, classCount k: Int) {
            guard position < end else { return }
            MulticlassSVMTrainer.prefetch(weights + Int(columns[position]) &* k, count: k, of: Float.self)
            position += 1
        }
    }

    /// `score`'s last block of 32 classes from `m`, and the `extra` (1–3) classes after it, in
    /// one pass over the features.
    @inline(__always)
    private static func scoreLastBlock(
        from m: Int, extra: Int, classCount stride: Int, weights: UnsafePointer<Float>, biases: UnsafePointer<Float>,
        columns: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>, features: Range<Int>,
        into scores: UnsafeMutablePointer<Float>, ahead: inout Lookahead, first: Bool
    ) {
        typealias Lane = SIMD4<Float>
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> Lane { UnsafeRawPointer(p).loadUnaligned(as: Lane.self) }
        @inline(__always) func store(_ lane: Lane, _ p: UnsafeMutablePointer<Float>) {
            UnsafeMutableRawPointer(p).storeBytes(of: lane, as: Lane.self)
        }
        // With fewer than three extra classes the last one is summed more than once (the same
        // value, stored more than once).
        let e0 = m + 32, e1 = m + 32 + min(1, extra - 1), e2 = m + 32 + min(2, extra - 1)
        var s0 = load(biases + m), s1 = load(biases + m + 4), s2 = load(biases + m + 8), s3 = load(biases + m + 12)
        var s4 = load(biases + m + 16), s5 = load(biases + m + 20), s6 = load(biases + m + 24), s7 = load(biases + m + 28)
        var t0 = biases[e0], t1 = biases[e1], t2 = biases[e2]
        for p in features {
            if first { ahead.prefetchOne(columns: columns, weights: weights, classCount: stride) }
            let base = weights + Int(columns[p]) &* stride
            let row = base + m
            let value = values[p]
            let v = Lane(repeating: value)
            s0 += load(row) * v; s1 += load(row + 4) * v; s2 += load(row + 8) * v; s3 += load(row + 12) * v
            s4 += load(row + 16) * v; s5 += load(row + 20) * v; s6 += load(row + 24) * v; s7 += load(row + 28) * v
            t0 += base[e0] * value; t1 += base[e1] * value; t2 += base[e2] * value
        }
        store(s0, scores + m); store(s1, scores + m + 4); store(s2, scores + m + 8); store(s3, scores + m + 12)
        store(s4, scores + m + 16); store(s5, scores + m + 20); store(s6, scores + m + 24); store(s7, scores + m + 28)
        scores[e2] = t2; scores[e1] = t1; scores[e0] = t0
    }

    /// `scores[m] = biases[m] + Σ weights[column · classCount + m] · value` over an example's
    /// features. The sums stay in registers, 32 classes at a time in eight lanes of four (a
    /// plain loop reloads and stores every score per feature; this one is a third faster on the
    /// bundle); each class still adds its terms in feature order, so the sums are the same to
    /// the bit. The one to three classes after the last block of 32 are summed in the same pass
    /// (`scoreLastBlock`; for the bundle's 33 classes that saves a second pass over the
    /// features: the machines 0.84× in one run of nine first starts each). The look-ahead
    /// issues one hint per feature of the first block.
    @inline(__always)
    static func score(
        classCount count: Int, weights: UnsafePointer<Float>, biases: UnsafePointer<Float>,
        columns: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>, features: Range<Int>,
        into scores: UnsafeMutablePointer<Float>, ahead: inout Lookahead
    ) {
        typealias Lane = SIMD4<Float>
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> Lane { UnsafeRawPointer(p).loadUnaligned(as: Lane.self) }
        @inline(__always) func store(_ lane: Lane, _ p: UnsafeMutablePointer<Float>) {
            UnsafeMutableRawPointer(p).storeBytes(of: lane, as: Lane.self)
        }
        let stride = count
        var m = 0
        var first = true
        while m + 32 <= count {
            let extra = count - m - 32
            if extra >= 1 && extra <= 3 {
                // The last block, with the one to three classes after it summed alongside as
                // scalars (33 classes: one pass over the features instead of two).
                scoreLastBlock(
                    from: m, extra: extra, classCount: count, weights: weights, biases: biases, columns: columns, values: values,
                    features: features, into: scores, ahead: &ahead, first: first)
                return
            }
            var s0 = load(biases + m), s1 = load(biases + m + 4), s2 = load(biases + m + 8), s3 = load(biases + m + 12)
            var s4 = load(biases + m + 16), s5 = load(biases + m + 20), s6 = load(biases + m + 24), s7 = load(biases + m + 28)
            for p in features {
                if first { ahead.prefetchOne(columns: columns, weights: weights, classCount: count) }
                let row = weights + Int(columns[p]) &* stride + m
                let v = Lane(repeating: values[p])
                s0 += load(row) * v; s1 += load(row + 4) * v; s2 += load(row + 8) * v; s3 += load(row + 12) * v
                s4 += load(row + 16) * v; s5 += load(row + 20) * v; s6 += load(row + 24) * v; s7 += load(row + 28) * v
            }
            store(s0, scores + m); store(s1, scores + m + 4); store(s2, scores + m + 8); store(s3, scores + m + 12)
            store(s4, scores + m + 16); store(s5, scores + m + 20); store(s6, scores + m + 24); store(s7, scores + m + 28)
            m += 32
            first = false
        }
        while m + 4 <= count {
            var s0 = load(biases + m)
            for p in features {
                if first { ahead.prefetchOne(columns: columns, weights: weights, classCount: count) }
                s0 += load(weights + Int(columns[p]) &* stride + m) * Lane(repeating: values[p])
            }
            store(s0, scores + m)
            m += 4
            first = false
        }
        while m < count {
            var s0 = biases[m]
            for p in features {
                if first { ahead.prefetchOne(columns: columns, weights: weights, classCount: count) }
                s0 += weights[Int(columns[p]) &* stride + m] * values[p]
            }
            scores[m] = s0
            m += 1
            first = false
        }
    }
}
