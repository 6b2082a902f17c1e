#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// The trained weights in the shape that scores a message fastest: frequent feature columns
/// as dense rows, rare ones as sparse lists of the classes whose weights are not zero.
///
/// Short character n-grams occur in most intents, so their rows are stored whole (machine
/// weights then Bayes corrections, each half `classCount` 16-bit values against its own
/// float scale, padded with zeros to a multiple of 16 so the vectorised loop has no
/// remainder) and added eight at a time; the
/// long tail of n-grams that occur in a
/// handful of intents keeps a few `(class, weight, correction)` entries. Scoring a message
/// reads only the rows of its features, which is what keeps classification within
/// microseconds.
struct ScoringTable: Sendable {
    /// Where a column's weights are: `start < 0` for dense row `-1 - start`, else its sparse
    /// entries are `start..<end`. One record per column, so a lookup touches one cache line.
    struct ColumnRecord: Sendable {
        var start: Int32
        var end: Int32
    }

    /// One class's weights in a sparse column.
    struct SparseEntry: Sendable {
        var label: Int32
        var machine: Float
        var bayes: Float
    }

    let classCount: Int
    /// Values per half of a dense row: `classCount` rounded up to a multiple of 16.
    let halfWidth: Int
    /// Values per dense row: `2 · halfWidth`.
    var rowWidth: Int { 2 * halfWidth }
    let records: [ColumnRecord]
    let entries: [SparseEntry]
    /// Dense rows, `rowWidth` values each: machine weights (padded with zeros to `halfWidth`),
    /// then Bayes corrections (likewise), each half quantised to 16 bits against its own scale.
    let denseRows: [Int16]
    /// Two per dense row: what one step of its machine half, then of its Bayes half, is worth.
    let denseScales: [Float]
    let machineBiases: [Float]
    let bayesPriors: [Float]
    let bayesBases: [Float]

    /// A table as saved by `TrainedState`, checked so that no record points outside its rows.
    init(restoring classCount: Int, records: [ColumnRecord], entries: [SparseEntry], denseRows: [Int16], denseScales: [Float],
         machineBiases: [Float], bayesPriors: [Float], bayesBases: [Float]) throws(TrainedStateError) {
        let halfWidth = (classCount + 15) / 16 * 16
        guard classCount > 0, denseRows.count % (2 * halfWidth) == 0, denseScales.count == denseRows.count / halfWidth,
              machineBiases.count == classCount, bayesPriors.count == classCount,
              bayesBases.count == classCount else { throw TrainedStateError("the weight table's shapes do not agree") }
        let rows = denseRows.count / (2 * halfWidth)
        for record in records {
            if record.start < 0 {
                guard Int(-1 - Int64(record.start)) < rows else { throw TrainedStateError("a dense row out of range") }
            } else {
                guard record.start <= record.end, Int(record.end) <= entries.count else { throw TrainedStateError("sparse weights out of range") }
            }
        }
        guard entries.allSatisfy({ (0..<Int32(classCount)).contains($0.label) }) else { throw TrainedStateError("a weight for an unknown class") }
        self.classCount = classCount
        self.halfWidth = halfWidth
        self.records = records
        self.entries = entries
        self.denseRows = denseRows
        self.denseScales = denseScales
        self.machineBiases = machineBiases
        self.bayesPriors = bayesPriors
        self.bayesBases = bayesBases
    }

    /// `count` values quantised to 16 bits against their largest magnitude into `row`, which
    /// holds `width` values (the rest zero); returns the scale (what one step is worth).
    private static func quantise(_ values: UnsafePointer<Float>, count: Int, into row: UnsafeMutablePointer<Int16>) -> Float {
        var largest: Float = 0
        for c in 0..<count { largest = max(largest, abs(values[c])) }
        let scale = largest > 0 ? largest / 32767 : 0
        for c in 0..<count { row[c] = scale > 0 ? Int16(roundedToInteger(values[c] / scale)) : 0 }
        return scale
    }

    /// `x.rounded()` (half away from zero) for |x| < 2³¹, without the C library call: the
    /// conversion truncates, and `x` minus its integer part is exact in floating point.
    @inline(__always)
    static func roundedToInteger(_ x: Float) -> Int32 {
        var integer = Int32(x)
        let fraction = x - Float(integer)
        if fraction >= 0.5 { integer += 1 } else if fraction <= -0.5 { integer -= 1 }
        return integer
    }

