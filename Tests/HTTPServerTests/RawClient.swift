// A blocking loopback client for tests: sends exact bytes, reads framed responses, and
// tells a closed connection from a silent one.

import Glibc
import Logging

@testable import HTTPServer

struct ReceivedResponse {
    let status: Int
    let headers: HTTPHeaders
    let body: String
}

final class RawClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, host: String = "127.0.0.1", timeoutSeconds: Int = 5) throws {
        fd = try Socket.connect(host: host, port: port, timeoutSeconds: timeoutSeconds)
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Reads one response; nil if the connection closed (or timed out) first.
    func readResponse(headRequest: Bool = false) -> ReceivedResponse? {
        while true {
            if let end = find("\r\n\r\n") {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                let lines = head.split(separator: "\r\n")
                let status = Int(lines[0].split(separator: " ")[1]) ?? 0
                var headers = HTTPHeaders()
                for line in lines.dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    headers.add(String(parts[0]), String(parts[1].dropFirst()))
                }
                let length = headRequest || status == 100 ? 0 : Int(headers["content-length"] ?? "0") ?? 0
                while buffer.count < end + 4 + length {
                    guard fill() else { return nil }
                }
                let body = String(decoding: buffer[(end + 4)..<(end + 4 + length)], as: UTF8.self)
                buffer.removeFirst(end + 4 + length)
                return ReceivedResponse(status: status, headers: headers, body: body)
            }
            guard fill() else { return nil }
        }
    }

    /// True if the server closed the connection (EOF or reset) within the receive timeout.
    func isClosedByServer() -> Bool {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, 0)
        return n == 0 || (n < 0 && errno == ECONNRESET)
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        buffer += chunk[0..<n]
        return true
    }

    private func find(_ text: String) -> Int? {
        let pattern = Array(text.utf8)
        guard buffer.count >= pattern.count else { return nil }
        return (0...(buffer.count - pattern.count)).first { buffer[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }
}

/// A server on an ephemeral loopback port for one test; shut down by `stop`.
struct TestServer {
    let server: HTTPServer
    let port: Int

    init(
        configure: (inout HTTPServer.Configuration) -> Void = { _ in },
        _ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.accessLog = false
        configure(&configuration)
        server = HTTPServer(
            configuration: configuration, responder: ClosureResponder(handler), logger: Logger(level: .error))
        port = try server.start()
    }

    func stop() async {
        server.shutdown(gracePeriod: .seconds(1))
        await server.waitUntilStopped()
    }
}

/// Echoes the method, target and body; `/delay/<ms>` answers after that long, `/throw` throws.
let echo: @Sendable (HTTPRequest) async throws -> HTTPResponse = { request in
    switch request.path {
    case let path where path.hasPrefix("/delay/"):
        try await Task.sleep(for: .milliseconds(Int(path.dropFirst(7)) ?? 0))
        return .plainText(.ok, "slept \(path.dropFirst(7))")
    case "/throw":
        struct Boom: Error {}
        throw Boom()
    default:
        return .plainText(.ok, "\(request.method) \(request.target) \(String(decoding: request.body, as: UTF8.self))")
    }
}
