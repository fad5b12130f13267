// Is a newly started server ready to take over? It must hold a listening socket on the port
// (checked in /proc, since with SO_REUSEPORT the old server answers on the same port) and the
// health route must answer 200 there.

import HTTPServer

#if canImport(Glibc)
    import Glibc
#endif

enum ServerReadiness {
    enum Outcome: Equatable {
        case ready
        case exited(status: Int32)
        case timedOut
    }

    /// Polls every 100 ms until `child` is ready, exits, or `timeout` passes.
    static func wait(for child: ChildProcess, host: String, port: Int, timeout: Duration) -> Outcome {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = child.exitStatusIfExited() { return .exited(status: status) }
            if isListening(pid: child.pid, port: port) && healthRouteAnswers(host: host, port: port) { return .ready }
            usleep(100_000)
        }
        return .timedOut
    }

    static func healthRouteAnswers(host: String, port: Int) -> Bool {
        let target = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host
        let response = try? BlockingHTTPClient.send(Healthcheck.request, host: target, port: port, timeoutSeconds: 2)
        return response?.status.code == 200
    }

    /// True when one of `pid`'s descriptors is a TCP socket listening on `port` (IPv4 or IPv6).
    static func isListening(pid: pid_t, port: Int) -> Bool {
        let sockets = socketInodes(pid: pid)
        guard !sockets.isEmpty else { return false }
        let portSuffix = ":" + hex4(port)
        return ["/proc/net/tcp", "/proc/net/tcp6"].contains { table in
            guard let file = fopen(table, "r") else { return false }
            defer { fclose(file) }
            var line: UnsafeMutablePointer<CChar>?
            var capacity = 0
            defer { free(line) }
            while getline(&line, &capacity, file) > 0, let line {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                let fields = String(cString: line).split(separator: " ")
                guard fields.count > 9, fields[3] == "0A", fields[1].hasSuffix(portSuffix) else { continue }
                if sockets.contains(String(fields[9])) { return true }
            }
            return false
        }
    }

    /// The inode numbers of the sockets among `pid`'s open descriptors.
    private static func socketInodes(pid: pid_t) -> Set<String> {
        let folder = "/proc/\(pid)/fd"
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var inodes: Set<String> = []
        var buffer = [CChar](repeating: 0, count: 256)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            let n = readlink(folder + "/" + name, &buffer, buffer.count - 1)
            guard n > 0 else { continue }
            let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if target.hasPrefix("socket:[") && target.hasSuffix("]") {
                inodes.insert(String(target.dropFirst(8).dropLast()))
            }
        }
        return inodes
    }

    private static func hex4(_ value: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
