/// Why the server could not start: the address, the call that failed and errno.
public struct HTTPServerError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(description: String) {
        self.description = description
    }
}
