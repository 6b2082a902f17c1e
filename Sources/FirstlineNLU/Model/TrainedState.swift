import Foundation

/// A trained classifier saved as bytes, so a service restarting on the same bundle can skip
/// training: the model's vocabulary, weights and language tables, written as they are in
/// memory (little-endian, this build's layouts) behind a header naming the format and the
/// layouts. It is a cache, never shipped: the service keeps it in its data folder under a
/// key made from the bundle's files and the binary, and anything that does not read back
/// exactly (another build, a damaged file) is simply trained again.
///
/// ```swift
/// let bytes = TrainedState.encode(classifier)
/// let again = try TrainedState.decode(bytes, bundle: bundle)   // same predictions
/// ```
public enum TrainedState {
    /// Changes whenever what is saved changes.
    static let format: UInt32 = 3
    private static let magic = Array("FLTS".utf8)

    /// The bytes of a trained classifier.
    public static func encode(_ classifier: IntentClassifier) -> [UInt8] {
        var writer = Writer()
        writer.bytes += magic
        writer.put(format)
        writer.put(UInt32(MemoryLayout<FeatureIndex.Slot>.stride))
        writer.put(UInt32(MemoryLayout<ScoringTable.ColumnRecord>.stride))
        writer.put(UInt32(MemoryLayout<ScoringTable.SparseEntry>.stride))
        let model = classifier.model
        writer.put(strings: model.labels)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        writer.put(string: (try? String(decoding: encoder.encode(model.settings), as: UTF8.self)) ?? "")
        writer.put(index: model.vectorizer.wordIndex)
        writer.put(index: model.vectorizer.characterIndex)
        writer.put(array: model.vectorizer.idf)
        writer.put(UInt32(model.vectorizer.characterIDF ? 1 : 0))
        let calibrator = model.outOfScope
        writer.put(UInt32(calibrator == nil ? 0 : 1))
        writer.put(array: calibrator.map { [$0.bias, $0.confidenceWeight, $0.typicalityWeight] } ?? [])
        let table = model.table
        writer.put(UInt32(table.classCount))
        writer.put(array: table.records)
        writer.put(array: table.entries)
        writer.put(array: table.denseRows)
        writer.put(array: table.denseScales)
        writer.put(array: table.machineBiases)
        writer.put(array: table.bayesPriors)
        writer.put(array: table.bayesBases)
        let languages = classifier.languages
        writer.put(strings: languages.locales)
        writer.put(index: languages.index)
        writer.put(array: languages.logLikelihoods)
        writer.put(array: languages.unseen)
        return writer.bytes
    }

