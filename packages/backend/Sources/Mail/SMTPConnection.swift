// A blocking TCP connection to an SMTP server: connect with a timeout, optional TLS (from the
// start or after STARTTLS), reads of CRLF-terminated lines, writes of whole buffers. Every
// connect, handshake, read and write gives up after the timeout, and the whole conversation
// after `conversationLimit` timeouts, so a server that answers byte by byte cannot hold us.
// Used only on the sender's own thread.

#if canImport(Glibc)
    import Glibc
#endif

/// A failed connect, read, write or handshake, in words.
struct TransportError: Error {
    let detail: String
    let isTimeout: Bool

    init(_ detail: String) {
        self.detail = detail
        self.isTimeout = false
    }

    private init(timeout: Void) {
        self.detail = "timed out"
        self.isTimeout = true
    }

    static let timedOut = TransportError(timeout: ())
}

final class SMTPConnection {
    private static let maximumLineLength = 4096
    /// The whole conversation may take this many timeouts.
    static let conversationLimit = 6

    private let fd: Int32
    private let host: String
    private let timeoutSeconds: Int
    private let deadline: ContinuousClock.Instant
    private var tls: TLSSession?
    private var buffer: [UInt8] = []

    var isSecure: Bool { tls != nil }

    init(host: String, port: Int, timeoutSeconds: Int) throws(TransportError) {
        self.host = host
        self.timeoutSeconds = timeoutSeconds
        deadline = .now + .seconds(timeoutSeconds * Self.conversationLimit)
        fd = try Self.connect(host: host, port: port, timeoutSeconds: timeoutSeconds)
    }

    deinit {
        tls?.shutdown()
        close(fd)
    }

    /// Starts TLS on the connection. Bytes the server sent before the handshake are an error
    /// (they could be injected commands).
    func startTLS(_ context: TLSContext) throws(TransportError) {
        guard buffer.isEmpty else { throw TransportError("the server sent data before the TLS handshake") }
        tls = try withTimeoutDetail { () throws(TransportError) in
            try TLSSession(context: context, fd: fd, host: host)
        }
    }

    /// The next line, without its CRLF.
    func readLine() throws(TransportError) -> String {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let end = newline > 0 && buffer[newline - 1] == UInt8(ascii: "\r") ? newline - 1 : newline
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            guard buffer.count <= Self.maximumLineLength else {
                throw TransportError("the server sent a line longer than \(Self.maximumLineLength) bytes")
            }
            try fill()
        }
    }

    func write(_ bytes: [UInt8]) throws(TransportError) {
        var sent = 0
        while sent < bytes.count {
            sent += try withTimeoutDetail { () throws(TransportError) in
                try bytes.withUnsafeBytes { all -> Result<Int, TransportError> in
                    let rest = UnsafeRawBufferPointer(rebasing: all[sent...])
                    if let tls { return Result { () throws(TransportError) in try tls.write(rest) } }
                    let count = send(fd, rest.baseAddress, rest.count, Int32(MSG_NOSIGNAL))
                    return count > 0 ? .success(count) : .failure(Self.socketError())
                }.get()
            }
        }
    }

    private func fill() throws(TransportError) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = try withTimeoutDetail { () throws(TransportError) in
            try chunk.withUnsafeMutableBytes { space -> Result<Int, TransportError> in
                if let tls { return Result { () throws(TransportError) in try tls.read(into: space) } }
                let count = recv(fd, space.baseAddress, space.count, 0)
                return count >= 0 ? .success(count) : .failure(Self.socketError())
            }.get()
        }
        guard count > 0 else { throw TransportError("connection closed by the server") }
        buffer += chunk[..<count]
    }

    /// Runs blocking socket or TLS calls bounded by the timeout and what is left of the
    /// conversation's time, saying which ran out when one did.
    private func withTimeoutDetail<T>(_ body: () throws(TransportError) -> T) throws(TransportError) -> T {
        let left = deadline - .now
        let total = timeoutSeconds * Self.conversationLimit
        guard left > .milliseconds(1) else { throw TransportError("the conversation took more than \(total) s") }
        let wait = min(.seconds(timeoutSeconds), left).components
        var timeout = timeval(tv_sec: Int(wait.seconds), tv_usec: Int(wait.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        do {
            return try body()
        } catch {
            guard error.isTimeout else { throw error }
            let ranOut = deadline <= .now
            throw TransportError(
                ranOut ? "the conversation took more than \(total) s" : "no answer within \(timeoutSeconds) s")
        }
    }

    private static func socketError() -> TransportError {
        errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : TransportError(String(cString: strerror(errno)))
    }

    // MARK: - Connecting

    /// Tries each address of `host` in turn; the first that accepts within the timeout wins.
    private static func connect(host: String, port: Int, timeoutSeconds: Int) throws(TransportError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            throw TransportError("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = TransportError("no address for \(host)")
        var entry = list
        while let address = entry?.pointee {
            entry = address.ai_next
            do {
                return try connect(address, timeoutSeconds: timeoutSeconds)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private static func connect(_ address: addrinfo, timeoutSeconds: Int) throws(TransportError) -> Int32 {
        let fd = socket(
            address.ai_family, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw socketError() }
        do throws(TransportError) {
            if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) != 0 {
                guard errno == EINPROGRESS else { throw socketError() }
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&poller, 1, Int32(timeoutSeconds * 1000))
                guard ready > 0 else {
                    throw ready == 0 ? TransportError("no connection within \(timeoutSeconds) s") : socketError()
                }
                var failure: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length)
                guard failure == 0 else { throw TransportError(String(cString: strerror(failure))) }
            }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            return fd
        } catch {
            close(fd)
            throw error
        }
    }
}
