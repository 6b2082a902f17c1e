import FirstlineHTTP
import Foundation

extension LiveService {
    /// Every request enters here (on an event-loop thread; nothing here blocks): static
    /// files, health and metrics at once; API calls after the origin check and the rate
    /// limit, mostly as jobs for the desk runner.
    func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        var reply = Reply(responder: responder, receivedAt: request.receivedAt, metrics: metrics)
        let path = request.path
        guard path.hasPrefix("/api/") else { return serveOther(request, reply) }

        if let origin = request.headers["Origin"] {
            guard isAllowed(origin: origin, host: request.headers["Host"]) else {
                return reply.error(APIError(403, "forbidden_origin", "this origin may not call the API; the operator lists site origins with --origin"))
            }
            reply.extraHeaders = [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
            if request.method == "OPTIONS" {
                reply.extraHeaders += [("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                                       ("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID"),
                                       ("Access-Control-Max-Age", "600")]
                return reply.noContent()
            }
        }
        let client = clientAddress(request)
        guard addressLimiter.allow(client, now: Self.seconds(request)) else {
            var limited = reply
            limited.extraHeaders.append(("Retry-After", String(addressLimiter.retryAfter(client))))
            return limited.error(APIError(429, "rate_limited", "too many requests from this address; slow down and retry shortly"))
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(2).map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 100 }) else { return reply.error(.notFound) }
        do {
            switch parts.first {
            case "chat": try routeChat(Array(parts.dropFirst()), request, reply)
            case "agent": try routeAgent(Array(parts.dropFirst()), request, reply)
            case "admin": try routeAdmin(Array(parts.dropFirst()), request, reply)
            default: reply.error(.notFound)
            }
        } catch {
            reply.error(error)
        }
    }

    private func serveOther(_ request: HTTPRequest, _ reply: Reply) {
        switch (request.method, request.path) {
        case ("GET", "/healthz"), ("HEAD", "/healthz"):
            if isFailing {
                reply.json(["status": "failing", "reason": "the journal cannot store messages; restart the service"], status: 503)
            } else {
                reply.json(["status": "ok"])
            }
        case ("GET", "/metrics"):
            reply.send(HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.render()))
        case ("GET", _), ("HEAD", _):
            if let response = assets.response(for: request.path) {
                reply.send(response)
            } else if assets.isEmpty && request.path == "/" {
                reply.send(HTTPResponse(status: 200, contentType: "text/plain; charset=utf-8", body: "Firstline is running; the web files were not found (pass --web DIR).\n"))
            } else {
                reply.error(.notFound)
            }
        default:
            reply.error(APIError(405, "method_not_allowed", "\(request.method) is not allowed here"))
        }
    }

    /// Same-origin calls (the demo page, the console) and the configured site origins.
    func isAllowed(origin: String, host: String?) -> Bool {
        if configuration.allowedOrigins.contains(origin) { return true }
        guard let host else { return false }
        return origin == "http://" + host || origin == "https://" + host
    }

    /// The bearer token of a request (`Authorization: Bearer …`, or `?token=` on event
    /// streams only, which browsers open without headers; elsewhere a token in the URL
    /// would end up in proxy logs).
    static func bearer(_ request: HTTPRequest) -> String? {
        if let header = request.headers["Authorization"] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            return parts[1].trimmingCharacters(in: .whitespaces)
        }
        return request.path.hasSuffix("/events") && request.method == "GET" ? request.query["token"] : nil
    }

    /// Who is calling, for rate limits: the peer address, or — behind a proxy named with
    /// `--trusted-proxy` — the address that proxy appended to `X-Forwarded-For`.
    func clientAddress(_ request: HTTPRequest) -> String {
        guard configuration.trustedProxies.contains(request.remoteAddress),
              let forwarded = request.headers.values("X-Forwarded-For").last?.split(separator: ",").last else { return request.remoteAddress }
        let address = forwarded.trimmingCharacters(in: .whitespaces)
        return address.isEmpty || address.utf8.count > 64 ? request.remoteAddress : address
    }

    /// Takes one of the address's event-stream places, or refuses (429) when it has
    /// `maxStreamsPerAddress` open: one client cannot hold the connections of everyone.
    func admitStream(_ request: HTTPRequest, _ reply: Reply) -> (@Sendable () -> Void)? {
        let client = clientAddress(request)
        let limit = configuration.maxStreamsPerAddress
        let admitted = streamsPerAddress.withLock { counts -> Bool in
            guard limit == 0 || counts[client, default: 0] < limit else { return false }
            counts[client, default: 0] += 1
            return true
        }
        guard admitted else {
            reply.error(APIError(429, "rate_limited", "too many live streams from this address; close some tabs"))
            return nil
        }
        let release = OnceFlag()
        return { [streamsPerAddress] in
            guard release.claim() else { return }
            streamsPerAddress.withLock { counts in
                counts[client, default: 1] -= 1
                if counts[client] == 0 { counts[client] = nil }
            }
        }
    }

    /// Opens a live event stream on `channel`. `opening` runs as a desk job and gives the
    /// events the stream starts with (current state, not kept for resumption: a reconnect
    /// gets them afresh); the channel's newest event id is noted at that moment, so events
    /// published after it — by later jobs of the same turn — are replayed on subscribing
    /// when the client sent no `Last-Event-ID`.
    func openStream(_ channel: String, _ request: HTTPRequest, _ reply: Reply,
                    opening: @escaping (inout DeskTurn) throws -> [(String, JSONValue)]) {
        guard let release = admitStream(request, reply) else { return }
        let lastEventID = Self.lastEventID(request)
        let seen = LockedValue<UInt64>(0)
        let events = LockedValue<[(String, JSONValue)]>([])
        runner.submit({ [hub] turn in
            seen.value = hub.lastEventID(channel) ?? 0
            events.value = try opening(&turn)
            return .null
        }, completion: { [hub, metrics] result in
            guard case .success = result else {
                release()
                return reply.complete(result)
            }
            metrics.request(status: 200, seconds: Double(DispatchTime.now().uptimeNanoseconds &- request.receivedAt) / 1e9)
            var headers = HTTPHeaders()
            for (name, value) in reply.extraHeaders { headers.add(name, value) }
            let stream = reply.responder.startEventStream(headers: headers)
            stream.onClose { release() }
            for (name, data) in events.value { stream.send(event: name, data: data.text) }
            hub.subscribe(channel, stream: stream, lastEventID: lastEventID ?? seen.value)
        })
    }

    static func seconds(_ request: HTTPRequest) -> Double {
        Double(request.receivedAt == 0 ? DispatchTime.now().uptimeNanoseconds : request.receivedAt) / 1e9
    }

    static func requireMethod(_ request: HTTPRequest, _ method: String) throws(APIError) {
        guard request.method == method || (method == "GET" && request.method == "HEAD") else {
            throw APIError(405, "method_not_allowed", "use \(method) for \(request.path)")
        }
    }

    /// `Last-Event-ID` (header, or `last_event_id` in the query).
    static func lastEventID(_ request: HTTPRequest) -> UInt64? {
        (request.headers["Last-Event-ID"] ?? request.query["last_event_id"]).flatMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
    }
}

extension Reply {
    func error(_ error: any Error) {
        if let error = error as? APIError { self.error(error) } else { self.error(APIError(500, "internal", "something went wrong on our side")) }
    }
}
