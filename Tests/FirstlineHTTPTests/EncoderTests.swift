import Testing
@testable import FirstlineHTTP

@Suite("Response encoding, dates and request targets (golden bytes)")
struct EncoderTests {
    let date = Array("Sun, 06 Nov 1994 08:49:37 GMT".utf8)

    func encode(_ response: HTTPResponse, isHead: Bool = false, persistence: ResponseEncoder.Persistence = .keepAlive) -> String {
        var output: [UInt8] = []
        ResponseEncoder.encode(response, isHead: isHead, persistence: persistence, date: date, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test("a response: status line, fields, Content-Length, Date, body")
    func response() {
        #expect(encode(HTTPResponse(status: 200, contentType: "text/plain", body: "hi"))
            == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\nhi")
    }

    @Test("HEAD keeps Content-Length, drops the body; close and HTTP/1.0 keep-alive are said")
    func headAndPersistence() {
        #expect(encode(HTTPResponse(status: 404, body: Array("gone".utf8)), isHead: true, persistence: .close)
            == "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: close\r\n\r\n")
        #expect(encode(HTTPResponse(status: 204), persistence: .keepAliveHTTP10)
            == "HTTP/1.1 204 No Content\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test("the application's own Date is kept; an unknown status still has a phrase")
    func ownDate() {
        #expect(encode(HTTPResponse(status: 599, headers: HTTPHeaders([("date", "x")])))
            == "HTTP/1.1 599 Unknown\r\ndate: x\r\nContent-Length: 0\r\n\r\n")
    }

    @Test("error bodies are JSON with a code and a message, escaped")
    func errorBody() {
        let response = ResponseEncoder.errorResponse(status: 431, message: "a \"quoted\"\nline")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"error":{"code":"header_fields_too_large","message":"a \"quoted\"\nline"}}"#)
        #expect(response.headers["Content-Type"] == "application/json")
    }

    @Test("IMF-fixdate")
    func imfDate() {
        #expect(String(decoding: HTTPDate.format(784_111_777), as: UTF8.self) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(String(decoding: HTTPDate.format(0), as: UTF8.self) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }

    @Test("targets: percent-decoding, + in queries, absolute-form, malformed escapes kept")
    func targets() {
        #expect(RequestTarget.split("/a%2Fb%20c?q=%41+b&e=&f").path == "/a/b c")
        #expect(RequestTarget.split("/a%2Fb%20c?q=%41+b&e=&f").query == ["q": "A b", "e": "", "f": ""])
        #expect(RequestTarget.split("http://host:80/x/y?z=1").path == "/x/y")
        #expect(RequestTarget.split("https://host").path == "/")
        #expect(RequestTarget.split("/%zz%4").path == "/%zz%4")
        #expect(RequestTarget.split("/%FF").path == "/\u{FFFD}")
        #expect(RequestTarget.split("*").path == "*")
    }
}
