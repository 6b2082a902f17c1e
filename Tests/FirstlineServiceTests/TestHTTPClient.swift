import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking HTTP/1.1 client over a real TCP socket, for the API tests: one keep-alive
/// connection, requests written as bytes, responses read by Content-Length; event streams
/// read line by line. Reads time out after `timeout` seconds, so a broken server fails a test
/// instead of hanging it.
final class TestHTTPClient {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    }

    let descriptor: Int32
    private var buffer: [UInt8] = []

    init(port: UInt16, timeout: Int = 60) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// Sends a request; `json` becomes the body with `Content-Type: application/json`.
    func request(_ method: String, _ path: String, json: Any? = nil, rawBody: [UInt8]? = nil, headers: [String: String] = [:]) throws -> Response {
        var body = rawBody ?? []
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json))
            head += "Content-Type: application/json\r\n"
        }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        write(Array((head + "\r\n").utf8) + body)
        return try readResponse()
    }

    func readResponse() throws -> Response {
        let headEnd = try readUntil([13, 10, 13, 10])
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw POSIXError(.EBADMSG) }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if headers["content-type"]?.hasPrefix("text/event-stream") == true { return Response(status: status, headers: headers, body: []) }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < length { try fill() }
        let body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return Response(status: status, headers: headers, body: body)
    }

    /// Reads an event stream until an event named `name` arrives; returns its data.
    func nextEvent(named name: String) throws -> String {
        try nextEventWithID(named: name).data
    }

    /// Reads an event stream until an event named `name` whose data contains `text` arrives:
    /// the tests share one service, so a stream may carry other tests' events first.
    func nextEvent(named name: String, containing text: String) throws -> String {
        while true {
            let data = try nextEventWithID(named: name).data
            if data.contains(text) { return data }
        }
    }

    /// Like `nextEvent(named:)`, with the event's id.
    func nextEventWithID(named name: String) throws -> (id: String, data: String) {
        while true {
            let end = try readUntil([10, 10])
            let block = String(decoding: buffer[..<end], as: UTF8.self)
            buffer.removeFirst(end + 2)
            var event = "message", data: [String] = [], id = ""
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("event:") { event = line.dropFirst(6).trimmingCharacters(in: .whitespaces) }
                if line.hasPrefix("data:") { data.append(line.dropFirst(5).trimmingCharacters(in: .whitespaces)) }
                if line.hasPrefix("id:") { id = line.dropFirst(3).trimmingCharacters(in: .whitespaces) }
            }
            if event == name { return (id, data.joined(separator: "\n")) }
        }
    }

    /// Whether the server closed the connection (reads 0 bytes before the timeout).
    func isClosedByServer() -> Bool {
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, 0) == 0
    }

    private func readUntil(_ marker: [UInt8]) throws -> Int {
        while true {
            if buffer.count >= marker.count {
                for index in 0...(buffer.count - marker.count) where buffer[index] == marker[0] && Array(buffer[index..<index + marker.count]) == marker {
                    return index
                }
            }
            try fill()
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        guard count > 0 else { throw POSIXError(.ETIMEDOUT) }
        buffer += chunk[..<count]
    }
}
