import Foundation

/// Turns hashed features into weighted sparse vectors: sublinear term frequency
/// (1 + ln tf) times smoothed inverse document frequency, each view L2-normalised apart.
///
/// The vocabulary and document frequencies are learned from the training messages. The
/// character view may leave out the inverse document frequency: its rare n-grams are mostly
/// fragments of typos and rare inflections, and weighing them up lets them drown the shared
/// stems that carry the meaning (on validation data the unweighted view is clearly better).
public struct Vectorizer: Sendable {
    /// Word-view columns come first, then character-view columns.
    private(set) var wordIndex: FeatureIndex
    private(set) var characterIndex: FeatureIndex
    /// Inverse document frequency per column.
    private(set) var idf: [Float]
    /// Whether the character view is weighted by `idf` (else its entries of `idf` are 1).
    let characterIDF: Bool

    /// A vectorizer as saved by `TrainedState`.
    init(restoring wordIndex: FeatureIndex, characterIndex: FeatureIndex, idf: [Float], characterIDF: Bool) throws(TrainedStateError) {
        guard idf.count == wordIndex.count + characterIndex.count else {
            throw TrainedStateError("\(idf.count) document frequencies for \(wordIndex.count + characterIndex.count) columns")
        }
        self.wordIndex = wordIndex
        self.characterIndex = characterIndex
        self.idf = idf
        self.characterIDF = characterIDF
    }

    private init(wordIndex: FeatureIndex, characterIndex: FeatureIndex, idf: [Float], characterIDF: Bool) {
        self.wordIndex = wordIndex
        self.characterIndex = characterIndex
        self.idf = idf
        self.characterIDF = characterIDF
    }

    /// The number of word-view columns (they come first).
    var wordColumnCount: Int { wordIndex.count }

    /// The number of columns of both views.
    public var columnCount: Int { wordIndex.count + characterIndex.count }

    /// Learns the vocabulary and document frequencies of `documents`.
    /// - Complexity: O(total number of features).
    public init(fitting documents: [MessageFeatures], characterIDF: Bool = true, minimumDocumentFrequency: Int = 1) {
        self = Self.fitting(documents, characterIDF: characterIDF, minimumDocumentFrequency: minimumDocumentFrequency).vectorizer
    }

    /// The columns each training document's features got while the vocabulary was learnt
    /// (all of them, in order: view by view, document by document), so the documents' vectors
    /// need no lookups.
    struct FittedColumns: Sendable {
        var words: [Int32] = [], characters: [Int32] = []
        /// Where each document's columns start (one more entry than documents).
        var wordStarts: [Int] = [0], characterStarts: [Int] = [0]
    }

    /// The vectorizer of `init(fitting:)`, and the columns its documents' features got (nil
    /// when rare features were dropped, which renumbers the columns).
    static func fitting(
        _ documents: [MessageFeatures], characterIDF: Bool, minimumDocumentFrequency: Int
    ) -> (vectorizer: Vectorizer, columns: FittedColumns?) {
        // The character view (most of the work) is counted in two halves side by side, the
        // word view after the second half; the halves are then merged in document order.
        let half = documents.count / 2
        var wordCount: ViewCount?, firstHalf: ViewCount?, secondHalf: ViewCount?
        Parallel.run(
            { firstHalf = Self.count(documents[..<half], capacity: 1 << 16) { $0.characters } },
            {
                secondHalf = Self.count(documents[half...], capacity: 1 << 16) { $0.characters }
                wordCount = Self.count(documents[...], capacity: 1 << 15) { $0.words }
            })
        let characterCount = firstHalf!.merged(with: secondHalf!)
        var (words, wordDF) = (wordCount!.index, wordCount!.frequencies)
        var (characters, characterDF) = (characterCount.index, characterCount.frequencies)
        let (wordHashes, characterHashes) = (wordCount!.hashes, characterCount.hashes)
        let fitted = FittedColumns(
            words: wordCount!.columns, characters: characterCount.columns,
            wordStarts: wordCount!.starts, characterStarts: characterCount.starts)
        // Features seen in fewer than `minimumDocumentFrequency` training messages get no
        // column: mostly typos and one-off fragments, they are a large share of the
        // vocabulary and memory and carry almost nothing to new messages.
        let pruning = minimumDocumentFrequency > 1
        if pruning {
            (words, wordDF) = Self.pruned(words, wordHashes, wordDF, minimum: Int32(minimumDocumentFrequency))
            (characters, characterDF) = Self.pruned(characters, characterHashes, characterDF, minimum: Int32(minimumDocumentFrequency))
        }
        let n = Float(documents.count)
        let idf = wordDF.map { logf((1 + n) / (1 + Float($0))) + 1 }
            + characterDF.map { characterIDF ? logf((1 + n) / (1 + Float($0))) + 1 : 1 }
        return (Vectorizer(wordIndex: words, characterIndex: characters, idf: idf, characterIDF: characterIDF), pruning ? nil : fitted)
    }

