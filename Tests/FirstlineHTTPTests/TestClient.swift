import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FirstlineHTTP

/// A tiny blocking HTTP client on a Glibc socket, with a receive timeout so a test fails
/// instead of hanging.
final class TestClient: @unchecked Sendable {
    // @unchecked: a test may send from one thread while it reads on another; `send` touches
    // only the descriptor (send and recv on one socket may run concurrently), `buffer` is
    // touched only by the reading thread.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// One response as read off the wire.
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    let descriptor: Int32
    private var buffer: [UInt8] = []

    init(port: UInt16, host: String = "127.0.0.1", timeout: Double = 5) throws {
        let isV6 = host.contains(":")
        descriptor = socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        let result: Int32
        if isV6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard result == 0 else {
            // No close here: the instance is fully initialised, so deinit runs and closes it.
            throw Failure(description: "connect: errno \(errno)")
        }
    }

    deinit {
        Glibc.close(descriptor)
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw Failure(description: "send: errno \(errno)") }
            offset += written
        }
    }

    /// Sends FIN: the request is complete, nothing more will come.
    func shutdownWrite() { _ = Glibc.shutdown(descriptor, Int32(SHUT_WR)) }

    /// Reads more bytes into the buffer; false at end of stream (or reset).
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { Glibc.recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer.append(contentsOf: chunk[..<count])
            return true
        }
        if count == 0 { return false }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK { throw Failure(description: "timed out waiting for the server") }
        if code == ECONNRESET { return false }
        throw Failure(description: "recv: errno \(code)")
    }

    /// Reads one response (interim 1xx responses are returned too).
    /// - Parameter isHead: the request was HEAD (no body follows the fields).
    /// - Returns: nil if the server closed before a complete head.
    func readResponse(isHead: Bool = false) throws -> Response? {
        var headEnd: Int?
        while true {
            if let range = buffer.firstRange(of: Array("\r\n\r\n".utf8)) {
                headEnd = range.upperBound
                break
            }
            guard try fill() else { return nil }
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: buffer[..<(headEnd - 4)], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0] == "HTTP/1.1", let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line \(lines[0])")
        }
        let headers = lines.dropFirst().map { line -> (name: String, value: String) in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            return (String(line[..<colon]), line[colon...].dropFirst().trimmingCharacters(in: .whitespaces))
        }
        buffer.removeFirst(headEnd)
        var response = Response(status: status, headers: headers, body: [])
        if isHead || status < 200 || status == 204 || status == 304 { return response }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            while buffer.count < length {
                guard try fill() else { throw Failure(description: "closed inside a body") }
            }
            response.body = Array(buffer[..<length])
            buffer.removeFirst(length)
        } else {
            response.body = try readToEnd()
        }
        return response
    }

    /// Reads until the server closes; returns everything not yet consumed.
    func readToEnd() throws -> [UInt8] {
        while try fill() {}
        defer { buffer = [] }
        return buffer
    }

    /// Reads until `text` has arrived (for event streams); returns everything read so far.
    func read(until text: String) throws -> String {
        let needle = Array(text.utf8)
        while buffer.firstRange(of: needle) == nil {
            guard try fill() else { throw Failure(description: "closed before \(text.debugDescription)") }
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Whether the server closes the connection within `timeout` seconds (bytes it sends
    /// meanwhile are kept).
    func isClosedByServer() -> Bool {
        do {
            while try fill() {}
            return true
        } catch {
            return false
        }
    }

    /// One request and its response.
    func exchange(_ request: String, isHead: Bool = false) throws -> Response {
        try send(request)
        guard let response = try readResponse(isHead: isHead) else { throw Failure(description: "closed without a response") }
        return response
    }
}

/// A server on a free port with a handler, shut down at the end of `body`.
func withServer(
    _ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    handler: @escaping HTTPHandler = TestHandlers.echo,
    _ body: (HTTPServer) throws -> Void
) throws {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, handler: handler)
    try server.start()
    defer {
        server.shutdown(gracePeriod: 1)
        server.waitUntilStopped()
    }
    try body(server)
}

/// Polls `condition` until it holds or `timeout` passes (for effects on other threads; the
/// bound is generous and never the thing asserted).
func eventually(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}

/// A value shared with handler threads.
final class Box<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched holding `lock`.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
    var current: Value { lock.withLock { value } }
}

enum TestHandlers {
    /// `METHOD path body` as text; `x-query` echoes the query; HEAD gets the same fields.
    static let echo: HTTPHandler = { request, responder in
        var response = HTTPResponse(status: 200, contentType: "text/plain", body: "\(request.method) \(request.path) \(String(decoding: request.body, as: UTF8.self))")
        if !request.query.isEmpty {
            response.headers.add("X-Query", request.query.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&"))
        }
        responder.respond(response)
    }
}