    /// The classifier saved in `bytes`, for `bundle` (whose intents and locales it must match).
    /// - Throws: `TrainedStateError` for bytes of another format or build, or damaged.
    public static func decode(_ bytes: [UInt8], bundle: IntentBundle) throws(TrainedStateError) -> IntentClassifier {
        var reader = Reader(bytes: bytes)
        guard try reader.take(magic.count) == magic else { throw TrainedStateError("not a trained-state file") }
        guard try reader.get(UInt32.self) == format,
              try reader.get(UInt32.self) == MemoryLayout<FeatureIndex.Slot>.stride,
              try reader.get(UInt32.self) == MemoryLayout<ScoringTable.ColumnRecord>.stride,
              try reader.get(UInt32.self) == MemoryLayout<ScoringTable.SparseEntry>.stride else {
            throw TrainedStateError("saved by another version of firstline")
        }
        let labels = try reader.strings()
        guard let settings = try? JSONDecoder().decode(ClassifierSettings.self, from: Data(try reader.string().utf8)) else {
            throw TrainedStateError("the settings do not decode")
        }
        let words = try reader.index(), characters = try reader.index()
        let vectorizer = try Vectorizer(restoring: words, characterIndex: characters, idf: try reader.array(Float.self),
                                        characterIDF: try reader.get(UInt32.self) == 1)
        let hasCalibrator = try reader.get(UInt32.self) == 1
        let weights = try reader.array(Float.self)
        guard weights.count == (hasCalibrator ? 3 : 0) else { throw TrainedStateError("the out-of-scope calibrator's shape is wrong") }
        let calibrator = hasCalibrator ? OutOfScopeCalibrator(bias: weights[0], confidenceWeight: weights[1], typicalityWeight: weights[2]) : nil
        let classCount = Int(try reader.get(UInt32.self))
        let table = try ScoringTable(
            restoring: classCount, records: try reader.array(ScoringTable.ColumnRecord.self), entries: try reader.array(ScoringTable.SparseEntry.self),
            denseRows: try reader.array(Int16.self), denseScales: try reader.array(Float.self), machineBiases: try reader.array(Float.self), bayesPriors: try reader.array(Float.self),
            bayesBases: try reader.array(Float.self))
        let model = try IntentModel(restoring: labels, settings: settings, vectorizer: vectorizer, table: table, outOfScope: calibrator)
        let languages = try LanguageIdentifier(restoring: try reader.strings(), index: try reader.index(),
                                               logLikelihoods: try reader.array(Float.self), unseen: try reader.array(Float.self))
        guard reader.isAtEnd else { throw TrainedStateError("bytes after the end") }
        let intents = Set(bundle.intents.map(\.id))
        guard labels.allSatisfy({ intents.contains($0) || $0 == IntentDefinition.outOfScopeID }), Set(languages.locales) == Set(bundle.locales) else {
            throw TrainedStateError("trained on another bundle")
        }
        return IntentClassifier(bundle: bundle, model: model, languages: languages)
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func put<T: BitwiseCopyable>(_ value: T) {
            withUnsafeBytes(of: value) { bytes += $0 }
        }

        mutating func put<T: BitwiseCopyable>(array: [T]) {
            put(UInt64(array.count))
            array.withUnsafeBytes { bytes += $0 }
        }

        mutating func put(string: String) { put(array: Array(string.utf8)) }

        mutating func put(strings: [String]) {
            put(UInt64(strings.count))
            for string in strings { put(string: string) }
        }

        mutating func put(index: FeatureIndex) {
            put(UInt64(index.count))
            put(array: index.slots)
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var isAtEnd: Bool { offset == bytes.count }

        mutating func take(_ count: Int) throws(TrainedStateError) -> [UInt8] {
            guard count >= 0, count <= bytes.count - offset else { throw TrainedStateError("cut short") }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }

        mutating func get<T: BitwiseCopyable>(_ type: T.Type) throws(TrainedStateError) -> T {
            let size = MemoryLayout<T>.size
            guard size <= bytes.count - offset else { throw TrainedStateError("cut short") }
            defer { offset += size }
            return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
        }

        mutating func array<T: BitwiseCopyable>(_ type: T.Type) throws(TrainedStateError) -> [T] {
            let count = try get(UInt64.self)
            let stride = MemoryLayout<T>.stride
            guard count <= UInt64((bytes.count - offset) / max(stride, 1)) else { throw TrainedStateError("cut short") }
            let elements = Int(count)
            let result = [T](unsafeUninitializedCapacity: elements) { buffer, initialised in
                bytes.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + elements * stride]))
                }
                initialised = elements
            }
            offset += elements * stride
            return result
        }

        mutating func string() throws(TrainedStateError) -> String {
            let utf8 = try array(UInt8.self)
            guard let text = String(validating: utf8, as: UTF8.self) else { throw TrainedStateError("a name is not UTF-8") }
            return text
        }

        mutating func strings() throws(TrainedStateError) -> [String] {
            let count = try get(UInt64.self)
            guard count <= 1_000_000 else { throw TrainedStateError("too many names") }
            var result: [String] = []
            for _ in 0..<count { result.append(try string()) }
            return result
        }

        mutating func index() throws(TrainedStateError) -> FeatureIndex {
            let count = try get(UInt64.self)
            let slots = try array(FeatureIndex.Slot.self)
            guard count <= UInt64(slots.count) else { throw TrainedStateError("a vocabulary larger than its table") }
            for slot in slots where slot.column >= Int32(truncatingIfNeeded: count) || slot.column < -1 {
                throw TrainedStateError("a vocabulary slot out of range")
            }
            return try FeatureIndex(restoring: slots, count: Int(count))
        }
    }
}

/// Why saved trained state was not used (the caller trains instead).
public struct TrainedStateError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
