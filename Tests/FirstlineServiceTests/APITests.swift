import Foundation
import Testing
@testable import FirstlineService

/// One service for the API tests: the bundled intents cut to a few examples per intent and
/// language (debug builds train slowly), a fresh data folder, a free port.
final class TestService: @unchecked Sendable {  // immutable after init
    static let shared = try! TestService()
    let service: LiveService
    let intents: String
    var port: UInt16 { service.port }
    var agentToken: String { service.startup.demoAgent!.token }
    var adminToken: String { service.startup.adminToken! }

    init() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-api-\(UUID())").path
        intents = root + "/Intents"
        try Self.copyBundle(to: intents, examplesPerLocale: 12)
        var configuration = ServiceConfiguration()
        configuration.intentsDirectory = intents
        configuration.dataDirectory = root + "/data"
        configuration.http.port = 0
        configuration.addressRate = 0
        // Slow enough that the rate-limit test's burst is refused however loaded the machine is.
        configuration.sessionRate = 0.1
        configuration.allowedOrigins = ["https://bets.example"]
        service = try LiveService(configuration: configuration)
        service.log = { _ in }
        try service.start()
    }

    static func copyBundle(to directory: String, examplesPerLocale: Int) throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Intents").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source) where name.hasSuffix(".json") {
            var data = try Data(contentsOf: URL(fileURLWithPath: source + "/" + name))
            if name != "bundle.json", var intent = try JSONSerialization.jsonObject(with: data) as? [String: Any],
               let examples = intent["examples"] as? [String: [String]] {
                intent["examples"] = examples.mapValues { Array($0.prefix(examplesPerLocale)) }
                data = try JSONSerialization.data(withJSONObject: intent)
            }
            try data.write(to: URL(fileURLWithPath: directory + "/" + name))
        }
    }

    func client() throws -> TestHTTPClient { try TestHTTPClient(port: port) }

    /// A new chat: (id, token).
    func openChat(locale: String = "tr") throws -> (String, String) {
        let response = try client().request("POST", "/api/chat/sessions", json: ["locale": locale])
        return (response.json["session"] as! String, response.json["token"] as! String)
    }
}

@Suite("The HTTP API over real sockets")
struct APITests {
    var server: TestService { TestService.shared }

    @Test("a chat: session with a 128-bit token, a question answered, the transcript read back")
    func chat() throws {
        let client = try server.client()
        let created = try client.request("POST", "/api/chat/sessions", json: ["locale": "tr"])
        #expect(created.status == 201)
        let id = try #require(created.json["session"] as? String), token = try #require(created.json["token"] as? String)
        #expect(token.count == 32 && Hex.decode(token) != nil)
        #expect((created.json["messages"] as? [[String: Any]])?.first?["kind"] as? String == "greeting")
        let auth = ["Authorization": "Bearer \(token)"]
        let reply = try client.request("POST", "/api/chat/sessions/\(id)/messages", json: ["text": "bonus çevrim şartı nedir"], headers: auth)
        #expect(reply.status == 200)
        #expect((reply.json["messages"] as? [[String: Any]])?.isEmpty == false)
        #expect(reply.json["locale"] as? String == "tr")
        let read = try client.request("GET", "/api/chat/sessions/\(id)", headers: auth)
        if read.json["state"] as? String == "awaiting_confirmation" {
            // After a reload the widget shows the "did that help?" buttons again.
            #expect((read.json["quick_replies"] as? [[String: Any]])?.map { $0["value"] as? String } == ["yes", "no"])
        } else {
            #expect(read.json["state"] as? String == "clarifying")
            #expect((read.json["quick_replies"] as? [[String: Any]])?.last?["value"] as? String == "human")
        }
        let turns = try #require(read.json["messages"] as? [[String: Any]])
        #expect(turns.contains { $0["role"] as? String == "user" && $0["text"] as? String == "bonus çevrim şartı nedir" })
        #expect(read.headers["cache-control"] == "no-store")
    }

    @Test("a user reads and writes only their own session")
    func sessionIsolation() throws {
        let (mine, myToken) = try server.openChat()
        let (theirs, _) = try server.openChat()
        let client = try server.client()
        for (method, path) in [("GET", "/api/chat/sessions/\(theirs)"), ("POST", "/api/chat/sessions/\(theirs)/messages"), ("GET", "/api/chat/sessions/\(theirs)/events")] {
            let response = try client.request(method, path, json: method == "POST" ? ["text": "hi"] : nil, headers: ["Authorization": "Bearer \(myToken)"])
            #expect(response.status == 401, "\(method) \(path)")
            #expect(response.errorCode == "unauthorized")
        }
        #expect(try client.request("GET", "/api/chat/sessions/\(mine)").status == 401)
        #expect(try client.request("GET", "/api/chat/sessions/\(mine)", headers: ["Authorization": "Bearer " + String(repeating: "0", count: 32)]).status == 401)
        // A token in the URL only opens the event stream (browsers cannot set headers there);
        // anywhere else it would end up in proxy logs.
        #expect(try client.request("GET", "/api/chat/sessions/\(mine)?token=\(myToken)").status == 401)
        #expect(try server.client().request("GET", "/api/chat/sessions/\(mine)/events?token=\(myToken)").status == 200)
    }

