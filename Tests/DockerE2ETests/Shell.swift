// Runs a command line (docker, docker compose) to completion: its status and everything it printed.
// Waiting suspends (never blocks a thread of the test runner's cooperative pool, which the
// other suites' timing-sensitive tests share).

import Foundation

struct CommandResult {
    let status: Int32
    let output: String

    var succeeded: Bool { status == 0 }
}

enum Shell {
    /// Runs `arguments` (the first is looked up on PATH) in `directory` with `environment` added to
    /// ours; the command is killed after `timeout`.
    @discardableResult
    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(120)
    ) async throws -> CommandResult {
        try await RunningCommand(arguments, in: directory, environment: environment).finish(timeout: timeout)
    }
}

/// A command started in the background. Its output goes through a file, so a chatty command
/// never blocks on a full pipe.
final class RunningCommand {
    private let process = Process()
    private let outputURL = FileManager.default.temporaryDirectory
        .appendingPathComponent("docker-e2e-\(UUID().uuidString).log")

    init(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws {
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try output.close()
    }

    /// Waits for the exit (killing the command after `timeout`).
    func finish(timeout: Duration) async -> CommandResult {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let text = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: outputURL)
        let status = process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
        return CommandResult(status: status, output: text)
    }
}
