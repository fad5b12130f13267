// A 127.0.0.1 listener that accepts connections but never speaks, and a port nothing listens on:
// the SMTP client's connect and timeout failures.

import Glibc
import TestSupport

/// A 127.0.0.1 listener that accepts connections into its backlog and never sends a byte.
final class SilentListener {
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw SinkError(message: "cannot listen on 127.0.0.1") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

/// A 127.0.0.1 port with nothing listening on it.
func closedPort() throws -> Int {
    let listener = try SilentListener()
    return listener.port
}
