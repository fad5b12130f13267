// Runs a command line (docker, python3, chromium) to completion, or in the background while a
// test runs: its status and everything it printed. Waiting suspends (never blocks a thread of
// the test runner's cooperative pool, which the other suites' timing-sensitive tests share).

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

public struct CommandResult: Sendable {
    public let status: Int32
    public let output: String

    public var succeeded: Bool { status == 0 }
}

public enum Shell {
    /// Runs `arguments` (the first is looked up on PATH) in `directory` with `environment` added to
    /// ours; the command is killed after `timeout`.
    @discardableResult
    public static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(120)
    ) async throws -> CommandResult {
        try await RunningCommand(arguments, in: directory, environment: environment).finish(timeout: timeout)
    }
}

/// A command started in the background. Its output goes through a file, so a chatty command
/// never blocks on a full pipe.
public final class RunningCommand {
    private let process = Process()
    private let outputURL = FileManager.default.temporaryDirectory
        .appendingPathComponent("command-\(UUID().uuidString).log")

    public init(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws {
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try Self.withNoSignalBlocked { try process.run() }
        try output.close()
    }

    /// Runs `body` (which spawns) with no signal blocked on this thread: a child inherits the
    /// mask, and the test pool's threads block nearly every signal, so python3 would never see
    /// the SIGTERM that stops it.
    private static func withNoSignalBlocked(_ body: () throws -> Void) throws {
        var none = sigset_t()
        var previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try body()
    }

    /// What it has printed so far.
    public var outputSoFar: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }

    /// Waits for the exit (killing the command after `timeout`; `.zero` stops it now).
    public func finish(timeout: Duration) async -> CommandResult {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let text = outputSoFar
        try? FileManager.default.removeItem(at: outputURL)
        let status = process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
        return CommandResult(status: status, output: text)
    }
}
