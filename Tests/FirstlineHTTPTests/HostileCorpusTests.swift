import Foundation
import Testing
import FirstlineHTTP

/// One hostile input and what the server must do with it.
struct HostileInput: Sendable, CustomTestStringConvertible {
    enum Expectation: Sendable {
        /// This status, then the connection closes.
        case status(Int)
        /// Any 4xx, or a close without a response.
        case refusedOrClosed
        /// Served normally (the input is odd but legal).
        case served
    }

    var name: String
    var bytes: [UInt8]
    var expectation: Expectation
    var testDescription: String { name }

    init(_ name: String, _ text: String, _ expectation: Expectation) {
        self.init(name, Array(text.utf8), expectation)
    }

    init(_ name: String, _ bytes: [UInt8], _ expectation: Expectation) {
        self.name = name
        self.bytes = bytes
        self.expectation = expectation
    }
}

@Suite("Hostile corpus: smuggling, oversize, truncation, bad bytes; each refused and the server keeps serving", .serialized)
struct HostileCorpusTests {
    static let post = "POST /p HTTP/1.1\r\nHost: t\r\n"

    static let corpus: [HostileInput] = {
        var generator = SplitMix64(seed: 7)
        let garbage = (0..<512).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let tlsHello: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03] + Array(repeating: 0x2A, count: 40)
        return [
            // Smuggling
            HostileInput("CL then TE", post + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG", .status(400)),
            HostileInput("TE then CL", post + "Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\nG", .status(400)),
            HostileInput("duplicate CL, different", post + "Content-Length: 0\r\nContent-Length: 5\r\n\r\nGPOST", .status(400)),
            HostileInput("duplicate CL, same", post + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", .status(400)),
            HostileInput("CL with a sign", post + "Content-Length: +5\r\n\r\nhello", .status(400)),
            HostileInput("TE chunked, identity", post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", .status(400)),
            HostileInput("TE identity, chunked", post + "Transfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n", .status(501)),
            HostileInput("TE chunked twice", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .status(400)),
            HostileInput("TE xchunked", post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", .status(400)),
            HostileInput("TE space before colon", post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", .status(400)),
            HostileInput("TE folded onto the previous line", post + "X: y\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .status(400)),
            HostileInput("TE value with a vertical tab", post + "Transfer-Encoding: \u{B}chunked\r\n\r\n0\r\n\r\n", .status(400)),
            HostileInput("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .status(400)),
            HostileInput("TE with leading whitespace is still chunked", post + "Transfer-Encoding:   chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", .served),
            HostileInput("obs-fold", post + "X-A: 1\r\n\tcontinued\r\nContent-Length: 0\r\n\r\n", .status(400)),
            HostileInput("bare CR line end", "GET / HTTP/1.1\rHost: t\r\r", .status(400)),
            HostileInput("bad chunk size", post + "Transfer-Encoding: chunked\r\n\r\nz\r\n", .status(400)),
            HostileInput("chunk size overflow", post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", .status(400)),
            HostileInput("chunk without CRLF", post + "Transfer-Encoding: chunked\r\n\r\n2\r\nokXX0\r\n\r\n", .status(400)),
            // Oversize
            HostileInput("request line 20 kB", "GET /" + String(repeating: "a", count: 20_000) + " HTTP/1.1\r\nHost: t\r\n\r\n", .status(414)),
            HostileInput("headers 20 kB", "GET / HTTP/1.1\r\nHost: t\r\n" + String(repeating: "X-Pad: " + String(repeating: "p", count: 100) + "\r\n", count: 200) + "\r\n", .status(431)),
            HostileInput("declared body 1 MB", post + "Content-Length: 1000000\r\n\r\n", .status(413)),
            HostileInput("sent body 70 kB", post + "Content-Length: 70000\r\n\r\n" + String(repeating: "b", count: 70_000), .status(413)),
            HostileInput("chunked body 70 kB", post + "Transfer-Encoding: chunked\r\n\r\n" + String(repeating: "1000\r\n" + String(repeating: "c", count: 4096) + "\r\n", count: 18) + "0\r\n\r\n", .status(413)),
            // Versions and targets
            HostileInput("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .status(505)),
            HostileInput("HTTP/3.0", "GET / HTTP/3.0\r\nHost: t\r\n\r\n", .status(505)),
            HostileInput("missing Host", "GET / HTTP/1.1\r\n\r\n", .status(400)),
            HostileInput("authority-form CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n", .status(400)),
            HostileInput("absolute-form is accepted", "GET http://t/abs HTTP/1.1\r\nHost: t\r\n\r\n", .served),
            HostileInput("OPTIONS * is accepted", "OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n", .served),
            // Bad bytes
            HostileInput("invalid UTF-8 in the target", Array("GET /".utf8) + [0xC3, 0x28] + Array(" HTTP/1.1\r\nHost: t\r\n\r\n".utf8), .status(400)),
            HostileInput("invalid UTF-8 in a header", Array("GET / HTTP/1.1\r\nHost: t\r\nX-Name: ".utf8) + [0xFF, 0xFE] + Array("\r\n\r\n".utf8), .status(400)),
            HostileInput("valid UTF-8 in a header is fine", "GET / HTTP/1.1\r\nHost: t\r\nX-Name: Zoë\r\n\r\n", .served),
            HostileInput("NUL in the method", Array("GE".utf8) + [0] + Array("T / HTTP/1.1\r\nHost: t\r\n\r\n".utf8), .status(400)),
            HostileInput("NUL in a header value", Array("GET / HTTP/1.1\r\nHost: t\0\r\n\r\n".utf8), .status(400)),
            HostileInput("garbage binary", garbage, .refusedOrClosed),
            HostileInput("a TLS ClientHello", tlsHello, .refusedOrClosed),
            // Truncation
            HostileInput("truncated request line", "GET /index.ht", .refusedOrClosed),
            HostileInput("truncated head", "GET / HTTP/1.1\r\nHost: t\r\n", .refusedOrClosed),
            HostileInput("truncated body", post + "Content-Length: 100\r\n\r\nonly a little", .refusedOrClosed),
            HostileInput("truncated chunked body", post + "Transfer-Encoding: chunked\r\n\r\n10\r\nabc", .refusedOrClosed),
        ]
    }()

    @Test("each hostile input is refused (or served, if legal), and the server answers a normal request after", arguments: corpus)
    func hostile(input: HostileInput) throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try? client.send(input.bytes)
            client.shutdownWrite() // nothing more is coming: a truncated request ends here
            let reply = try client.readToEnd()
            let statusLine = String(decoding: reply.prefix { $0 != 13 }, as: UTF8.self)
            let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            switch input.expectation {
            case .status(let expected):
                #expect(status == expected, "\(statusLine)")
                #expect(String(decoding: reply, as: UTF8.self).contains("Connection: close\r\n"))
                #expect(String(decoding: reply, as: UTF8.self).contains(#"{"error":{"code":""#))
            case .refusedOrClosed:
                #expect(reply.isEmpty || (status.map { (400..<500).contains($0) } ?? false), "\(statusLine)")
            case .served:
                #expect(status == 200, "\(statusLine)")
            }
            let next = try TestClient(port: server.port)
            #expect(try next.exchange("GET /after HTTP/1.1\r\nHost: t\r\n\r\n").text == "GET /after ")
        }
    }

    @Test("one server survives the whole corpus in a row, and still serves")
    func wholeCorpusOnOneServer() throws {
        try withServer({ $0.loopThreads = 2 }) { server in
            for input in Self.corpus {
                let client = try TestClient(port: server.port)
                try? client.send(input.bytes)
                client.shutdownWrite()
                _ = try client.readToEnd()
            }
            let next = try TestClient(port: server.port)
            #expect(try next.exchange("GET /still HTTP/1.1\r\nHost: t\r\n\r\n").text == "GET /still ")
            #expect(eventually { server.openConnections == 1 })
        }
    }
}
