// The Docker end-to-end suite: real engine, real images, real compose projects (each under a
// unique name, ports on 127.0.0.1, removed with their volumes afterwards). Skipped, saying so,
// when no engine answers. One test at a time: each builds and runs containers on a small machine.

import Testing

@Suite(.serialized, .enabled(if: Docker.isAvailable, "no Docker engine answers `docker info`"))
struct DockerE2ETests {
    /// Records an issue with `message` and the project's logs unless `condition` holds; returns it.
    @discardableResult
    func expect(
        _ condition: Bool, _ message: String, logsOf compose: ComposeProject,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async -> Bool {
        if !condition { Issue.record("\(message):\n\(await compose.logs())", sourceLocation: sourceLocation) }
        return condition
    }

    /// Prints a measured duration (measurements are reported, never asserted).
    func report(_ what: String, _ duration: Duration) {
        print("docker-e2e: \(what): \(String(format: "%.1f", duration.seconds)) s")
    }
}
