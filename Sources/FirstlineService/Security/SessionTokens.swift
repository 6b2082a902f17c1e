import Foundation

/// Chat session ids and tokens. A session id is 128 random bits (`s_` + 32 hex); its token is
/// HMAC-SHA-256 of the id under the server's secret key, cut to 128 bits (32 hex). Without the
/// key a token is indistinguishable from random bits; with it, the service checks a token
/// (in constant time) with no token store — so tokens survive restarts and crashes with
/// nothing more to make durable. The key is 256 random bits in `secret.key` in the data
/// folder (mode 0600), created on first start; deleting it invalidates every chat token.
public struct SessionTokens: Sendable {
    private let key: [UInt8]

    public init(key: [UInt8]) {
        self.key = key
    }

    /// Loads the key from `path`, creating it (0600) when missing.
    /// - Throws: `ServiceSetupError` when the file is unreadable or not 32 bytes.
    public static func load(path: String) throws -> SessionTokens {
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else { throw ServiceSetupError("\(path) is \(data.count) bytes, not a 32-byte key; delete it to make a new one (every chat token then changes)") }
            return SessionTokens(key: Array(data))
        }
        let key = SecretToken.randomBytes(32)
        try SecureFile.write(Data(key), to: path)
        return SessionTokens(key: key)
    }

    /// A new random session id.
    public func newSessionID() -> String { "s_" + SecretToken.generate() }

    /// The token of a session.
    public func token(for session: String) -> String {
        Hex.encode(Array(HMACSHA256.authenticate(Array(session.utf8), key: key).prefix(16)))
    }

    /// Whether `token` is the session's token (constant time).
    public func verify(_ token: String, session: String) -> Bool {
        SecretToken.constantTimeEquals(Array(token.utf8), Array(self.token(for: session).utf8))
    }
}

/// A problem with the data folder or the configuration at start-up: what and how to fix it.
public struct ServiceSetupError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Files holding secrets or their hashes: written atomically (temp, fsync, rename) with mode 0600.
enum SecureFile {
    static func write(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw ServiceSetupError("cannot write \(temporary): check that the data folder exists and is writable")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ServiceSetupError("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
        }
    }
}
