import Testing
@testable import FirstlineHTTP

/// A request the decoder must refuse, and the exact error.
struct BadRequest: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var error: HTTPParseError
    var testDescription: String { name }

    init(_ name: String, _ text: String, _ error: HTTPParseError) {
        self.name = name
        self.text = text
        self.error = error
    }
}

@Suite("HTTPRequestDecoder: framing per RFC 9112, fed whole, byte by byte and in random batches")
struct HTTPRequestDecoderTests {
    typealias H = DecoderHarness

    @Test("a GET with fields decodes to one request, whatever the feeding", arguments: H.Feeding.allCases)
    func simpleGet(feeding: H.Feeding) throws {
        let outcome = H.run("GET /a/b?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept:  text/plain \r\nX-Empty:\r\n\r\n", feeding: feeding)
        #expect(outcome.error == nil)
        let request = try #require(outcome.requests.first)
        #expect(outcome.requests.count == 1)
        #expect(request.head.method == "GET")
        #expect(request.head.target == "/a/b?x=1")
        #expect(request.head.minorVersion == 1)
        #expect(request.head.headers == HTTPHeaders([("Host", "example.com"), ("Accept", "text/plain"), ("X-Empty", "")]))
        #expect(request.head.isKeepAlive)
        #expect(request.body.isEmpty)
        #expect(outcome.leftover.isEmpty)
    }

    @Test("Content-Length body: head first, then the request with its body", arguments: H.Feeding.allCases)
    func contentLengthBody(feeding: H.Feeding) {
        let outcome = H.run("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world", feeding: feeding)
        #expect(outcome.error == nil)
        guard case .head(let head)? = outcome.events.first else { Issue.record("no head event"); return }
        #expect(head.framing == .length(11))
        #expect(outcome.requests.map { String(decoding: $0.body, as: UTF8.self) } == ["hello world"])
    }

    @Test("pipelined requests come out in order, and bytes of an unfinished one stay unconsumed", arguments: H.Feeding.allCases)
    func pipelined(feeding: H.Feeding) {
        let text = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nokGET /3 HTTP/1.1\r\nHost: h\r\n\r\nGET /4 HT"
        let outcome = H.run(text, feeding: feeding)
        #expect(outcome.error == nil)
        #expect(outcome.requests.map(\.head.target) == ["/1", "/2", "/3"])
        #expect(outcome.requests[1].body == Array("ok".utf8))
        #expect(outcome.leftover == Array("GET /4 HT".utf8))
    }

    @Test("chunked: extensions ignored, trailers accepted and dropped", arguments: H.Feeding.allCases)
    func chunked(feeding: H.Feeding) {
        let text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value;x\r\nhello\r\n6 ;ext\r\n world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\nY: 2\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n"
        let outcome = H.run(text, feeding: feeding)
        #expect(outcome.error == nil)
        #expect(outcome.requests.map(\.head.target) == ["/", "/next"])
        #expect(outcome.requests.first.map { String(decoding: $0.body, as: UTF8.self) } == "hello world0123456789")
        #expect(outcome.requests.first?.head.framing == .chunked)
    }

    @Test("Transfer-Encoding is case-insensitive and OWS-trimmed", arguments: ["chunked", "CHUNKED", " chunked", "\tchunked ", "Chunked,"])
    func transferEncodingSpelling(value: String) {
        let outcome = H.run("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\(value)\r\n\r\n0\r\n\r\n", feeding: .whole)
        #expect(outcome.error == nil)
        #expect(outcome.requests.count == 1)
    }

    @Test("bare LF line ends are accepted in the head, and blank lines before a request are skipped")
    func bareLineFeed() {
        let outcome = H.run("\r\n\nGET / HTTP/1.1\nHost: h\nX: y\n\n", feeding: .byteByByte)
        #expect(outcome.error == nil)
        #expect(outcome.requests.first?.head.headers == HTTPHeaders([("Host", "h"), ("X", "y")]))
    }

    @Test("persistence: 1.1 keep-alive unless close; 1.0 only with keep-alive; 100-continue noticed")
    func persistence() {
        func head(_ text: String) -> HTTPRequestHead? { H.run(text, feeding: .whole).events.first.flatMap { if case .request(let h, _) = $0 { h } else if case .head(let h) = $0 { h } else { nil } } }
        #expect(head("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")?.isKeepAlive == false)
        #expect(head("GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, Close\r\n\r\n")?.isKeepAlive == false)
        #expect(head("GET / HTTP/1.0\r\n\r\n")?.isKeepAlive == false)
        #expect(head("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")?.isKeepAlive == true)
        #expect(head("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n")?.expectsContinue == true)
        #expect(head("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n")?.target == "*")
        #expect(head("GET http://example.com/x?y HTTP/1.1\r\nHost: example.com\r\n\r\n")?.target == "http://example.com/x?y")
    }