    /// Compresses dense feature-major weights; a column becomes a dense row when more than
    /// a quarter of the classes have an entry in it. Two passes, each split between the cores:
    /// count each column's entries, then (once a running sum has placed every column) fill.
    /// - Complexity: O(columns · classes).
    init(machine: (weights: [Float], biases: [Float]), bayes: NaiveBayesTrainer.Result, columnCount: Int, classCount k: Int) {
        classCount = k
        let halfWidth = (k + 15) / 16 * 16
        self.halfWidth = halfWidth
        let weights = machine.weights, corrections = bayes.corrections
        // Both passes read through pointers: the shapes are checked once, here.
        precondition(weights.count == columnCount * k && corrections.count == columnCount * k, "weights of another shape")
        let halves = [0..<columnCount / 2, columnCount / 2..<columnCount]
        // Entries per column (classes with a weight or a correction).
        let counts: [Int32] = weights.withUnsafeBufferPointer { w in
            corrections.withUnsafeBufferPointer { b in
                Parallel.map(halves, minimumChunk: 1) { columns in
                    columns.map { column in
                        let w = w.baseAddress! + column * k, b = b.baseAddress! + column * k
                        // Without branches (zeros are scattered, so a branch would guess
                        // wrong often): a value is zero when its bits but the sign are.
                        var nonZero: Int32 = 0
                        for label in 0..<k { nonZero &+= (w[label].bitPattern | b[label].bitPattern) << 1 != 0 ? 1 : 0 }
                        return nonZero
                    }
                }.flatMap { $0 }
            }
        }
        var records: [ColumnRecord] = []
        records.reserveCapacity(columnCount)
        var denseCount: Int32 = 0, entryCount: Int32 = 0
        for count in counts {
            if Int(count) * 4 > k {
                records.append(ColumnRecord(start: -1 - denseCount, end: 0))
                denseCount += 1
            } else {
                records.append(ColumnRecord(start: entryCount, end: entryCount + count))
                entryCount += count
            }
        }
        var dense = [Int16](repeating: 0, count: Int(denseCount) * 2 * halfWidth)
        var scales = [Float](repeating: 0, count: 2 * Int(denseCount))
        var entries = [SparseEntry](repeating: SparseEntry(label: 0, machine: 0, bayes: 0), count: Int(entryCount))
        weights.withUnsafeBufferPointer { w in
        corrections.withUnsafeBufferPointer { b in
        records.withUnsafeBufferPointer { records in
        dense.withUnsafeMutableBufferPointer { dense in
        scales.withUnsafeMutableBufferPointer { scales in
        entries.withUnsafeMutableBufferPointer { entries in
            let denseBase = dense.baseAddress!, scaleBase = scales.baseAddress!, entryBase = entries.baseAddress!
            // Each half writes only its own columns' rows and entries.
            func fill(_ columns: Range<Int>) {
                for column in columns {
                    let w = w.baseAddress! + column * k, b = b.baseAddress! + column * k
                    let record = records[column]
                    if record.start < 0 {
                        let row = -1 - Int(record.start)
                        let out = denseBase + row * 2 * halfWidth
                        scaleBase[2 * row] = Self.quantise(w, count: k, into: out)
                        scaleBase[2 * row + 1] = Self.quantise(b, count: k, into: out + halfWidth)
                    } else {
                        var e = Int(record.start)
                        for label in 0..<k where w[label] != 0 || b[label] != 0 {
                            entryBase[e] = SparseEntry(label: Int32(label), machine: w[label], bayes: b[label])
                            e += 1
                        }
                    }
                }
            }
            Parallel.run({ fill(halves[0]) }, { fill(halves[1]) })
        }
        }
        }
        }
        }
        }
        self.records = records
        self.entries = entries
        denseRows = dense
        denseScales = scales
        machineBiases = machine.biases
        bayesPriors = bayes.priors
        bayesBases = bayes.bases
    }

    /// Raw machine and Bayes scores of every class for a vector, written into `out` as
    /// `2 · classCount` floats (machine scores, then Bayes scores).
    /// - Complexity: O(classes per dense column + entries per sparse column).
    func accumulate(_ vector: SparseVector, into out: UnsafeMutablePointer<Float>) {
        vector.columns.withUnsafeBufferPointer { columns in
            vector.values.withUnsafeBufferPointer { values in
                accumulate(columns: columns.baseAddress!, values: values.baseAddress!, count: columns.count, into: out)
            }
        }
    }

