// HTTP from the host to a container's published port: one GET, waiting for an expected body,
// one request of any kind, and a background load that counts failed requests.

import Foundation
import HTTPServer
import Synchronization

enum HTTPProbe {
    static let healthPath = "/api/v1/utils/health-check/"

    /// The body of `GET path` if it answers 200, else nil.
    static func body(port: Int, path: String = healthPath) -> String? {
        let request = HTTPRequest(method: .get, target: path)
        guard let response = try? BlockingHTTPClient.send(request, host: "127.0.0.1", port: port, timeoutSeconds: 5),
            response.status.code == 200
        else { return nil }
        return String(decoding: response.body, as: UTF8.self)
    }

    /// One request (`body` sent as it is, `contentType` says what it is); the status and the body,
    /// or nil when nothing answered.
    static func send(
        _ method: HTTPMethod, _ path: String, port: Int, body: String = "", contentType: String? = nil,
        bearer: String? = nil
    ) -> (status: Int, body: String)? {
        var headers = HTTPHeaders()
        if let contentType { headers.add("content-type", contentType) }
        if let bearer { headers.add("authorization", "Bearer \(bearer)") }
        let request = HTTPRequest(method: method, target: path, headers: headers, body: Array(body.utf8))
        guard let response = try? BlockingHTTPClient.send(request, host: "127.0.0.1", port: port, timeoutSeconds: 10)
        else { return nil }
        return (response.status.code, String(decoding: response.body, as: UTF8.self))
    }

    /// Polls every 100 ms until `condition` holds for the health route's body (nil: no 200);
    /// how long that took, or nil after `timeout`.
    static func wait(
        port: Int, timeout: Duration, until condition: (String?) -> Bool
    ) async -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            if condition(body(port: port)) { return ContinuousClock.now - start }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }
}

/// Sends the health route request after request on a thread of its own until stopped.
final class BackgroundLoad: Sendable {
    private let counts = Mutex((sent: 0, failed: 0))
    private let running = Atomic(true)
    private let finished = Atomic(false)

    init(port: Int) {
        Thread { [self] in
            while running.load(ordering: .relaxed) {
                let ok = HTTPProbe.body(port: port) != nil
                counts.withLock { counts in
                    counts.sent += 1
                    if !ok { counts.failed += 1 }
                }
                usleep(20_000)
            }
            finished.store(true, ordering: .releasing)
        }.start()
    }

    /// Stops the load; how many requests were sent and how many failed.
    func stop() async -> (sent: Int, failed: Int) {
        running.store(false, ordering: .relaxed)
        while !finished.load(ordering: .acquiring) { try? await Task.sleep(for: .milliseconds(10)) }
        return counts.withLock { $0 }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// A request sent in two parts over one connection held open: the server sees it in flight
/// (its head begun) until `finish` sends the rest and reads the whole response.
final class HeldRequest {
    private let fd: Int32

    init(port: Int, path: String = HTTPProbe.healthPath) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard connected == 0 else {
            close(fd)
            throw ComposeError(description: "connect to 127.0.0.1:\(port): errno \(errno)")
        }
        try send("GET \(path) HTTP/1.1\r\nhost: 127.0.0.1\r\n")
    }

    deinit { close(fd) }

    /// Completes the request; the raw response, read until the server closes the connection.
    func finish() throws -> String {
        try send("\r\n")
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        return String(decoding: response, as: UTF8.self)
    }

    private func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw ComposeError(description: "send: errno \(errno)") }
    }
}
