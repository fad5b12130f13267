// Runs the built `backend` executable as a child process, as a user or Docker would.

import Foundation
import HTTPServer

/// The `backend` binary next to this test bundle in the build folder.
let backendExecutable: URL = {
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var folder = exe.deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("backend").path) && folder.path != "/" {
        folder.deleteLastPathComponent()
    }
    return folder.appendingPathComponent("backend")
}()

struct Finished {
    let status: Int32
    let output: String
}

/// A `backend` child process; its output is collected until it exits.
final class BackendProcess: @unchecked Sendable {
    let process = Process()
    private let pipe = Pipe()

    init(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws {
        process.executableURL = backendExecutable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(testSettings) { $1 }
        env.merge(environment) { $1 }
        process.environment = env
        process.currentDirectoryURL = directory ?? FileManager.default.temporaryDirectory
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
    }

    /// Waits for the exit (SIGKILL after `timeout`) and returns the status and all output.
    func finish(timeout: Duration = .seconds(15)) -> Finished {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        return Finished(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }
}

/// The settings the application requires, for a production-mode server on a fresh SQLite file.
let testSettings: [String: String] = [
    "PROJECT_NAME": "CLI Test", "SECRET_KEY": "cli-test-secret-of-at-least-32-characters",
    "FIRST_SUPERUSER": "admin@example.com",
    "FIRST_SUPERUSER_PASSWORD": "cli-test-password", "FASTAPI_ENV": "production",
    "DATABASE_URL": "sqlite:///"
        + FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID()).db").path,
]

/// Runs `backend` with `arguments` to completion.
func runBackend(_ arguments: [String], environment: [String: String] = [:]) throws -> Finished {
    try BackendProcess(arguments, environment: environment).finish()
}

/// A free loopback port: bound to port 0 and released at once.
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            _ = bind(fd, $0, length)
            _ = getsockname(fd, $0, &length)
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Polls `GET path` until it answers (or `timeout`).
func waitForServer(port: Int, timeout: Duration = .seconds(10)) throws -> HTTPResponse {
    let deadline = ContinuousClock.now + timeout
    while true {
        do {
            return try BlockingHTTPClient.send(
                HTTPRequest(method: .get, target: "/api/v1/utils/health-check/"), host: "127.0.0.1", port: port)
        } catch {
            if ContinuousClock.now > deadline { throw error }
            usleep(20_000)
        }
    }
}