    /// `accumulate` over `count` (column, value) pairs given as pointers (the hot path): the
    /// sparse entries first, then the dense rows four at a time in one pass over each half
    /// of the scores (each row read front to back, so the hardware prefetcher streams all four).
    ///
    /// The rows are 16-bit, so a message reads half the bytes it would as floats; `perf` shows
    /// the pass waiting mostly on the rows' loads (from the last-level cache on the test
    /// machine). Touching the next group's rows ahead of time was slower.
    func accumulate(
        columns: UnsafePointer<Int32>, values: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>
    ) {
        let k = classCount, half = halfWidth, width = 2 * halfWidth
        records.withUnsafeBufferPointer { records in
        entries.withUnsafeBufferPointer { entries in
        denseRows.withUnsafeBufferPointer { dense in
        denseScales.withUnsafeBufferPointer { scales in
        withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { rows in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * count + width) { buffer in
            let recordBase = records.baseAddress!, entryBase = entries.baseAddress!, denseBase = dense.baseAddress!
            let scaleBase = scales.baseAddress!
            // Per dense row: its value times its machine scale, then times its Bayes scale.
            let factors = buffer.baseAddress!, sums = buffer.baseAddress! + 2 * count
            for m in 0..<k { sums[m] = machineBiases[m]; sums[half + m] = bayesPriors[m] }
            for m in k..<half { sums[m] = 0; sums[half + m] = 0 }
            var mass: Float = 0
            var denseCount = 0
            for i in 0..<count {
                let record = recordBase[Int(columns[i])]
                let value = values[i]
                mass += value
                if record.start < 0 {
                    let row = -1 - Int(record.start)
                    rows[denseCount] = row * width
                    factors[2 * denseCount] = value * scaleBase[2 * row]
                    factors[2 * denseCount + 1] = value * scaleBase[2 * row + 1]
                    denseCount += 1
                } else {
                    for e in Int(record.start)..<Int(record.end) {
                        let entry = entryBase[e]
                        let label = Int(entry.label)
                        sums[label] += entry.machine * value
                        sums[half + label] += entry.bayes * value
                    }
                }
            }
            // Eight rows per pass over each half of the sums: an eighth of the loads and stores
            // of the sums, and eight streams of row reads in flight at once. The last group is
            // filled with the first row at factor zero.
            var r = 0
            while r < denseCount {
                let n = min(8, denseCount - r)
                var group: (UnsafePointer<Int16>, UnsafePointer<Int16>, UnsafePointer<Int16>, UnsafePointer<Int16>,
                            UnsafePointer<Int16>, UnsafePointer<Int16>, UnsafePointer<Int16>, UnsafePointer<Int16>)
                group.0 = denseBase + rows[r]
                group.1 = n > 1 ? denseBase + rows[r + 1] : group.0
                group.2 = n > 2 ? denseBase + rows[r + 2] : group.0
                group.3 = n > 3 ? denseBase + rows[r + 3] : group.0
                group.4 = n > 4 ? denseBase + rows[r + 4] : group.0
                group.5 = n > 5 ? denseBase + rows[r + 5] : group.0
                group.6 = n > 6 ? denseBase + rows[r + 6] : group.0
                group.7 = n > 7 ? denseBase + rows[r + 7] : group.0
                for h in 0..<2 {
                    var f: (Float, Float, Float, Float, Float, Float, Float, Float) = (0, 0, 0, 0, 0, 0, 0, 0)
                    f.0 = factors[2 * r + h]
                    if n > 1 { f.1 = factors[2 * r + 2 + h] }
                    if n > 2 { f.2 = factors[2 * r + 4 + h] }
                    if n > 3 { f.3 = factors[2 * r + 6 + h] }
                    if n > 4 { f.4 = factors[2 * r + 8 + h] }
                    if n > 5 { f.5 = factors[2 * r + 10 + h] }
                    if n > 6 { f.6 = factors[2 * r + 12 + h] }
                    if n > 7 { f.7 = factors[2 * r + 14 + h] }
                    Self.addEight(group, f, from: h * half, count: half, into: sums)
                }
                r += 8
            }
            for m in 0..<k {
                out[m] = sums[m]
                out[k + m] = sums[half + m] + mass * bayesBases[m]
            }
        }
        }
        }
        }
        }
        }
    }

    /// `sums[lo..<lo + count] += Σ fᵢ · rowᵢ` over eight 16-bit rows (`count` a multiple of 8).
    ///
    /// On x86-64 the eight factors are quantised to 13 bits against the largest of them and
    /// the rows multiplied by them in pairs with `pmaddwd` (16-bit products summed into 32
    /// bits: at most 8 · 32767 · 8191 < 2³¹), then converted and scaled once per eight rows;
    /// the factors' rounding costs at most 2⁻¹³ of the largest term per row.
    @inline(__always)
    private static func addEight(
        _ rows: (UnsafePointer<Int16>, UnsafePointer<Int16>, UnsafePointer<Int16>, UnsafePointer<Int16>,
                 UnsafePointer<Int16>, UnsafePointer<Int16>, UnsafePointer<Int16>, UnsafePointer<Int16>),
        _ f: (Float, Float, Float, Float, Float, Float, Float, Float), from lo: Int, count: Int, into sums: UnsafeMutablePointer<Float>
    ) {
        #if arch(x86_64)
        let largest = max(max(max(abs(f.0), abs(f.1)), max(abs(f.2), abs(f.3))), max(max(abs(f.4), abs(f.5)), max(abs(f.6), abs(f.7))))
        guard largest > 0 else { return }
        let step = largest / 8191
        func q(_ a: Float, _ b: Float) -> __m128i {
            let qa = Int32(a / step + (a < 0 ? -0.5 : 0.5)) & 0xFFFF, qb = Int32(b / step + (b < 0 ? -0.5 : 0.5))
            return _mm_set1_epi32(qa | (qb << 16))
        }
        let q01 = q(f.0, f.1), q23 = q(f.2, f.3), q45 = q(f.4, f.5), q67 = q(f.6, f.7)
        let scale = _mm_set1_ps(step)
        @inline(__always) func load(_ p: UnsafePointer<Int16>) -> __m128i { _mm_loadu_si128(UnsafePointer<__m128i_u>(OpaquePointer(p))) }
        var m = lo
        while m < lo + count {
            let x0 = load(rows.0 + m), x1 = load(rows.1 + m), x2 = load(rows.2 + m), x3 = load(rows.3 + m)
            let x4 = load(rows.4 + m), x5 = load(rows.5 + m), x6 = load(rows.6 + m), x7 = load(rows.7 + m)
            let low = _mm_add_epi32(
                _mm_add_epi32(_mm_madd_epi16(_mm_unpacklo_epi16(x0, x1), q01), _mm_madd_epi16(_mm_unpacklo_epi16(x2, x3), q23)),
                _mm_add_epi32(_mm_madd_epi16(_mm_unpacklo_epi16(x4, x5), q45), _mm_madd_epi16(_mm_unpacklo_epi16(x6, x7), q67)))
            let high = _mm_add_epi32(
                _mm_add_epi32(_mm_madd_epi16(_mm_unpackhi_epi16(x0, x1), q01), _mm_madd_epi16(_mm_unpackhi_epi16(x2, x3), q23)),
                _mm_add_epi32(_mm_madd_epi16(_mm_unpackhi_epi16(x4, x5), q45), _mm_madd_epi16(_mm_unpackhi_epi16(x6, x7), q67)))
            _mm_storeu_ps(sums + m, _mm_add_ps(_mm_loadu_ps(sums + m), _mm_mul_ps(_mm_cvtepi32_ps(low), scale)))
            _mm_storeu_ps(sums + m + 4, _mm_add_ps(_mm_loadu_ps(sums + m + 4), _mm_mul_ps(_mm_cvtepi32_ps(high), scale)))
            m += 8
        }
        #else
        for m in lo..<lo + count {
            sums[m] += ((Float(rows.0[m]) * f.0 + Float(rows.1[m]) * f.1) + (Float(rows.2[m]) * f.2 + Float(rows.3[m]) * f.3))
                + ((Float(rows.4[m]) * f.4 + Float(rows.5[m]) * f.5) + (Float(rows.6[m]) * f.6 + Float(rows.7[m]) * f.7))
        }
        #endif
    }

    /// Raw machine and Bayes scores of every class for a vector.
    /// - Complexity: as `accumulate`.
    func scores(of vector: SparseVector) -> (machine: [Float], bayes: [Float]) {
        var both = [Float](repeating: 0, count: 2 * classCount)
        both.withUnsafeMutableBufferPointer { accumulate(vector, into: $0.baseAddress!) }
        return (Array(both[0..<classCount]), Array(both[classCount...]))
    }

    /// The machine weight of a column for a class (zero when absent).
    func machineWeight(column: Int32, label: Int) -> Float {
        let record = records[Int(column)]
        if record.start < 0 {
            let row = -1 - Int(record.start)
            return Float(denseRows[row * rowWidth + label]) * denseScales[2 * row]
        }
        for e in Int(record.start)..<Int(record.end) where Int(entries[e].label) == label { return entries[e].machine }
        return 0
    }

    /// Bytes held by the table.
    var byteCount: Int {
        records.count * MemoryLayout<ColumnRecord>.stride + entries.count * MemoryLayout<SparseEntry>.stride
            + denseRows.count * 2 + denseScales.count * 4
    }
}
