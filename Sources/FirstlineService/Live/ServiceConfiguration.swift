import FirstlineHTTP
import Foundation

/// Everything `firstline serve` can be told, with the defaults a new user gets: bundled
/// intents, the data folder `.firstline`, loopback port 8080. Printed by `firstline serve --help`.
public struct ServiceConfiguration: Sendable {
    /// The intent bundle's folder.
    public var intentsDirectory = "Intents"
    /// The data folder: `journal/`, `transcripts.jsonl` (archived chats), `agents.json`,
    /// `admin.json`, `secret.key`.
    public var dataDirectory = ".firstline"
    /// The static web files (demo page, widget, console); nil finds the ones built with the binary.
    public var webDirectory: String?
    /// The HTTP server's address, limits and timeouts.
    public var http = HTTPServerConfiguration()
    /// Site origins allowed to call the API from a browser (CORS), e.g. `https://bets.example`.
    /// The service's own origin is always allowed.
    public var allowedOrigins: [String] = []
    /// Requests a second per client address to `/api/` (0: no limit), and the burst.
    public var addressRate: Double = 50
    public var addressBurst: Double = 200
    /// Messages a second per chat session (0: no limit), and the burst.
    public var sessionRate: Double = 1
    public var sessionBurst: Double = 10
    /// Proxies whose `X-Forwarded-For` is believed (their addresses), for rate limits.
    public var trustedProxies: [String] = []
    /// Open event streams per client address at most (0: no limit).
    public var maxStreamsPerAddress = 200
    /// Longest user or agent message, in characters.
    public var maxMessageCharacters = 2_000
    /// Longest rating comment, in characters.
    public var maxCommentCharacters = 1_000
    /// Create one demo agent for every department when no agent exists yet.
    public var createDemoAgent = true

    public init() {}
}
