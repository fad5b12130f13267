// A minimal blocking HTTP/1.1 client: one request per connection. For health checks and
// tools, not for serving traffic.

#if canImport(Glibc)
    import Glibc
#endif

public enum BlockingHTTPClient {
    public struct ClientError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Sends one request to `host:port` and reads the whole response.
    public static func send(
        _ request: HTTPRequest, host: String, port: Int, timeoutSeconds: Int = 5
    ) throws -> HTTPResponse {
        let fd = try Socket.connect(host: host, port: port, timeoutSeconds: timeoutSeconds)
        defer { close(fd) }
        var head = "\(request.method) \(request.target) HTTP/1.1\r\n"
        if !request.headers.contains("host") { head += "host: \(host):\(port)\r\n" }
        for (name, value) in request.headers { head += "\(name): \(value)\r\n" }
        head += "content-length: \(request.body.count)\r\nconnection: close\r\n\r\n"
        let bytes = Array(head.utf8) + request.body
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
            guard n > 0 else { throw ClientError(description: "send: \(SocketError("send"))") }
            sent += n
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw ClientError(description: "recv: \(SocketError("recv"))") }
            received += chunk[0..<n]
        }
        return try parse(received)
    }

    static func parse(_ bytes: [UInt8]) throws -> HTTPResponse {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            throw ClientError(description: "incomplete response")
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).split(separator: "\r\n")
        let statusParts = lines.first?.split(separator: " ", maxSplits: 2) ?? []
        guard statusParts.count >= 2, let code = Int(statusParts[1]) else {
            throw ClientError(description: "malformed status line")
        }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingOWS)
        }
        let reason = statusParts.count > 2 ? String(statusParts[2]) : nil
        return HTTPResponse(
            status: HTTPStatus(code: code, reasonPhrase: reason), headers: headers, body: Array(bytes[(end + 4)...]))
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (HTTP's optional white space).
    fileprivate var trimmingOWS: String {
        var text = self
        return text.withUTF8 { String(decoding: UnsafeRawBufferPointer($0).trimmingOWS, as: UTF8.self) }
    }
}