    @Test("bad input gets a 4xx with a code and a message, and the connection keeps working")
    func badInput() throws {
        let (id, token) = try server.openChat()
        let client = try server.client()
        let auth = ["Authorization": "Bearer \(token)"]
        let path = "/api/chat/sessions/\(id)/messages"
        let cases: [(TestHTTPClient.Response, Int, String)] = [
            (try client.request("POST", path, rawBody: Array("{\"text\": ".utf8), headers: auth.merging(["Content-Type": "application/json"]) { $1 }), 400, "invalid_json"),
            (try client.request("POST", path, rawBody: [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d], headers: auth.merging(["Content-Type": "application/json"]) { $1 }), 400, "invalid_json"),
            (try client.request("POST", path, rawBody: Array("text=hi".utf8), headers: auth.merging(["Content-Type": "application/x-www-form-urlencoded"]) { $1 }), 415, "unsupported_media_type"),
            (try client.request("POST", path, json: ["text": String(repeating: "a", count: 5000)], headers: auth), 413, "too_large"),
            (try client.request("POST", path, json: ["text": "   "], headers: auth), 422, "invalid"),
            (try client.request("POST", path, json: ["text": 42], headers: auth), 422, "invalid"),
            (try client.request("POST", path, json: [1, 2], headers: auth), 400, "invalid_json"),
            (try client.request("POST", "/api/chat/sessions/\(id)/rating", json: ["rating": 7], headers: auth), 422, "invalid"),
            (try client.request("POST", "/api/chat/sessions", json: ["locale": "xx"]), 422, "invalid"),
            (try client.request("GET", path, headers: auth), 405, "method_not_allowed"),
            (try client.request("GET", "/api/nothing"), 404, "not_found"),
        ]
        for (response, status, code) in cases {
            #expect(response.status == status && response.errorCode == code, "got \(response.status) \(response.errorCode ?? "-") for \(code)")
            #expect(response.json["error"].flatMap { ($0 as? [String: Any])?["message"] as? String }?.isEmpty == false)
        }
        #expect(try client.request("POST", path, json: ["text": "emoji only 🎰🎰"], headers: auth).status == 200)
    }

    @Test("CORS: configured and same origins are allowed, others refused")
    func origins() throws {
        let client = try server.client()
        let allowed = try client.request("POST", "/api/chat/sessions", json: [:], headers: ["Origin": "https://bets.example"])
        #expect(allowed.status == 201 && allowed.headers["access-control-allow-origin"] == "https://bets.example")
        let preflight = try client.request("OPTIONS", "/api/chat/sessions", headers: ["Origin": "https://bets.example", "Access-Control-Request-Method": "POST"])
        #expect(preflight.status == 204 && preflight.headers["access-control-allow-headers"]?.contains("Authorization") == true)
        let other = try client.request("POST", "/api/chat/sessions", json: [:], headers: ["Origin": "https://evil.example"])
        #expect(other.status == 403 && other.headers["access-control-allow-origin"] == nil)
        #expect(try client.request("POST", "/api/chat/sessions", json: [:], headers: ["Origin": "http://127.0.0.1"]).status == 201)
    }

