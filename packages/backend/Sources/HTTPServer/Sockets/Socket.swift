// Thin wrappers over POSIX sockets: listening (IPv4 and IPv6), accepting, connecting, options.

#if canImport(Glibc)
    import CLinuxShims
    import Glibc
#endif

/// A failed system call, with its errno.
public struct SocketError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32

    init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    public var description: String { "\(operation) failed: \(String(cString: strerror(code)))" }
}

enum Socket {
    /// Opens a non-blocking listening socket on `host:port` (port 0: an ephemeral one). One
    /// socket serves every event loop; only with `reusePort` may another process share the port.
    static func listen(host: String, port: Int, reusePort: Bool, backlog: Int32 = 1024) throws(SocketError) -> Int32 {
        try bindListener(try resolve(host: host, port: port), reusePort: reusePort, backlog: backlog)
    }

    /// The local port a socket is bound to.
    static func localPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return port(of: storage)
    }

    /// Accepts one pending connection: its descriptor and the peer's address, or nil when none
    /// is pending. The new socket is non-blocking, close-on-exec, with TCP_NODELAY.
    static func accept(_ listener: Int32) -> (fd: Int32, peer: String)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                accept4(listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
            }
        }
        guard fd >= 0 else { return nil }
        setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        return (fd, describe(storage))
    }

    /// A blocking connection to `host:port`, with send and receive timeouts.
    static func connect(host: String, port: Int, timeoutSeconds: Int) throws(SocketError) -> Int32 {
        var address = try resolve(host: host, port: port)
        let fd = socket(Int32(address.ss_family), Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let size = length(of: address)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, size) }
        }
        guard result == 0 else {
            let error = SocketError("connect to \(host):\(port)")
            close(fd)
            throw error
        }
        return fd
    }

    // MARK: - Helpers

    private static func bindListener(
        _ address: sockaddr_storage, reusePort: Bool, backlog: Int32
    ) throws(SocketError) -> Int32 {
        var address = address
        let family = Int32(address.ss_family)
        let fd = socket(family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        if reusePort { setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1) }
        if family == AF_INET6 { setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 0) }
        let size = length(of: address)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) }
        }
        guard bound == 0, Glibc.listen(fd, backlog) == 0 else {
            let error = SocketError("bind/listen on port \(port(of: address))")
            close(fd)
            throw error
        }
        return fd
    }

    private static func resolve(host: String, port: Int) throws(SocketError) -> sockaddr_storage {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &result)
        guard status == 0, let info = result else {
            throw SocketError("resolve \(host): \(String(cString: gai_strerror(status)))", code: EINVAL)
        }
        defer { freeaddrinfo(result) }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { dst in
            dst.copyMemory(
                from: UnsafeRawBufferPointer(start: info.pointee.ai_addr, count: Int(info.pointee.ai_addrlen)))
        }
        return storage
    }

    private static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var value = value
        setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    private static func length(of address: sockaddr_storage) -> socklen_t {
        socklen_t(address.ss_family == AF_INET6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
    }

    private static func port(of storage: sockaddr_storage) -> Int {
        var storage = storage
        let family = storage.ss_family
        return withUnsafePointer(to: &storage) { ptr in
            if family == AF_INET6 {
                return ptr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            }
            return ptr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                Int(UInt16(bigEndian: $0.pointee.sin_port))
            }
        }
    }

    /// `host:port`, with IPv6 hosts in brackets.
    private static func describe(_ storage: sockaddr_storage) -> String {
        var storage = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let isV6 = storage.ss_family == AF_INET6
        withUnsafePointer(to: &storage) { ptr in
            if isV6 {
                ptr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    var addr = $0.pointee.sin6_addr
                    _ = inet_ntop(AF_INET6, &addr, &text, socklen_t(text.count))
                }
            } else {
                ptr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    var addr = $0.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &addr, &text, socklen_t(text.count))
                }
            }
        }
        let host = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return isV6 ? "[\(host)]:\(port(of: storage))" : "\(host):\(port(of: storage))"
    }
}
