// A Docker Compose project under a unique name, driven through the real `docker` CLI.

import Foundation

enum Docker {
    /// True when a Docker engine answers `docker info`; the end-to-end tests are skipped otherwise.
    static let isAvailable: Bool =
        (try? Shell.run(["docker", "info", "--format", "{{.ServerVersion}}"], timeout: .seconds(20)))?.succeeded
        ?? false

    /// `docker inspect --format FORMAT TARGET`, trimmed.
    static func inspect(_ target: String, format: String) throws -> String {
        try Shell.run(["docker", "inspect", "--format", format, target]).checked().trimmed
    }
}

struct ComposeError: Error, CustomStringConvertible {
    let description: String
}

struct ComposeProject {
    let name: String
    let directory: URL
    let file: String
    /// Compose's interpolation variables; with `envFile`, the repository's `.env` is not read.
    var variables: [String: String] = [:]
    var envFile: URL?

    init(prefix: String, directory: URL, file: String, variables: [String: String] = [:], envFile: URL? = nil) {
        name = "\(prefix)\(UInt32.random(in: 0...UInt32.max))"
        self.directory = directory
        self.file = file
        self.variables = variables.merging(["COMPOSE_BAKE": "false", "BACKEND_PORT": "0"]) { $1 }
        self.envFile = envFile
    }

    /// `docker compose -p NAME -f FILE [--env-file F] ARGS...`
    @discardableResult
    func run(_ arguments: [String], timeout: Duration = .seconds(120)) throws -> CommandResult {
        var command = ["docker", "compose", "-p", name, "-f", file]
        if let envFile { command += ["--env-file", envFile.path] }
        return try Shell.run(command + arguments, in: directory, environment: variables, timeout: timeout)
    }

    /// The host port Docker picked for the backend's port 8000 (published as 127.0.0.1:0:8000).
    func backendPort() throws -> Int {
        let address = try run(["port", "backend", "8000"]).checked().trimmed
        guard let port = address.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw ComposeError(description: "`compose port` said '\(address)'")
        }
        return port
    }

    func containerID() throws -> String {
        try run(["ps", "-q", "backend"]).checked().trimmed
    }

    func logs() -> String {
        (try? run(["logs", "--no-color", "backend"]))?.output ?? ""
    }

    /// Removes the containers, networks and volumes (and never throws: used in cleanups).
    func down() {
        _ = try? run(["down", "-v", "--remove-orphans", "--timeout", "20"])
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