    /// The weighted vector of training document `document` from its fitted columns: the same
    /// as `vector(documents[document])`, without looking the features up.
    func vector(fitted: FittedColumns, document: Int) -> SparseVector {
        let words = fitted.words[fitted.wordStarts[document]..<fitted.wordStarts[document + 1]]
        let characters = fitted.characters[fitted.characterStarts[document]..<fitted.characterStarts[document + 1]]
        var vector = SparseVector()
        vector.columns.reserveCapacity(words.count + characters.count)
        vector.values.reserveCapacity(words.count + characters.count)
        var columns = Array(words)
        appendColumns(&columns, to: &vector)
        let offset = Int32(wordIndex.count)
        columns = characters.map { $0 + offset }
        appendColumns(&columns, to: &vector)
        return vector
    }

    /// One view of some documents counted: its index (columns in order of first occurrence),
    /// document frequency and hash per column, and the column of every feature, document by
    /// document (`starts`: where each document's columns begin, one entry more
    /// than documents).
    struct ViewCount {
        var index: FeatureIndex
        var frequencies: [Int32] = []
        var hashes: [UInt64] = []
        var columns: [Int32] = []
        var starts: [Int] = [0]

        /// The count of these documents followed by `later`'s: the same as counting them all
        /// at once (the later documents' new features numbered in their order of first
        /// occurrence after these documents' own).
        func merged(with later: ViewCount) -> ViewCount {
            var merged = self
            var renumbered = [Int32](repeating: 0, count: later.hashes.count)
            for (local, hash) in later.hashes.enumerated() {
                let column = Int(merged.index.insert(hash))
                if column == merged.frequencies.count {
                    merged.frequencies.append(0)
                    merged.hashes.append(hash)
                }
                merged.frequencies[column] += later.frequencies[local]
                renumbered[local] = Int32(column)
            }
            merged.columns.reserveCapacity(columns.count + later.columns.count)
            for column in later.columns { merged.columns.append(renumbered[Int(column)]) }
            let offset = columns.count
            for start in later.starts.dropFirst() { merged.starts.append(start + offset) }
            return merged
        }
    }

    /// One view of `documents` counted.
    static func count(
        _ documents: ArraySlice<MessageFeatures>, capacity: Int, _ view: (MessageFeatures) -> [UInt64]
    ) -> ViewCount {
        var result = ViewCount(index: FeatureIndex(capacity: capacity))
        result.starts.reserveCapacity(documents.count + 1)
        result.columns.reserveCapacity(documents.reduce(0) { $0 + view($1).count })
        // Per column, the last document that counted it (each document counts once).
        var seen: [Int32] = []
        for (d, document) in documents.enumerated() {
            let stamp = Int32(truncatingIfNeeded: d)
            for hash in view(document) {
                let column = Int(result.index.insert(hash))
                result.columns.append(Int32(column))
                if column == result.frequencies.count {
                    result.frequencies.append(0)
                    seen.append(-1)
                    result.hashes.append(hash)
                }
                if seen[column] != stamp { seen[column] = stamp; result.frequencies[column] += 1 }
            }
            result.starts.append(result.columns.count)
        }
        return result
    }

    private static func pruned(_ index: FeatureIndex, _ hashes: [UInt64], _ df: [Int32], minimum: Int32) -> (FeatureIndex, [Int32]) {
        var kept = FeatureIndex(capacity: max(index.count / 2, 16))
        var keptDF: [Int32] = []
        for (column, hash) in hashes.enumerated() where df[column] >= minimum {
            _ = kept.insert(hash)
            keptDF.append(df[column])
        }
        return (kept, keptDF)
    }

