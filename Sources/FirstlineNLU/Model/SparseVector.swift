/// A sparse vector of feature weights: parallel arrays of column numbers and values.
public struct SparseVector: Sendable {
    /// Column numbers, ascending within each view.
    public var columns: [Int32] = []
    /// The value of each column.
    public var values: [Float] = []

    /// Creates an empty vector.
    public init() {}

    /// Whether no feature is set.
    public var isEmpty: Bool { columns.isEmpty }

    /// Dot product with a dense vector.
    /// - Complexity: O(number of set columns).
    @inline(__always)
    public func dot(_ dense: UnsafePointer<Float>) -> Float {
        var sum: Float = 0
        for i in columns.indices { sum += values[i] * dense[Int(columns[i])] }
        return sum
    }
}
