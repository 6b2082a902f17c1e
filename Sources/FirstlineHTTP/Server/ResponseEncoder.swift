/// Writes responses as bytes: status line, the application's fields (sanitised), then the
/// framing fields the server owns (`Content-Length`, `Date`, `Connection`).
enum ResponseEncoder {
    /// What the `Connection` field says.
    enum Persistence {
        /// HTTP/1.1 keep-alive: no field needed.
        case keepAlive
        /// HTTP/1.0 keep-alive: `Connection: keep-alive`.
        case keepAliveHTTP10
        /// The connection closes after this response: `Connection: close`.
        case close
    }

    /// `100 Continue`, sent before reading the body of a request with `Expect: 100-continue`.
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Appends `response` to `output`.
    /// - Parameters:
    ///   - isHead: the request was HEAD: the fields (Content-Length included) but no body.
    ///   - date: the current `Date` value.
    /// - Complexity: O(size of the response).
    static func encode(_ response: HTTPResponse, isHead: Bool, persistence: Persistence, date: [UInt8], into output: inout [UInt8]) {
        output.reserveCapacity(output.count + 128 + response.body.count + response.headers.fields.count * 32)
        appendStatusLine(response.status, into: &output)
        let hasDate = appendFields(response.headers, into: &output)
        if !HTTPStatus.hasNoContent(response.status) {
            output.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, into: &output)
            output.append(contentsOf: crlf)
        }
        appendServerFields(hasDate: hasDate, date: date, persistence: persistence, into: &output)
        output.append(contentsOf: crlf)
        if !isHead, !HTTPStatus.hasNoContent(response.status) {
            output.append(contentsOf: response.body)
        }
    }

    /// Appends the head of an event stream: 200, `text/event-stream`, `Cache-Control: no-store`,
    /// no Content-Length, `Connection: close` (the stream ends when the connection closes).
    static func encodeEventStreamHead(_ headers: HTTPHeaders, date: [UInt8], into output: inout [UInt8]) {
        appendStatusLine(200, into: &output)
        var fields = headers
        if fields["Content-Type"] == nil { fields.add("Content-Type", "text/event-stream") }
        if fields["Cache-Control"] == nil { fields.add("Cache-Control", "no-store") }
        let hasDate = appendFields(fields, into: &output)
        appendServerFields(hasDate: hasDate, date: date, persistence: .close, into: &output)
        output.append(contentsOf: crlf)
    }

    /// The response for a refused request: its status and a JSON body
    /// `{"error":{"code":"bad_request","message":"…"}}`.
    static func errorResponse(status: Int, message: String) -> HTTPResponse {
        let body = #"{"error":{"code":""# + HTTPStatus.code(status) + #"","message":""# + jsonEscaped(message) + #""}}"#
        return HTTPResponse(status: status, contentType: "application/json", body: body)
    }

    private static let crlf: [UInt8] = [13, 10]

    private static func appendStatusLine(_ status: Int, into output: inout [UInt8]) {
        output.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(min(max(status, 100), 999), into: &output)
        output.append(UInt8(ascii: " "))
        output.append(contentsOf: HTTPStatus.reason(status).utf8)
        output.append(contentsOf: crlf)
    }

    /// The application's fields, minus those the server owns; returns whether Date was among them.
    private static func appendFields(_ headers: HTTPHeaders, into output: inout [UInt8]) -> Bool {
        var hasDate = false
        for (name, value) in headers.fields {
            switch name.utf8.count {
            case 4 where name.caseInsensitiveEquals("date"): hasDate = true
            case 10 where name.caseInsensitiveEquals("connection"): continue
            case 14 where name.caseInsensitiveEquals("content-length"): continue
            case 17 where name.caseInsensitiveEquals("transfer-encoding"): continue
            default: break
            }
            // A name that is not a token, or a CR/LF/NUL in a value, would let the application
            // split the response; such names are dropped and such bytes removed.
            guard !name.isEmpty, name.utf8.allSatisfy({ ByteClass.token[Int($0)] }) else { continue }
            output.append(contentsOf: name.utf8)
            output.append(contentsOf: ": ".utf8)
            for byte in value.utf8 where byte != 13 && byte != 10 && byte != 0 { output.append(byte) }
            output.append(contentsOf: crlf)
        }
        return hasDate
    }

    private static func appendServerFields(hasDate: Bool, date: [UInt8], persistence: Persistence, into output: inout [UInt8]) {
        if !hasDate {
            output.append(contentsOf: "Date: ".utf8)
            output.append(contentsOf: date)
            output.append(contentsOf: crlf)
        }
        switch persistence {
        case .keepAlive: break
        case .keepAliveHTTP10: output.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        case .close: output.append(contentsOf: "Connection: close\r\n".utf8)
        }
    }

    static func appendDecimal(_ value: Int, into output: inout [UInt8]) {
        guard value > 0 else { output.append(UInt8(ascii: "0")); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0, count < buffer.count {
                buffer[buffer.count - 1 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(buffer.count - count)...]))
        }
    }

    static func jsonEscaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