    /// The weighted vector of a message's token forms, for scoring: the same weights as
    /// `vector(extractor.features(of: forms))`, without building the lists of hashes and with
    /// the columns in order of first occurrence (the views interleaved) instead of ascending.
    /// `body` gets the columns, their weights and their number; the memory is scratch that
    /// lives only during the call (on the stack for a message of ordinary length).
    /// - Complexity: O(k) for k feature occurrences.
    @inline(__always)
    func weigh<R>(
        _ forms: TokenForms, extractor: FeatureExtractor,
        _ body: (_ columns: UnsafePointer<Int32>, _ values: UnsafePointer<Float>, _ count: Int) -> R
    ) -> R {
        let bound = max(extractor.occurrenceBound(of: forms), 1)
        let wordCount = Int32(wordIndex.count)
        // The hashes first, then all the lookups, then the counting: the lookups do not depend
        // on one another, so their cache misses overlap instead of each waiting on the hashing
        // and counting around it.
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: bound) { hashes in
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * bound + ColumnCounter.slotCount(occurrences: bound)) { integers in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: bound) { values in
            let found = integers.baseAddress!, distinct = integers.baseAddress! + bound
            var n = 0
            extractor.visitHashes(forms) { view, hash in
                // The view waits in `found` for the lookup that replaces it by the column.
                guard n < bound else { return }
                hashes[n] = hash
                found[n] = Int32(view)
                n += 1
            }
            wordIndex.withLookup { words in
                characterIndex.withLookup { characters in
                    for i in 0..<n {
                        if found[i] == 0 {
                            found[i] = words(hashes[i])
                        } else {
                            let column = characters(hashes[i])
                            found[i] = column < 0 ? -1 : column + wordCount
                        }
                    }
                }
            }
            var counter = ColumnCounter(
                columns: distinct, values: values.baseAddress!, slots: UnsafeMutableBufferPointer(rebasing: integers[(2 * bound)...]))
            for i in 0..<n where found[i] >= 0 { counter.add(found[i]) }
            let columns = counter.columns, weights = counter.values, count = counter.count
            var wordNorm: Float = 0, characterNorm: Float = 0
            idf.withUnsafeBufferPointer { idf in
                for i in 0..<count {
                    let column = columns[i]
                    let occurrences = weights[i]
                    let frequency = occurrences == 1 ? 1 : 1 + logf(occurrences)
                    if column < wordCount {
                        let weight = frequency * idf[Int(column)]
                        weights[i] = weight
                        wordNorm += weight * weight
                    } else {
                        let weight = characterIDF ? frequency * idf[Int(column)] : frequency
                        weights[i] = weight
                        characterNorm += weight * weight
                    }
                }
            }
            let wordScale = 1 / sqrtf(wordNorm), characterScale = 1 / sqrtf(characterNorm)
            for i in 0..<count { weights[i] *= columns[i] < wordCount ? wordScale : characterScale }
            return body(columns, weights, count)
        }
        }
        }
    }

    /// The weighted vector of one message; features never seen in training are dropped.
    /// - Complexity: O(k log k) for k features.
    public func vector(_ features: MessageFeatures) -> SparseVector {
        var vector = SparseVector()
        vector.columns.reserveCapacity(features.words.count + features.characters.count)
        vector.values.reserveCapacity(features.words.count + features.characters.count)
        appendView(features.words, index: wordIndex, offset: 0, to: &vector)
        appendView(features.characters, index: characterIndex, offset: Int32(wordIndex.count), to: &vector)
        return vector
    }

    /// The column of a feature hash, in either view.
    public func column(of hash: UInt64) -> Int32? {
        if let column = wordIndex.column(of: hash) { return column }
        return characterIndex.column(of: hash).map { $0 + Int32(wordIndex.count) }
    }

    private func appendView(_ hashes: [UInt64], index: FeatureIndex, offset: Int32, to vector: inout SparseVector) {
        var columns: [Int32] = []
        columns.reserveCapacity(hashes.count)
        for hash in hashes {
            if let column = index.column(of: hash) { columns.append(column + offset) }
        }
        appendColumns(&columns, to: &vector)
    }

    /// One view's columns (with repeats) weighted — sublinear term frequency times inverse
    /// document frequency, L2-normalised — and appended to `vector` in ascending order.
    private func appendColumns(_ columns: inout [Int32], to vector: inout SparseVector) {
        guard !columns.isEmpty else { return }
        columns.sort()
        let start = vector.values.count
        var norm: Float = 0
        var i = 0
        while i < columns.count {
            var j = i + 1
            while j < columns.count && columns[j] == columns[i] { j += 1 }
            let weight = (1 + logf(Float(j - i))) * idf[Int(columns[i])]
            vector.columns.append(columns[i])
            vector.values.append(weight)
            norm += weight * weight
            i = j
        }
        let scale = 1 / sqrtf(norm)
        for k in start..<vector.values.count { vector.values[k] *= scale }
    }
}
