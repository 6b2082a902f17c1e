import Foundation

/// The admin token (reload the intents, export transcripts, statistics): made on the first
/// start and printed once; `admin.json` in the data folder keeps only its SHA-256. Delete the
/// file and restart to get a new one.
struct AdminToken {
    let hash: String
    /// Set when this start made the token.
    let newToken: String?

    private struct File: Codable {
        var tokenSHA256: String
        enum CodingKeys: String, CodingKey { case tokenSHA256 = "token_sha256" }
    }

    static func load(path: String) throws -> AdminToken {
        if let data = FileManager.default.contents(atPath: path) {
            guard let file = try? JSONDecoder().decode(File.self, from: data), file.tokenSHA256.count == 64 else {
                throw ServiceSetupError("\(path) is not a valid admin token file; delete it and restart to make a new token")
            }
            return AdminToken(hash: file.tokenSHA256, newToken: nil)
        }
        let token = SecretToken.generate()
        let hash = SecretToken.storedHash(of: token)
        try SecureFile.write(try JSONEncoder().encode(File(tokenSHA256: hash)), to: path)
        return AdminToken(hash: hash, newToken: token)
    }
}
