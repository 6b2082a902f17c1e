import Testing
@testable import FirstlineHTTP

@Suite("HTTPRequestDecoder: limits (414, 431, 413)")
struct DecoderLimitTests {
    typealias H = DecoderHarness
    let limits = HTTPRequestDecoder.Limits(maxHeaderBytes: 1024, maxBodyBytes: 100)

    @Test("a request line past the limit is 414, even before it ends", arguments: [true, false])
    func longRequestLine(isComplete: Bool) {
        let line = "GET /" + String(repeating: "a", count: 2000) + (isComplete ? " HTTP/1.1\r\nHost: h\r\n\r\n" : "")
        for feeding in H.Feeding.allCases {
            #expect(H.run(line, feeding: feeding, limits: limits).error == .requestLineTooLong, "\(feeding)")
        }
    }

    @Test("fields past the limit are 431, complete or still coming", arguments: [true, false])
    func largeHeaders(isComplete: Bool) {
        let fields = (0..<100).map { "X-Field-\($0): \(String(repeating: "v", count: 20))\r\n" }.joined()
        let text = "GET / HTTP/1.1\r\nHost: h\r\n" + fields + (isComplete ? "\r\n" : "")
        for feeding in H.Feeding.allCases {
            #expect(H.run(text, feeding: feeding, limits: limits).error == .headersTooLarge, "\(feeding)")
        }
    }

    @Test("a head exactly at the limit passes")
    func headAtLimit() {
        let base = "GET / HTTP/1.1\r\nHost: h\r\nX: \r\n\r\n"
        let text = "GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "v", count: 1024 - base.utf8.count) + "\r\n\r\n"
        #expect(text.utf8.count == 1024)
        #expect(H.run(text, feeding: .byteByByte, limits: limits).requests.count == 1)
        let over = "GET / HTTP/1.1\r\nHost: h\r\nX: v" + String(repeating: "v", count: 1024 - base.utf8.count) + "\r\n\r\n"
        #expect(H.run(over, feeding: .byteByByte, limits: limits).error == .headersTooLarge)
    }

    @Test("a declared body past the limit is 413 at once, before any body byte")
    func declaredBodyTooLarge() {
        let outcome = H.run("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 101\r\n\r\n", feeding: .whole, limits: limits)
        #expect(outcome.error == .bodyTooLarge)
        let exact = H.run("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n" + String(repeating: "b", count: 100), feeding: .whole, limits: limits)
        #expect(exact.requests.first?.body.count == 100)
    }

    @Test("a chunked body past the limit is 413, in one chunk or over several", arguments: H.Feeding.allCases)
    func chunkedBodyTooLarge(feeding: H.Feeding) {
        let one = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n" + String(repeating: "x", count: 101) + "\r\n0\r\n\r\n"
        #expect(H.run(one, feeding: feeding, limits: limits).error == .bodyTooLarge)
        let chunk = "32\r\n" + String(repeating: "x", count: 50) + "\r\n"
        let several = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "1\r\nx\r\n0\r\n\r\n"
        #expect(H.run(several, feeding: feeding, limits: limits).error == .bodyTooLarge)
        let exact = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n"
        #expect(H.run(exact, feeding: feeding, limits: limits).requests.first?.body.count == 100)
    }

    @Test("trailers past the head limit are 431")
    func largeTrailers() {
        let trailers = (0..<100).map { "T\($0): \(String(repeating: "t", count: 20))\r\n" }.joined()
        let text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + trailers + "\r\n"
        #expect(H.run(text, feeding: .whole, limits: limits).error == .headersTooLarge)
    }

    @Test("endless blank lines before a request are refused, not buffered")
    func endlessBlankLines() {
        let text = String(repeating: "\r\n", count: 2000)
        #expect(H.run(text, feeding: .whole, limits: limits).error != nil)
    }

    @Test("random bytes never crash the decoder, and a refusal is always a 4xx or 5xx", arguments: 0..<64)
    func randomBytes(seed: Int) {
        var generator = SplitMix64(seed: UInt64(seed))
        let prefixes = ["", "GET / HTTP/1.1\r\n", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"]
        let bytes = Array(prefixes[seed % 3].utf8) + (0..<300).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let outcome = H.run(bytes, feeding: .randomBatches(seed: UInt64(seed)), limits: limits)
        if let error = outcome.error { #expect((400..<600).contains(error.status)) }
    }
}
