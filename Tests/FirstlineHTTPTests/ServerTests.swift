import Dispatch
import Foundation
import Testing
import FirstlineHTTP

@Suite("HTTPServer over real sockets: keep-alive, pipelining, 100-continue, HEAD, responses from other threads", .serialized)
struct ServerTests {
    @Test("several requests on one keep-alive connection, with Date and Content-Length added")
    func keepAlive() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            for index in 0..<5 {
                let response = try client.exchange("POST /n/\(index) HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc")
                #expect(response.status == 200)
                #expect(response.text == "POST /n/\(index) abc")
                #expect(response.header("Content-Length") == "\("POST /n/\(index) abc".utf8.count)")
                #expect(response.header("Date")?.hasSuffix(" GMT") == true)
                #expect(response.header("Connection") == nil)
            }
            #expect(server.openConnections == 1)
        }
    }

    @Test("pipelined requests are answered in order, even when answers come from other threads out of order")
    func pipelining() throws {
        let handler: HTTPHandler = { request, responder in
            // Later requests answer sooner: order must come from the server, not the timing.
            let delay = request.path == "/1" ? 0.15 : request.path == "/2" ? 0.05 : 0
            DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
                responder.respond(HTTPResponse(status: 200, contentType: "text/plain", body: request.path))
            }
        }
        try withServer(handler: handler) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\nGET /2 HTTP/1.1\r\nHost: t\r\n\r\nGET /3 HTTP/1.1\r\nHost: t\r\n\r\n")
            let bodies = try (0..<3).map { _ in try #require(try client.readResponse()).text }
            #expect(bodies == ["/1", "/2", "/3"])
        }
    }

    @Test("Expect: 100-continue gets 100 Continue before the body is sent, then the response")
    func expectContinue() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send("POST /up HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let interim = try #require(try client.readResponse())
            #expect(interim.status == 100)
            try client.send("hello")
            let final = try #require(try client.readResponse())
            #expect(final.status == 200)
            #expect(final.text == "POST /up hello")
        }
    }

    @Test("Expect: 100-continue with a body too large gets 413 and no 100")
    func expectContinueTooLarge() throws {
        try withServer({ $0.maxBodyBytes = 10 }) { server in
            let client = try TestClient(port: server.port)
            let response = try client.exchange("POST / HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n")
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
        }
    }

    @Test("a client that pipelines without reading is held back, then gets every response in order")
    func pipeliningBackpressure() throws {
        let big = [UInt8](repeating: UInt8(ascii: "z"), count: 60_000)
        let handler: HTTPHandler = { request, responder in
            responder.respond(HTTPResponse(status: 200, headers: HTTPHeaders([("X-Path", request.path)]), body: big))
        }
        try withServer(handler: handler) { server in
            let client = try TestClient(port: server.port)
            let requests = (0..<60).map { "GET /\($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined()
            try client.send(requests) // 3.6 MB of responses wait on a client that is not reading
            for index in 0..<60 {
                let response = try #require(try client.readResponse())
                #expect(response.header("X-Path") == "/\(index)")
                #expect(response.body.count == big.count)
            }
        }
    }

    @Test("HEAD gets the fields, Content-Length included, and no body; the connection stays usable")
    func head() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            let head = try client.exchange("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n", isHead: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "\("HEAD /x ".utf8.count)")
            let next = try client.exchange("GET /y HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(next.text == "GET /y ")
        }
    }

    @Test("chunked request bodies reach the handler de-chunked")
    func chunkedBody() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            let response = try client.exchange("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n")
            #expect(response.text == "POST /c abcde")
        }
    }

    @Test("path and query are percent-decoded for the handler")
    func targetDecoding() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            let response = try client.exchange("GET /a%20b/c?x=1+2&y=%C3%A9&z HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(response.text == "GET /a b/c ")
            #expect(response.header("X-Query") == "x=1 2&y=é&z=")
        }
    }

    @Test("HTTP/1.0: closed after the response unless keep-alive was asked for")
    func http10() throws {
        try withServer { server in
            let plain = try TestClient(port: server.port)
            let response = try plain.exchange("GET /old HTTP/1.0\r\n\r\n")
            #expect(response.header("Connection") == "close")
            #expect(plain.isClosedByServer())

            let kept = try TestClient(port: server.port)
            let first = try kept.exchange("GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(first.header("Connection") == "keep-alive")
            let second = try kept.exchange("GET /2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(second.text == "GET /2 ")
        }
    }

    @Test("Connection: close is honoured: response says close, then the server closes")
    func connectionClose() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            let response = try client.exchange("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            #expect(response.header("Connection") == "close")
            #expect(client.isClosedByServer())
        }
    }

    @Test("responses from another thread, many connections at once, each gets its own answer")
    func asyncResponders() throws {
        let handler: HTTPHandler = { request, responder in
            DispatchQueue.global().async {
                responder.respond(HTTPResponse(status: 201, contentType: "text/plain", body: request.path))
                responder.respond(HTTPResponse(status: 500)) // a second call is ignored
            }
        }
        try withServer({ $0.loopThreads = 3 }, handler: handler) { server in
            let clients = try (0..<20).map { _ in try TestClient(port: server.port) }
            for round in 0..<3 {
                for (index, client) in clients.enumerated() { try client.send("GET /\(index)/\(round) HTTP/1.1\r\nHost: t\r\n\r\n") }
                for (index, client) in clients.enumerated() {
                    let response = try #require(try client.readResponse())
                    #expect(response.status == 201)
                    #expect(response.text == "/\(index)/\(round)")
                }
            }
        }
    }

    @Test("the application's framing fields are replaced and header injection is stripped")
    func applicationHeaders() throws {
        let handler: HTTPHandler = { _, responder in
            responder.respond(HTTPResponse(status: 200, headers: HTTPHeaders([
                ("Content-Length", "999"), ("Transfer-Encoding", "chunked"), ("X-Evil", "a\r\nSet-Cookie: x=1"), ("Bad Name", "v"),
            ]), body: Array("ok".utf8)))
        }
        try withServer(handler: handler) { server in
            let client = try TestClient(port: server.port)
            let response = try client.exchange("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(response.header("Content-Length") == "2")
            #expect(response.header("Transfer-Encoding") == nil)
            #expect(response.header("Set-Cookie") == nil)
            #expect(response.header("X-Evil") == "aSet-Cookie: x=1")
            #expect(response.text == "ok")
        }
    }

    @Test("IPv6 loopback, and the remote address handed to the handler")
    func ipv6() throws {
        let handler: HTTPHandler = { request, responder in
            responder.respond(HTTPResponse(status: 200, contentType: "text/plain", body: request.remoteAddress))
        }
        try withServer({ $0.host = "::1" }, handler: handler) { server in
            let client = try TestClient(port: server.port, host: "::1")
            #expect(try client.exchange("GET / HTTP/1.1\r\nHost: t\r\n\r\n").text == "::1")
        }
        try withServer(handler: handler) { server in
            let client = try TestClient(port: server.port)
            #expect(try client.exchange("GET / HTTP/1.1\r\nHost: t\r\n\r\n").text == "127.0.0.1")
        }
    }

    @Test("start fails with an error naming the address when it cannot bind")
    func bindFailure() throws {
        try withServer { server in
            var configuration = HTTPServerConfiguration()
            configuration.port = server.port
            let second = HTTPServer(configuration: configuration) { _, _ in }
            #expect(throws: HTTPServerError.self) { try second.start() }
            var bad = HTTPServerConfiguration()
            bad.host = "not-an-address"
            do {
                try HTTPServer(configuration: bad) { _, _ in }.start()
                Issue.record("started on a bad host")
            } catch {
                #expect("\(error)".contains("not-an-address"))
            }
        }
    }
}