    static let badRequests: [BadRequest] = [
        // Request line
        BadRequest("invalid method character", "GE(T / HTTP/1.1\r\nHost: h\r\n\r\n", .invalidMethod),
        BadRequest("empty method", " / HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine),
        BadRequest("two spaces", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine),
        BadRequest("no version", "GET /\r\nHost: h\r\n\r\n", .malformedRequestLine),
        BadRequest("lowercase version", "GET / http/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine),
        BadRequest("HTTP/2.0", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .unsupportedVersion),
        BadRequest("HTTP/1.2", "GET / HTTP/1.2\r\nHost: h\r\n\r\n", .unsupportedVersion),
        BadRequest("HTTP/0.9 style", "GET /\r\n\r\n", .malformedRequestLine),
        BadRequest("non-ASCII target", "GET /caf\u{E9} HTTP/1.1\r\nHost: h\r\n\r\n", .invalidTarget),
        BadRequest("NUL in target", "GET /a\u{0}b HTTP/1.1\r\nHost: h\r\n\r\n", .invalidTarget),
        BadRequest("authority-form", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n", .unsupportedTargetForm),
        BadRequest("relative target", "GET index.html HTTP/1.1\r\nHost: h\r\n\r\n", .unsupportedTargetForm),
        BadRequest("asterisk with GET", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", .unsupportedTargetForm),
        // Field lines
        BadRequest("bare CR in a field", "GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n", .bareCarriageReturn),
        BadRequest("bare CR in the request line", "GET /\r HTTP/1.1\r\nHost: h\r\n\r\n", .bareCarriageReturn),
        BadRequest("obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", .obsoleteLineFolding),
        BadRequest("first field folded", "GET / HTTP/1.1\r\n Host: h\r\n\r\n", .obsoleteLineFolding),
        BadRequest("space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", .whitespaceBeforeColon),
        BadRequest("tab before colon", "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", .whitespaceBeforeColon),
        BadRequest("no colon", "GET / HTTP/1.1\r\nHost h\r\n\r\n", .whitespaceBeforeColon),
        BadRequest("bad name character", "GET / HTTP/1.1\r\nHo(st: h\r\n\r\n", .invalidFieldName),
        BadRequest("empty name", "GET / HTTP/1.1\r\n: h\r\nHost: h\r\n\r\n", .invalidFieldName),
        BadRequest("NUL in a value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\u{0}b\r\n\r\n", .invalidFieldValue),
        BadRequest("DEL in a value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\u{7F}\r\n\r\n", .invalidFieldValue),
        BadRequest("vertical tab in a value", "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\u{B}\r\n\r\n", .invalidFieldValue),
        BadRequest("missing Host", "GET / HTTP/1.1\r\nX: y\r\n\r\n", .invalidHost),
        BadRequest("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .invalidHost),
        // Content-Length
        BadRequest("CL and TE", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .contentLengthWithTransferEncoding),
        BadRequest("TE and CL", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", .contentLengthWithTransferEncoding),
        BadRequest("differing CLs", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", .duplicateContentLength),
        BadRequest("identical CLs", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab", .duplicateContentLength),
        BadRequest("CL list", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2, 2\r\n\r\nab", .invalidContentLength),
        BadRequest("CL sign", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +2\r\n\r\nab", .invalidContentLength),
        BadRequest("CL negative", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
        BadRequest("CL space inside", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1 2\r\n\r\n", .invalidContentLength),
        BadRequest("CL hex", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n", .invalidContentLength),
        BadRequest("CL empty", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", .invalidContentLength),
        BadRequest("CL overflow", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", .invalidContentLength),
        // Transfer-Encoding
        BadRequest("chunked, identity", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", .invalidTransferEncoding),
        BadRequest("identity alone", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n\r\n", .invalidTransferEncoding),
        BadRequest("xchunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n", .invalidTransferEncoding),
        BadRequest("chunked twice", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .invalidTransferEncoding),
        BadRequest("empty TE", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: \r\n\r\n", .invalidTransferEncoding),
        BadRequest("gzip, chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", .unsupportedTransferCoding),
        BadRequest("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .transferEncodingInHTTP10),
        // Chunked body
        BadRequest("non-hex size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .invalidChunkSize),
        BadRequest("empty size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", .invalidChunkSize),
        BadRequest("signed size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        BadRequest("0x size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        BadRequest("size overflow", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000001\r\n", .invalidChunkSize),
        BadRequest("size then space then CRLF", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        BadRequest("size line ends in LF", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        BadRequest("data longer than size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n", .invalidChunkFraming),
        BadRequest("no CRLF after data", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello0\r\n\r\n", .invalidChunkFraming),
        BadRequest("LF only after data", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n", .invalidChunkFraming),
        BadRequest("bare CR in extension", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a\rb\r\nhello\r\n0\r\n\r\n", .invalidChunkFraming),
        BadRequest("bare LF in trailer", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\n\r\n", .invalidChunkFraming),
    ]

    @Test("bad framing gets the exact error, whatever the feeding", arguments: badRequests)
    func refused(bad: BadRequest) {
        for feeding in H.Feeding.allCases {
            let outcome = H.run(bad.text, feeding: feeding)
            #expect(outcome.error == bad.error, "\(feeding)")
            #expect(outcome.requests.isEmpty, "\(feeding)")
        }
    }

    @Test("statuses: 505 for versions, 501 for codings, 400 for the rest of the framing")
    func statuses() {
        #expect(HTTPParseError.unsupportedVersion.status == 505)
        #expect(HTTPParseError.unsupportedTransferCoding.status == 501)
        #expect(HTTPParseError.requestLineTooLong.status == 414)
        #expect(HTTPParseError.headersTooLarge.status == 431)
        #expect(HTTPParseError.bodyTooLarge.status == 413)
        #expect(HTTPParseError.headerTimeout.status == 408)
        #expect(HTTPParseError.duplicateContentLength.status == 400)
        #expect(HTTPParseError.bareCarriageReturn.status == 400)
    }
}
