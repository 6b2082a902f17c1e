/// Every problem found while loading a bundle. Loading fails when `errors` is not empty;
/// warnings are printed by `firstline lint` and do not stop a bundle.
public struct BundleProblems: Error, Sendable, CustomStringConvertible {
    /// Problems that make the bundle unusable.
    public var errors: [NLUError] = []
    /// Problems worth a trainer's look that do not stop the bundle.
    public var warnings: [NLUError] = []

    /// Creates an empty list.
    public init() {}

    /// One line per problem, errors first.
    public var description: String {
        (errors.map { "error: \($0)" } + warnings.map { "warning: \($0)" }).joined(separator: "\n")
    }

    mutating func error(_ file: String, _ field: String?, _ problem: String) {
        errors.append(NLUError(file: file, field: field, problem: problem))
    }

    mutating func warning(_ file: String, _ field: String?, _ problem: String) {
        warnings.append(NLUError(file: file, field: field, problem: problem))
    }
}
