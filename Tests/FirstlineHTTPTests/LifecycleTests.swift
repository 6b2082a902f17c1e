import Dispatch
import Foundation
import Testing
import FirstlineHTTP

@Suite("Timeouts, connection limit and graceful shutdown", .serialized)
struct LifecycleTests {
    @Test("a head that never completes gets 408 and the connection closes")
    func headerTimeout() throws {
        try withServer({ $0.headerTimeout = 0.3 }) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ")
            let response = try #require(try client.readResponse())
            #expect(response.status == 408)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.text == #"{"error":{"code":"request_timeout","message":"The request header took too long."}}"#)
            #expect(client.isClosedByServer())
        }
    }

    @Test("slowloris: a header line now and then does not extend the header timeout")
    func slowloris() throws {
        try withServer({ $0.headerTimeout = 0.3 }) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\n")
            let done = Box(false)
            let dripper = Thread {
                var index = 0
                while !done.current, index < 200, (try? client.send("X-\(index): y\r\n")) != nil {
                    index += 1
                    usleep(20_000)
                }
            }
            dripper.start()
            defer { done.withLock { $0 = true } }
            let response = try #require(try client.readResponse())
            #expect(response.status == 408)
        }
    }

    @Test("a body that stops coming gets 408 and the connection closes")
    func bodyTimeout() throws {
        try withServer({ $0.bodyTimeout = 0.3 }) { server in
            let client = try TestClient(port: server.port)
            try client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
            let response = try #require(try client.readResponse())
            #expect(response.status == 408)
            #expect(response.text.contains("body took too long"))
            #expect(client.isClosedByServer())
        }
    }

    @Test("an idle keep-alive connection is closed quietly")
    func idleTimeout() throws {
        try withServer({ $0.idleTimeout = 0.3 }) { server in
            let client = try TestClient(port: server.port)
            #expect(try client.exchange("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
            #expect(client.isClosedByServer())
            #expect(try client.readToEnd().isEmpty)
            #expect(eventually { server.openConnections == 0 })
        }
    }

    @Test("over maxConnections a new connection gets 503 and is closed; room frees up when one closes")
    func connectionLimit() throws {
        try withServer({ $0.maxConnections = 2 }) { server in
            var first: TestClient? = try TestClient(port: server.port)
            let second = try TestClient(port: server.port)
            #expect(try first?.exchange("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
            #expect(try second.exchange("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
            let third = try TestClient(port: server.port)
            let refused = try #require(try third.readResponse())
            #expect(refused.status == 503)
            #expect(refused.text.contains("service_unavailable"))
            #expect(third.isClosedByServer())
            first = nil
            #expect(eventually { server.openConnections == 1 })
            let fourth = try TestClient(port: server.port)
            #expect(try fourth.exchange("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        }
    }

    @Test("shutdown lets an in-flight request finish, closes idle connections and stops accepting")
    func gracefulShutdown() throws {
        let held = Box<HTTPResponder?>(nil)
        let handler: HTTPHandler = { request, responder in
            if request.path == "/hold" {
                held.withLock { $0 = responder }
            } else {
                TestHandlers.echo(request, responder)
            }
        }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, handler: handler)
        try server.start()
        let port = server.port

        let idle = try TestClient(port: port)
        #expect(try idle.exchange("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        let busy = try TestClient(port: port)
        try busy.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(eventually { held.current != nil })

        server.shutdown(gracePeriod: 10)
        server.shutdown(gracePeriod: 10) // a second call is harmless
        #expect(idle.isClosedByServer())
        #expect(eventually { (try? TestClient(port: port)) == nil })

        held.current?.respond(HTTPResponse(status: 200, contentType: "text/plain", body: "finished"))
        let response = try #require(try busy.readResponse())
        #expect(response.text == "finished")
        #expect(response.header("Connection") == "close")
        #expect(busy.isClosedByServer())
        server.waitUntilStopped()
        #expect(server.openConnections == 0)
    }

    @Test("shutdown ends event streams (onClose runs) and the grace period bounds a request never answered")
    func shutdownStreamsAndGrace() throws {
        let closed = Box(0)
        let handler: HTTPHandler = { request, responder in
            if request.path == "/events" {
                responder.startEventStream().onClose { closed.withLock { $0 += 1 } }
            } // anything else is never answered
        }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, handler: handler)
        try server.start()
        let stream = try TestClient(port: server.port)
        try stream.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = try stream.read(until: "\r\n\r\n")
        let stuck = try TestClient(port: server.port)
        try stuck.send("GET /never HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(eventually { server.openEventStreams == 1 && server.openConnections == 2 })

        server.shutdown(gracePeriod: 0.3)
        server.waitUntilStopped()
        #expect(closed.current == 1)
        #expect(stream.isClosedByServer())
        #expect(stuck.isClosedByServer())
        #expect(server.openConnections == 0)
        #expect(server.openEventStreams == 0)
    }

    @Test("waitUntilStopped returns at once for a server never started; start after shutdown fails")
    func lifecycleEdges() {
        let server = HTTPServer(configuration: HTTPServerConfiguration()) { _, _ in }
        server.waitUntilStopped()
        server.shutdown()
        #expect(throws: HTTPServerError.self) { try server.start() }
    }
}
