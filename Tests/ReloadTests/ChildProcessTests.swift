// The reloader's child processes and its readiness check, with real processes and sockets.

import Foundation
import HTTPServer
import Testing

@testable import Backend

@Suite struct ChildProcessTests {
    @Test func runCapturesOutputAndExitStatus() throws {
        let result = try ChildProcess.run(["sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"]) { _ in }
        #expect(result.status == 3)
        #expect(result.output.contains("to-stdout") && result.output.contains("to-stderr"))
    }

    @Test func spawnAddsToTheEnvironmentAndReplacesWhatItNames() throws {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
        let check = #"[ "$HOME" = "$1" ] && [ "$PATH" = /replaced:/usr/bin:/bin ] && [ "$RELOAD_TESTS_ADDED" = 1 ]"#
        let child = try ChildProcess.spawn(
            ["sh", "-c", check, "sh", home],
            environment: ["PATH": "/replaced:/usr/bin:/bin", "RELOAD_TESTS_ADDED": "1"])
        #expect(child.waitForExit() == 0)
        let plain = try ChildProcess.spawn(["sh", "-c", #"[ -z "$RELOAD_TESTS_ADDED" ]"#])
        #expect(plain.waitForExit() == 0)
    }

    @Test func aMissingProgramIsAClearError() {
        #expect(throws: SpawnError.self) { try ChildProcess.spawn(["no-such-program-for-reload-tests"]) }
    }

    @Test func aSignalledChildReportsTheSignal() throws {
        let child = try ChildProcess.spawn(["sleep", "30"])
        #expect(child.exitStatusIfExited() == nil)
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 128 + SIGTERM)
    }

    @Test func readinessNeedsTheProcessToListenOnThePort() throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.accessLog = false
        let listening = HTTPServer(configuration: configuration, responder: HealthOnly())
        let port = try listening.start()
        defer { listening.shutdown() }
        #expect(ServerReadiness.isListening(pid: getpid(), port: port))
        #expect(ServerReadiness.healthRouteAnswers(host: "0.0.0.0", port: port))
        let child = try ChildProcess.spawn(["sleep", "30"])
        defer {
            child.signal(SIGKILL)
            _ = child.waitForExit()
        }
        #expect(!ServerReadiness.isListening(pid: child.pid, port: port))
    }

    @Test func readinessReportsAChildThatExits() throws {
        let child = try ChildProcess.spawn(["sh", "-c", "exit 4"])
        #expect(
            ServerReadiness.wait(for: child, host: "127.0.0.1", port: 9, timeout: .seconds(5)) == .exited(status: 4))
    }
}

/// Answers the health route with 200.
private struct HealthOnly: HTTPResponder {
    func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        .plainText(request.path == Healthcheck.path ? .ok : .notFound, "true")
    }
}
