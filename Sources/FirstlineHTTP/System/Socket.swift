#if canImport(Glibc)
import Glibc
#endif
#if canImport(CFirstlineLinux)
import CFirstlineLinux
#endif

/// TCP socket calls: the listening socket, accepting, reading and writing, all non-blocking.
enum Socket {
    /// The backlog passed to `listen`.
    static let backlog: Int32 = 4096

    /// Creates a non-blocking socket bound to `host:port` and listening (SO_REUSEADDR).
    /// - Parameters:
    ///   - host: a numeric IPv4 (`127.0.0.1`, `0.0.0.0`) or IPv6 (`::1`, `::`) address;
    ///     `localhost` is taken as `127.0.0.1`.
    ///   - port: the port, 0 for any free one.
    /// - Returns: the descriptor and the port actually bound.
    static func listen(host: String, port: UInt16) throws(HTTPServerError) -> (descriptor: Int32, port: UInt16) {
        var storage = sockaddr_storage()
        let length: socklen_t
        let family: Int32
        let name = host == "localhost" ? "127.0.0.1" : host
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            family = AF_INET
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { raw in
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = port.bigEndian
                address.sin_addr = v4
                raw.storeBytes(of: address, as: sockaddr_in.self)
            }
        } else if inet_pton(AF_INET6, name, &v6) == 1 {
            family = AF_INET6
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { raw in
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                address.sin6_port = port.bigEndian
                address.sin6_addr = v6
                raw.storeBytes(of: address, as: sockaddr_in6.self)
            }
        } else {
            throw HTTPServerError(description: "cannot listen on \(host): not a numeric IPv4 or IPv6 address")
        }

        let descriptor: Int32
        do {
            descriptor = try SystemCall.run("socket") {
                socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            }
        } catch {
            throw HTTPServerError(description: "cannot listen on \(host):\(port): \(error)")
        }
        do {
            try setOption(descriptor, SOL_SOCKET, SO_REUSEADDR, 1)
            try withUnsafePointer(to: &storage) { pointer throws(SystemCallError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SystemCallError) in
                    _ = try SystemCall.run("bind") { bind(descriptor, address, length) }
                }
            }
            try SystemCall.run("listen") { Glibc.listen(descriptor, backlog) }
            return (descriptor, try boundPort(descriptor))
        } catch {
            SystemCall.close(descriptor)
            throw HTTPServerError(description: "cannot listen on \(host):\(port): \(error)")
        }
    }

    /// The local port a socket is bound to.
    static func boundPort(_ descriptor: Int32) throws(SystemCallError) -> UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemCallError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SystemCallError) in
                _ = try SystemCall.run("getsockname") { getsockname(descriptor, address, &length) }
            }
        }
        // sin_port and sin6_port sit at the same offset.
        return withUnsafeBytes(of: &storage) { $0.load(fromByteOffset: 2, as: UInt16.self).bigEndian }
    }

    /// Accepts one connection, non-blocking and close-on-exec, with TCP_NODELAY set.
    /// - Returns: the descriptor and the peer's address as text, or nil when none is waiting.
    static func accept(_ listener: Int32) throws(SystemCallError) -> (descriptor: Int32, remoteAddress: String)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let accepted = try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemCallError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SystemCallError) in
                try SystemCall.nonBlocking("accept4") {
                    CFirstlineLinux_accept4(listener, address, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
        }
        guard let descriptor = accepted else { return nil }
        try? setOption(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        return (descriptor, addressText(&storage))
    }

    /// Sets an integer socket option.
    static func setOption(_ descriptor: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws(SystemCallError) {
        var value = value
        try SystemCall.run("setsockopt") {
            setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// `127.0.0.1` or `::1` for a peer address (IPv4-mapped IPv6 addresses shown as IPv4).
    static func addressText(_ storage: inout sockaddr_storage) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            withUnsafeBytes(of: &storage) { raw in
                var address = raw.load(as: sockaddr_in.self).sin_addr
                _ = inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
            }
        case AF_INET6:
            withUnsafeBytes(of: &storage) { raw in
                var address = raw.load(as: sockaddr_in6.self).sin6_addr
                _ = inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
            }
        default:
            return ""
        }
        let result = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return result.hasPrefix("::ffff:") && result.contains(".") ? String(result.dropFirst(7)) : result
    }

    /// Reads what is there into `buffer`: the count, 0 at end of stream, nil if nothing yet.
    @inline(__always)
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallError) -> Int? {
        try SystemCall.nonBlocking("read") { Glibc.read(descriptor, buffer.baseAddress, buffer.count) }
    }

    /// Writes as much of `bytes` as the socket takes (MSG_NOSIGNAL: a closed peer is EPIPE,
    /// never SIGPIPE). Returns the count written, nil if the socket is full.
    @inline(__always)
    static func send(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemCallError) -> Int? {
        try SystemCall.nonBlocking("send") { Glibc.send(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Half-closes the sending side (FIN), so the peer reads the end of the last response
    /// before the socket goes.
    static func shutdownWrite(_ descriptor: Int32) {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_WR))
    }
}
