import Foundation
import Testing
@testable import FirstlineService

@Suite("Tokens and hashes")
struct SecurityTests {
    @Test("SHA-256 matches the FIPS 180-4 example vectors")
    func sha256Vectors() {
        #expect(SHA256.hash([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)).hex
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var hasher = SHA256()
        for _ in 0..<1000 { hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: 1000)) }
        #expect(hasher.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("SHA-256 gives the same digest however the message is split")
    func sha256Streaming() {
        let message = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for split in [0, 1, 55, 56, 63, 64, 65, 128, 299] {
            var hasher = SHA256()
            hasher.update(Array(message[..<split]))
            hasher.update(Array(message[split...]))
            #expect(hasher.finalize() == SHA256.hash(message))
        }
    }

    @Test("HMAC-SHA-256 matches RFC 4231 test cases 1, 2 and 6")
    func hmacVectors() {
        #expect(Hex.encode(HMACSHA256.authenticate(Array("Hi There".utf8), key: [UInt8](repeating: 0x0b, count: 20)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(Hex.encode(HMACSHA256.authenticate(Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(Hex.encode(HMACSHA256.authenticate(Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8), key: [UInt8](repeating: 0xaa, count: 131)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("hex round-trips and rejects what is not hex")
    func hex() {
        #expect(Hex.decode(Hex.encode([0, 1, 0xab, 0xff])) == [0, 1, 0xab, 0xff])
        #expect(Hex.decode("ABcd") == [0xab, 0xcd])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }

    @Test("tokens are 128 bits, different each time, and compare only when equal")
    func tokens() {
        let a = SecretToken.generate(), b = SecretToken.generate()
        #expect(a.count == 32 && Hex.decode(a) != nil)
        #expect(a != b)
        #expect(SecretToken.constantTimeEquals(Array(a.utf8), Array(a.utf8)))
        #expect(!SecretToken.constantTimeEquals(Array(a.utf8), Array(b.utf8)))
        #expect(!SecretToken.constantTimeEquals([1, 2], [1, 2, 3]))
    }

    @Test("a session's token verifies only for that session and that key")
    func sessionTokens() {
        let tokens = SessionTokens(key: SecretToken.randomBytes(32))
        let other = SessionTokens(key: SecretToken.randomBytes(32))
        let id = tokens.newSessionID(), id2 = tokens.newSessionID()
        let token = tokens.token(for: id)
        #expect(id.hasPrefix("s_") && id.count == 34 && id != id2)
        #expect(token.count == 32)
        #expect(tokens.verify(token, session: id))
        #expect(!tokens.verify(token, session: id2))
        #expect(!other.verify(token, session: id))
        #expect(!tokens.verify("", session: id))
        #expect(!tokens.verify(String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0"), session: id))
    }

    @Test("the session key is made once and then read back; a damaged key is refused")
    func sessionKeyFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try SessionTokens.load(path: path)
        let again = try SessionTokens.load(path: path)
        #expect(first.token(for: "s_x") == again.token(for: "s_x"))
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect(throws: ServiceSetupError.self) { try SessionTokens.load(path: path) }
    }

    @Test("agents: the token is printed once, only its hash is stored, and it signs the agent in")
    func agentDirectory() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("agents-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = try AgentDirectory(path: path)
        let (ayse, token) = try directory.add(name: "Ayşe Kaya", skills: ["payments"])
        let (second, _) = try directory.add(name: "Ayşe Kaya", skills: ["bonus"])
        #expect(ayse.id == "ayse-kaya" && second.id == "ayse-kaya-2")
        let stored = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!stored.contains(token))
        #expect(stored.contains(SecretToken.storedHash(of: token)))
        #expect(directory.authenticate(token)?.id == "ayse-kaya")
        #expect(directory.authenticate(SecretToken.generate()) == nil)
        #expect(directory.authenticate("") == nil)
        // Another process (the CLI) adds an agent: the running directory sees it.
        let (_, third) = try AgentDirectory(path: path).add(name: "Jonas", skills: ["bonus"])
        #expect(directory.authenticate(third)?.name == "Jonas")
        #expect(throws: ServiceSetupError.self) { try directory.add(name: " ", skills: ["bonus"]) }
        #expect(throws: ServiceSetupError.self) { try directory.add(name: "X", skills: []) }
    }

    @Test("a broken agents.json is reported with its path, not ignored")
    func brokenAgentFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("agents-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: path))
        #expect { try AgentDirectory(path: path) } throws: { ($0 as? ServiceSetupError)?.description.contains(path) == true }
    }

    @Test("rate limits allow the burst, then the rate, per key")
    func rateLimiter() {
        let limiter = RateLimiter(rate: 2, burst: 3)
        #expect((0..<3).allSatisfy { _ in limiter.allow("a", now: 100) })
        #expect(!limiter.allow("a", now: 100))
        #expect(limiter.allow("b", now: 100))
        #expect(limiter.allow("a", now: 100.5))
        #expect(!limiter.allow("a", now: 100.6))
        #expect(RateLimiter(rate: 0, burst: 1).allow("x", now: 0))
    }
}
