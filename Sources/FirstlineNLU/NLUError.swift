/// A problem with intent data, saying where it is and what is wrong, so a trainer can fix it:
/// "Intents/bonus.wagering.json: examples.tr[3]: duplicates an example of bonus.expiry".
public struct NLUError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file (and line, where there is one).
    public var file: String
    /// The field inside the file, as a path (`answers.tr`), when the problem is in one.
    public var field: String?
    /// What is wrong and, where it helps, how to fix it.
    public var problem: String

    /// Creates an error.
    public init(file: String, field: String? = nil, problem: String) {
        self.file = file
        self.field = field
        self.problem = problem
    }

    /// `file: field: problem`.
    public var description: String {
        if let field { return "\(file): \(field): \(problem)" }
        return "\(file): \(problem)"
    }
}
