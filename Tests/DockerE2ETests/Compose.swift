// A Docker Compose project under a unique name, driven through the real `docker` CLI.

import Foundation
import TestSupport

enum Docker {
    /// True when a Docker engine answers `docker info`; the end-to-end tests are skipped otherwise.
    static let isAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["docker", "info"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// `docker inspect --format FORMAT TARGET`, trimmed.
    static func inspect(_ target: String, format: String) async throws -> String {
        try await Shell.run(["docker", "inspect", "--format", format, target]).checked().trimmed
    }

    /// The IDs of compose project `project`'s containers (any state), networks or volumes.
    static func objects(_ kind: ObjectKind, of project: String) async throws -> [String] {
        let list = try await Shell.run(
            ["docker"] + kind.list + ["--filter", "label=com.docker.compose.project=\(project)"]
        ).checked()
        return list.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// Removes what compose project `project` left, without compose (which cannot read a file whose
    /// required variables are missing).
    static func remove(project: String) async {
        for kind in [ObjectKind.containers, .networks, .volumes] {
            guard let ids = try? await objects(kind, of: project), !ids.isEmpty else { continue }
            _ = try? await Shell.run(["docker"] + kind.remove + ids)
        }
    }

    enum ObjectKind {
        case containers, networks, volumes

        var list: [String] {
            switch self {
            case .containers: ["ps", "-aq"]
            case .networks: ["network", "ls", "-q"]
            case .volumes: ["volume", "ls", "-q"]
            }
        }

        var remove: [String] {
            switch self {
            case .containers: ["rm", "-f", "-v"]
            case .networks: ["network", "rm"]
            case .volumes: ["volume", "rm", "-f"]
            }
        }
    }
}

struct ComposeError: Error, CustomStringConvertible {
    let description: String
}

struct ComposeProject {
    let name: String
    let directory: URL
    /// The compose files, layered in this order (`-f` each).
    let files: [String]
    /// Compose's interpolation variables; with `envFile`, the repository's `.env` is not read.
    var variables: [String: String] = [:]
    var envFile: URL?

    init(prefix: String, directory: URL, file: String, variables: [String: String] = [:], envFile: URL? = nil) {
        self.init(prefix: prefix, directory: directory, files: [file], variables: variables, envFile: envFile)
    }

    init(prefix: String, directory: URL, files: [String], variables: [String: String] = [:], envFile: URL? = nil) {
        name = "\(prefix)\(UInt32.random(in: 0...UInt32.max))"
        self.directory = directory
        self.files = files
        self.variables = variables.merging(["COMPOSE_BAKE": "false", "BACKEND_PORT": "0"]) { $1 }
        self.envFile = envFile
    }

    /// `docker compose -p NAME -f FILE... [--env-file F] ARGS...`
    @discardableResult
    func run(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> CommandResult {
        try await Shell.run(command + arguments, in: directory, environment: variables, timeout: timeout)
    }

    private var command: [String] {
        ["docker", "compose", "-p", name] + files.flatMap { ["-f", $0] }
            + (envFile.map { ["--env-file", $0.path] } ?? [])
    }

    /// The host port Docker picked for the backend's port 8000 (published as 127.0.0.1:0:8000).
    func backendPort() async throws -> Int {
        let address = try await run(["port", "backend", "8000"]).checked().trimmed
        guard let port = address.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw ComposeError(description: "`compose port` said '\(address)'")
        }
        return port
    }

    func containerID() async throws -> String {
        try await run(["ps", "-q", "backend"]).checked().trimmed
    }

    /// The logs of `services` (the backend's by default).
    func logs(_ services: [String] = ["backend"]) async -> String {
        (try? await run(["logs", "--no-color"] + services))?.output ?? ""
    }

    /// Runs `body`, then removes the project's containers, networks and volumes, whatever happened.
    func removed(after body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await down()
            throw error
        }
        await down()
    }

    private func down() async {
        _ = try? await run(["down", "-v", "--remove-orphans", "--timeout", "20"])
        await Docker.remove(project: name)
    }
}

extension CommandResult {
    /// The output; throws with the output when the command failed.
    @discardableResult
    func checked() throws -> String {
        guard succeeded else { throw ComposeError(description: "exit status \(status):\n\(output)") }
        return output
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
