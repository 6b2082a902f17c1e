import Dispatch
import Foundation
import Testing
@testable import FirstlineHTTP

@Suite("Server-Sent Events: framing, delivery, heartbeats, client gone, slow consumers", .serialized)
struct EventStreamTests {
    /// A handler that opens a stream for every request and hands it to the test.
    static func streaming(into box: Box<[HTTPEventStream]>, closed: Box<Int>) -> HTTPHandler {
        { _, responder in
            let stream = responder.startEventStream(headers: HTTPHeaders([("X-Stream", "1")]))
            stream.onClose { closed.withLock { $0 += 1 } }
            box.withLock { $0.append(stream) }
        }
    }

    @Test("the encoder splits data lines and strips line breaks from id and event")
    func encoder() {
        let bytes = EventStreamEncoder.encode(id: "7\r\n", event: "chat\nmessage", data: "one\r\ntwo\rthree\nfour")
        #expect(String(decoding: bytes, as: UTF8.self) == "id: 7\nevent: chatmessage\ndata: one\ndata: two\ndata: three\ndata: four\n\n")
        #expect(String(decoding: EventStreamEncoder.encode(id: nil, event: nil, data: ""), as: UTF8.self) == "data: \n\n")
    }

    @Test("events arrive in order after a 200 text/event-stream head without Content-Length; send from other threads")
    func delivery() throws {
        let streams = Box<[HTTPEventStream]>([])
        let closed = Box(0)
        try withServer(handler: Self.streaming(into: streams, closed: closed)) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try client.read(until: "\r\n\r\n")
            #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(head.contains("Content-Type: text/event-stream\r\n"))
            #expect(head.contains("Cache-Control: no-store\r\n"))
            #expect(head.contains("X-Stream: 1\r\n"))
            #expect(head.contains("Connection: close\r\n"))
            #expect(!head.contains("Content-Length"))
            #expect(eventually { streams.current.count == 1 })
            let stream = try #require(streams.current.first)
            #expect(eventually { server.openEventStreams == 1 })
            DispatchQueue.concurrentPerform(iterations: 1) { _ in
                for index in 0..<50 { stream.send(id: "\(index)", data: "line \(index)\nsecond") }
            }
            let text = try client.read(until: "id: 49\ndata: line 49\ndata: second\n\n")
            // Split on LF bytes: as Characters, "\r\n" is one grapheme and would hide the first line.
            let ids = text.utf8.split(separator: 10).map { String(decoding: $0, as: UTF8.self) }.filter { $0.hasPrefix("id: ") }
            #expect(ids == (0..<50).map { "id: \($0)" })
            #expect(stream.isOpen)
        }
    }

    @Test("the client going away closes the stream: onClose once, send returns false")
    func clientGone() throws {
        let streams = Box<[HTTPEventStream]>([])
        let closed = Box(0)
        try withServer(handler: Self.streaming(into: streams, closed: closed)) { server in
            var client: TestClient? = try TestClient(port: server.port)
            try client?.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try client?.read(until: "\r\n\r\n")
            #expect(eventually { streams.current.count == 1 })
            client = nil // closes the socket
            let stream = try #require(streams.current.first)
            #expect(eventually { closed.current == 1 })
            #expect(!stream.isOpen)
            #expect(!stream.send(data: "late"))
            #expect(eventually { server.openEventStreams == 0 && server.openConnections == 0 })
            let after = Box(0)
            stream.onClose { after.withLock { $0 += 1 } } // registered late: runs at once
            #expect(after.current == 1)
            #expect(closed.current == 1)
        }
    }

    @Test("close() ends the stream after the queued events and closes the connection")
    func closeFromApplication() throws {
        let streams = Box<[HTTPEventStream]>([])
        let closed = Box(0)
        try withServer(handler: Self.streaming(into: streams, closed: closed)) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(eventually { streams.current.count == 1 })
            let stream = try #require(streams.current.first)
            stream.send(event: "bye", data: "last")
            stream.close()
            #expect(!stream.send(data: "after close"))
            let rest = String(decoding: try client.readToEnd(), as: UTF8.self)
            #expect(rest.hasSuffix("event: bye\ndata: last\n\n"))
            #expect(eventually { closed.current == 1 })
        }
    }

    @Test("heartbeat comments keep an idle stream alive")
    func heartbeat() throws {
        let streams = Box<[HTTPEventStream]>([])
        let closed = Box(0)
        try withServer({ $0.eventStreamHeartbeat = 0.05 }, handler: Self.streaming(into: streams, closed: closed)) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
            let text = try client.read(until: ": keep-alive\n\n: keep-alive\n\n")
            #expect(text.contains("text/event-stream"))
        }
    }

    @Test("a consumer that does not read is cut off once its backlog passes the cap")
    func slowConsumer() throws {
        let streams = Box<[HTTPEventStream]>([])
        let closed = Box(0)
        try withServer(handler: Self.streaming(into: streams, closed: closed)) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(eventually { streams.current.count == 1 })
            let stream = try #require(streams.current.first)
            let chunk = String(repeating: "x", count: 8 * 1024)
            var sent = 0
            // The client never reads: socket buffers fill, then the stream's backlog does.
            while stream.send(data: chunk), sent < 10_000 { sent += 1 }
            #expect(sent < 10_000)
            #expect(eventually { closed.current == 1 })
            #expect(eventually { server.openConnections == 0 })
            _ = client
        }
    }

    @Test("a stream on a HEAD request sends the head and ends")
    func headStream() throws {
        let streams = Box<[HTTPEventStream]>([])
        let closed = Box(0)
        try withServer(handler: Self.streaming(into: streams, closed: closed)) { server in
            let client = try TestClient(port: server.port)
            try client.send("HEAD /events HTTP/1.1\r\nHost: t\r\n\r\n")
            let text = String(decoding: try client.readToEnd(), as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(text.hasSuffix("\r\n\r\n"))
            #expect(eventually { closed.current == 1 })
        }
    }
}
