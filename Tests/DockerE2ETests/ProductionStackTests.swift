// docker-compose.prod.yml end to end: the image builds, the stack starts with `up --wait`, runs
// healthy, hardened (no bind mounts, non-root, read-only root), keeps /data across `down` and
// `up`, and `docker stop` lets an in-flight request finish before a clean exit; its healthcheck
// polls every second only while the server starts.

import Foundation
import TestSupport
import Testing

extension DockerE2ETests {
    static let productionSecrets = """
        PROJECT_NAME=e2e
        SECRET_KEY=e2e-secret-key-not-for-production
        FIRST_SUPERUSER=admin@example.com
        FIRST_SUPERUSER_PASSWORD=e2e-password-not-for-production
        """

    /// The image the production tests build and share.
    static let productionImage = "backend:e2e"

    @Test func productionStackIsHealthyHardenedPersistentAndDrains() async throws {
        let secrets = try temporaryFile(Self.productionSecrets)
        defer { try? FileManager.default.removeItem(at: secrets) }
        let compose = ComposeProject(
            prefix: "e2eprod", directory: ScratchRepository.original, file: "docker-compose.prod.yml",
            variables: ["BACKEND_IMAGE": Self.productionImage], envFile: secrets)
        try await compose.removed {
            let buildStart = ContinuousClock.now
            try await compose.run(["build"], timeout: .seconds(900)).checked()
            report("production image build", ContinuousClock.now - buildStart)
            let size = try await Docker.inspect(Self.productionImage, format: "{{.Size}}")
            print("docker-e2e: runtime image size: \((Int(size) ?? 0) / 1_000_000) MB")

            // As the deploy workflow starts it: check-settings runs first and exits 0.
            try await compose.run(["up", "-d", "--wait", "--wait-timeout", "60"]).checked()
            var id = try await compose.containerID()
            guard await expect(await waitUntilHealthy(id), "not healthy", logsOf: compose) else { return }
            #expect(HTTPProbe.body(port: try await compose.backendPort()) != nil)

            #expect(try await Docker.inspect(id, format: "{{range .Mounts}}{{.Type}} {{end}}") == "volume")
            #expect(try await Docker.inspect(id, format: "{{.HostConfig.ReadonlyRootfs}}") == "true")
            #expect(try await Docker.inspect(id, format: "{{.HostConfig.CapDrop}}").contains("ALL"))
            #expect(
                try await Docker.inspect(id, format: "{{.HostConfig.SecurityOpt}}").contains("no-new-privileges:true"))
            #expect(try await compose.run(["exec", "-T", "backend", "id", "-u"]).checked().trimmed == "10001")
            #expect(!(try await compose.run(["exec", "-T", "backend", "touch", "/app/probe"]).succeeded))
            #expect(
                try await compose.run(["exec", "-T", "backend", "test", "-x", "/app/swift-backtrace-static"]).succeeded)

            try await compose.run(["exec", "-T", "backend", "sh", "-c", "echo kept > /data/probe"]).checked()
            try await compose.run(["down"]).checked()
            try await compose.run(["up", "-d"]).checked()
            id = try await compose.containerID()
            guard await expect(await waitUntilHealthy(id), "not healthy after down and up", logsOf: compose) else {
                return
            }
            #expect(try await compose.run(["exec", "-T", "backend", "cat", "/data/probe"]).checked().trimmed == "kept")

            let inFlight = try HeldRequest(port: try await compose.backendPort())
            try await Task.sleep(for: .milliseconds(300))
            let stopStart = ContinuousClock.now
            let stop = try RunningCommand(["docker", "stop", "--time", "15", id])
            try await Task.sleep(for: .seconds(1))
            let response = try inFlight.finish()
            #expect(response.hasPrefix("HTTP/1.1 200"), "the in-flight request got: \(response)")
            try await stop.finish(timeout: .seconds(30)).checked()
            report("`docker stop` with a request in flight", ContinuousClock.now - stopStart)
            let exitCode = try await Docker.inspect(id, format: "{{.State.ExitCode}}")
            await expect(exitCode == "0", "`docker stop`: exit code \(exitCode)", logsOf: compose)
        }
    }

    /// Polls the container's health status until "healthy" (within the healthcheck's start period
    /// and first interval).
    private func waitUntilHealthy(_ id: String, timeout: Duration = .seconds(45)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await Docker.inspect(id, format: "{{.State.Health.Status}}")) == "healthy" { return true }
            try? await Task.sleep(for: .milliseconds(500))
        }
        return false
    }

    func temporaryFile(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("docker-e2e-\(UUID().uuidString).env")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