    @Test("too many messages in one chat get 429 with Retry-After")
    func sessionRateLimit() throws {
        let (id, token) = try server.openChat()
        let client = try server.client()
        var statuses: [Int] = []
        for index in 0..<14 {
            let response = try client.request("POST", "/api/chat/sessions/\(id)/messages", json: ["text": "merhaba \(index)"], headers: ["Authorization": "Bearer \(token)"])
            statuses.append(response.status)
            if response.status == 429 { #expect(response.headers["retry-after"] != nil) }
        }
        #expect(statuses.prefix(10).allSatisfy { $0 == 200 })
        #expect(statuses.contains(429))
    }

    @Test("agents need a valid token; admin endpoints need the admin token")
    func agentAndAdminAuth() throws {
        let client = try server.client()
        #expect(try client.request("GET", "/api/agent/me").status == 401)
        #expect(try client.request("GET", "/api/agent/me", headers: ["Authorization": "Bearer nope"]).status == 401)
        let me = try client.request("GET", "/api/agent/me", headers: ["Authorization": "Bearer \(server.agentToken)"])
        #expect(me.status == 200 && me.json["name"] as? String == "Demo agent")
        #expect(try client.request("GET", "/api/admin/stats", headers: ["Authorization": "Bearer \(server.agentToken)"]).status == 401)
        let stats = try client.request("GET", "/api/admin/stats", headers: ["Authorization": "Bearer \(server.adminToken)"])
        #expect(stats.status == 200 && stats.json["user_messages"] != nil)
    }

    @Test("a handoff reaches the agent live; the agent claims, replies, and the user's stream gets it; then resolve and rate")
    func handoffLoop() throws {
        let agent = ["Authorization": "Bearer \(server.agentToken)"]
        let console = try server.client()
        #expect(try console.request("POST", "/api/agent/presence", json: ["presence": "online"], headers: agent).status == 200)
        let agentEvents = try server.client()
        #expect(try agentEvents.request("GET", "/api/agent/events", headers: agent).status == 200)
        _ = try agentEvents.nextEvent(named: "queue")

        let (id, token) = try server.openChat()
        let user = try server.client()
        let auth = ["Authorization": "Bearer \(token)"]
        let userEvents = try server.client()
        #expect(try userEvents.request("GET", "/api/chat/sessions/\(id)/events", headers: auth).status == 200)
        let handoff = try user.request("POST", "/api/chat/sessions/\(id)/messages", json: ["text": "canlı temsilci ile görüşmek istiyorum"], headers: auth)
        #expect(handoff.status == 200)
        #expect(handoff.json["state"] as? String == "queued" || handoff.json["state"] as? String == "with_agent")
        // Other tests hand chats off to the same demo agent at the same time.
        let ticketEvent = try agentEvents.nextEvent(named: "ticket", containing: id)

        // The demo agent may have been offered the chat already; claiming it takes it.
        let ticket = try #require((handoff.json["queue"] as? [String: Any])?["ticket"] as? String ?? (try? JSONSerialization.jsonObject(with: Data(ticketEvent.utf8)) as? [String: Any])?["ticket"] as? String)
        let claimed = try console.request("POST", "/api/agent/claim", json: ["ticket": ticket], headers: agent)
        #expect(claimed.status == 200)
        #expect(claimed.json["session"] as? String == id)
        #expect((claimed.json["turns"] as? [[String: Any]])?.contains { $0["intent"] as? String != nil } == true)

        let said = try console.request("POST", "/api/agent/conversations/\(id)/messages", json: ["text": "Merhaba, nasıl yardımcı olabilirim?"], headers: agent)
        #expect(said.status == 200)
        #expect(try userEvents.nextEvent(named: "message", containing: "nasıl yardımcı olabilirim").isEmpty == false)

        _ = try user.request("POST", "/api/chat/sessions/\(id)/messages", json: ["text": "param yatmadı"], headers: auth)
        #expect(try agentEvents.nextEvent(named: "user_message", containing: "param yatmadı").contains(id))

        #expect(try console.request("POST", "/api/agent/conversations/\(id)/resolve", json: [:], headers: agent).status == 200)
        let rated = try user.request("POST", "/api/chat/sessions/\(id)/rating", json: ["rating": 5, "comment": "teşekkürler"], headers: auth)
        #expect(rated.status == 200)
        // Another agent action on a chat no longer held is a conflict, not a crash.
        #expect(try console.request("POST", "/api/agent/conversations/\(id)/messages", json: ["text": "hello?"], headers: agent).status == 409)
    }

    @Test("a stream reopened with Last-Event-ID gets the events it missed, and only those")
    func resumeWithLastEventID() throws {
        let agent = ["Authorization": "Bearer \(server.agentToken)"]
        let console = try server.client()
        #expect(try console.request("POST", "/api/agent/presence", json: ["presence": "online"], headers: agent).status == 200)
        let (id, token) = try server.openChat()
        let auth = ["Authorization": "Bearer \(token)"]
        let user = try server.client()
        let handoff = try user.request("POST", "/api/chat/sessions/\(id)/messages", json: ["text": "canlı temsilci ile görüşmek istiyorum"], headers: auth)
        let ticket = try #require((handoff.json["queue"] as? [String: Any])?["ticket"] as? String)
        #expect(try console.request("POST", "/api/agent/claim", json: ["ticket": ticket], headers: agent).status == 200)

        var first: TestHTTPClient? = try server.client()
        #expect(try first!.request("GET", "/api/chat/sessions/\(id)/events", headers: auth).status == 200)
        #expect(try console.request("POST", "/api/agent/conversations/\(id)/messages", json: ["text": "birinci"], headers: agent).status == 200)
        let seen = try first!.nextEventWithID(named: "message")
        #expect(seen.data.contains("birinci"))
        first = nil  // the widget goes away (page closed, network lost)
        #expect(try console.request("POST", "/api/agent/conversations/\(id)/messages", json: ["text": "ikinci"], headers: agent).status == 200)

        let second = try server.client()
        #expect(try second.request("GET", "/api/chat/sessions/\(id)/events", headers: auth.merging(["Last-Event-ID": seen.id]) { $1 }).status == 200)
        let missed = try second.nextEventWithID(named: "message")
        #expect(missed.data.contains("ikinci"))
        #expect(UInt64(missed.id)! > UInt64(seen.id)!)
    }

    @Test("closing a chat that waits for its rating closes it, and it is counted")
    func closeWithoutRating() throws {
        let admin = ["Authorization": "Bearer \(server.adminToken)"]
        let client = try server.client()
        let before = try client.request("GET", "/api/admin/stats", headers: admin).json["closed_chats"] as? Int ?? 0
        let (id, token) = try server.openChat()
        let auth = ["Authorization": "Bearer \(token)"]
        let first = try client.request("POST", "/api/chat/sessions/\(id)/close", headers: auth)
        #expect(first.status == 200 && first.json["state"] as? String == "awaiting_survey")
        let second = try client.request("POST", "/api/chat/sessions/\(id)/close", headers: auth)
        #expect(second.status == 200 && second.json["state"] as? String == "closed")
        let after = try client.request("GET", "/api/admin/stats", headers: admin).json["closed_chats"] as? Int ?? 0
        #expect(after >= before + 1)
        #expect(try client.request("POST", "/api/chat/sessions/\(id)/messages", json: ["text": "hello"], headers: auth).status == 409)
    }

    @Test("reload: a broken bundle is refused with its problems and the bot keeps answering")
    func reload() throws {
        let admin = ["Authorization": "Bearer \(server.adminToken)"]
        let client = try server.client()
        let path = server.intents + "/bonus.wagering.json"
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        try Data("{ broken".utf8).write(to: URL(fileURLWithPath: path))
        let refused = try client.request("POST", "/api/admin/reload", headers: admin)
        try original.write(to: URL(fileURLWithPath: path))
        #expect(refused.status == 422 && refused.errorCode == "invalid_bundle")
        #expect(((refused.json["error"] as? [String: Any])?["problems"] as? [String])?.contains { $0.contains("bonus.wagering.json") } == true)
        #expect(String(decoding: refused.body, as: UTF8.self).contains(server.intents) == false, "a server path leaked")
        // An example under two intents is found while the new classifier trains: refused too.
        let target = server.intents + "/deposit.methods.json"
        let targetOriginal = try Data(contentsOf: URL(fileURLWithPath: target))
        var intent = try JSONSerialization.jsonObject(with: targetOriginal) as! [String: Any]
        var examples = intent["examples"] as! [String: [String]]
        let stolen = (try JSONSerialization.jsonObject(with: original) as! [String: Any])["examples"] as! [String: [String]]
        examples["tr"]!.append(stolen["tr"]!.first!)
        intent["examples"] = examples
        try JSONSerialization.data(withJSONObject: intent).write(to: URL(fileURLWithPath: target))
        let clashing = try client.request("POST", "/api/admin/reload", headers: admin)
        try targetOriginal.write(to: URL(fileURLWithPath: target))
        #expect(clashing.status == 422 && clashing.errorCode == "invalid_bundle")
        #expect(((clashing.json["error"] as? [String: Any])?["problems"] as? [String])?.contains {
            $0.contains("deposit.methods.json") && $0.contains("is also an example of bonus.wagering")
        } == true, "\(String(decoding: clashing.body, as: UTF8.self))")
        let (id, token) = try server.openChat()
        #expect(try client.request("POST", "/api/chat/sessions/\(id)/messages", json: ["text": "bonus çevrim şartı"], headers: ["Authorization": "Bearer \(token)"]).status == 200)
        let accepted = try client.request("POST", "/api/admin/reload", headers: admin)
        #expect(accepted.status == 200 && (accepted.json["intents"] as? Int ?? 0) > 0)
    }

    @Test("health, metrics in the Prometheus format, and the web pages")
    func healthMetricsAndPages() throws {
        let client = try server.client()
        #expect(try client.request("GET", "/healthz").status == 200)
        let metrics = try client.request("GET", "/metrics")
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(metrics.status == 200 && metrics.headers["content-type"]?.hasPrefix("text/plain") == true)
        for name in ["firstline_user_messages_total", "firstline_handoffs_total", "firstline_queue_length", "firstline_queue_wait_seconds_bucket",
                     "firstline_containment_ratio", "firstline_http_request_duration_seconds_bucket", "firstline_http_open_connections"] {
            #expect(text.contains(name), "\(name) missing")
        }
        let page = try client.request("GET", "/")
        #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains("/widget.js"), "the demo page with the widget")
        let widget = try client.request("GET", "/widget.js")
        #expect(widget.status == 200 && widget.headers["content-type"]?.hasPrefix("text/javascript") == true)
        #expect(try client.request("GET", "/agent").status == 200)
    }
}
