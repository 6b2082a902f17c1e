import Foundation

/// The agent accounts in `agents.json` in the data folder: id, name, skills (departments),
/// capacity and the SHA-256 of the agent's token — never the token itself, which
/// `firstline agents add` prints once. The running service re-reads the file when it
/// changes, so an agent added while it runs can sign in at once.
public final class AgentDirectory: @unchecked Sendable {  // the account list is guarded by `lock`
    /// One account.
    public struct Account: Codable, Equatable, Sendable {
        public var id: String
        public var name: String
        public var skills: [String]
        public var capacity: Int
        public var tokenHash: String

        enum CodingKeys: String, CodingKey {
            case id, name, skills, capacity
            case tokenHash = "token_sha256"
        }
    }

    private struct File: Codable {
        var agents: [Account]
    }

    public let path: String
    private let lock = NSLock()
    private var accounts: [Account] = []
    private var loadedModification: Date?  // guarded by `lock`

    public init(path: String) throws {
        self.path = path
        try reload()
    }

    /// Every account.
    public var all: [Account] {
        refreshIfChanged()
        return lock.withLock { accounts }
    }

    /// The account whose token this is. Every stored hash is compared, in constant time.
    public func authenticate(_ token: String) -> Account? {
        guard !token.isEmpty, token.utf8.count <= 128 else { return nil }
        refreshIfChanged()
        let hash = Array(SecretToken.storedHash(of: token).utf8)
        var found: Account?
        for account in lock.withLock({ accounts }) where SecretToken.constantTimeEquals(hash, Array(account.tokenHash.utf8)) {
            found = account
        }
        return found
    }

    /// Adds an account and returns its token (shown once; only its hash is stored).
    /// - Throws: `ServiceSetupError` for an empty name, no skills, or a file that cannot be written.
    public func add(name: String, skills: [String], capacity: Int = 5) throws -> (Account, token: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 80 else { throw ServiceSetupError("an agent needs a name of 1–80 characters") }
        guard !skills.isEmpty else { throw ServiceSetupError("an agent needs at least one skill (a department id), e.g. --skills payments,bonus") }
        guard (1...50).contains(capacity) else { throw ServiceSetupError("capacity must be 1–50 chats at once") }
        try reload()
        let token = SecretToken.generate()
        let account = lock.withLock { () -> Account in
            var id = Self.slug(name)
            var suffix = 2
            while accounts.contains(where: { $0.id == id }) { id = Self.slug(name) + "-\(suffix)"; suffix += 1 }
            let account = Account(id: id, name: name, skills: skills, capacity: capacity, tokenHash: SecretToken.storedHash(of: token))
            accounts.append(account)
            return account
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try SecureFile.write(try encoder.encode(File(agents: lock.withLock { accounts })), to: path)
        let modified = Self.modification(path)
        lock.withLock { loadedModification = modified }
        return (account, token)
    }

    /// Reads the file again (a missing file is an empty directory).
    public func reload() throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            lock.withLock { accounts = [] }
            return
        }
        do {
            let file = try JSONDecoder().decode(File.self, from: data)
            let modified = Self.modification(path)
            lock.withLock {
                accounts = file.agents
                loadedModification = modified
            }
        } catch {
            throw ServiceSetupError("\(path) is not a valid agent list (\(error.localizedDescription)); fix it or move it away and add the agents again")
        }
    }

    private func refreshIfChanged() {
        let modified = Self.modification(path)
        if modified != lock.withLock({ loadedModification }) { try? reload() }
    }

    private static func modification(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// A lower-case ASCII id from a name ("Ayşe Kaya" → "ayse-kaya").
    static func slug(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var out = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) { out.unicodeScalars.append(scalar) } else if !out.hasSuffix("-") { out += "-" }
        }
        out = out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return out.isEmpty ? "agent" : String(out.prefix(40))
    }
}
