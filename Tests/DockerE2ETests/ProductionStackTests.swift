// docker-compose.prod.yml end to end: the image builds, the stack refuses to start without its
// secrets, runs healthy, hardened (no bind mounts, non-root, read-only root), keeps /data across
// `down` and `up`, and `docker stop` lets an in-flight request finish before a clean exit.

import Foundation
import Testing

extension DockerE2ETests {
    static let productionSecrets = """
        PROJECT_NAME=e2e
        SECRET_KEY=e2e-secret-key-not-for-production
        FIRST_SUPERUSER=admin@example.com
        FIRST_SUPERUSER_PASSWORD=e2e-password-not-for-production
        """

    @Test func productionStackRefusesToStartWithoutSecrets() throws {
        let empty = try temporaryFile("")
        defer { try? FileManager.default.removeItem(at: empty) }
        let compose = ComposeProject(
            prefix: "e2eprodcfg", directory: ScratchRepository.original, file: "docker-compose.prod.yml", envFile: empty
        )
        let result = try compose.run(["config", "--quiet"])
        #expect(!result.succeeded)
        #expect(result.output.contains("must be set"), "\(result.output)")
    }

    @Test func productionStackIsHealthyHardenedPersistentAndDrains() throws {
        let secrets = try temporaryFile(Self.productionSecrets)
        defer { try? FileManager.default.removeItem(at: secrets) }
        let compose = ComposeProject(
            prefix: "e2eprod", directory: ScratchRepository.original, file: "docker-compose.prod.yml",
            variables: ["BACKEND_IMAGE": "backend:e2e"], envFile: secrets)
        defer { compose.down() }

        let buildStart = ContinuousClock.now
        try compose.run(["build"], timeout: .seconds(900)).checked()
        report("production image build", ContinuousClock.now - buildStart)
        let size = try Docker.inspect("backend:e2e", format: "{{.Size}}")
        print("docker-e2e: runtime image size: \((Int(size) ?? 0) / 1_000_000) MB")

        try compose.run(["up", "-d"]).checked()
        var id = try compose.containerID()
        try #require(waitUntilHealthy(id), "not healthy:\n\(compose.logs())")
        #expect(HTTPProbe.body(port: try compose.backendPort()) != nil)

        #expect(try Docker.inspect(id, format: "{{range .Mounts}}{{.Type}} {{end}}").trimmed == "volume")
        #expect(try Docker.inspect(id, format: "{{.HostConfig.ReadonlyRootfs}}") == "true")
        #expect(try Docker.inspect(id, format: "{{.HostConfig.CapDrop}}").contains("ALL"))
        #expect(try Docker.inspect(id, format: "{{.HostConfig.SecurityOpt}}").contains("no-new-privileges:true"))
        #expect(try compose.run(["exec", "-T", "backend", "id", "-u"]).checked().trimmed == "10001")
        #expect(!(try compose.run(["exec", "-T", "backend", "touch", "/app/probe"]).succeeded))
        #expect(try compose.run(["exec", "-T", "backend", "test", "-x", "/app/swift-backtrace-static"]).succeeded)

        try compose.run(["exec", "-T", "backend", "sh", "-c", "echo kept > /data/probe"]).checked()
        try compose.run(["down"]).checked()
        try compose.run(["up", "-d"]).checked()
        id = try compose.containerID()
        try #require(waitUntilHealthy(id), "not healthy after down and up:\n\(compose.logs())")
        #expect(try compose.run(["exec", "-T", "backend", "cat", "/data/probe"]).checked().trimmed == "kept")

        let inFlight = try HeldRequest(port: try compose.backendPort())
        usleep(300_000)
        let stopStart = ContinuousClock.now
        let stop = try Shell.start(["docker", "stop", "--time", "15", id])
        sleep(1)
        let response = try inFlight.finish()
        #expect(response.hasPrefix("HTTP/1.1 200"), "the in-flight request got: \(response)")
        try stop.finish(timeout: .seconds(30)).checked()
        report("`docker stop` with a request in flight", ContinuousClock.now - stopStart)
        #expect(try Docker.inspect(id, format: "{{.State.ExitCode}}") == "0", "\(compose.logs())")
    }

    /// Polls the container's health status until "healthy" (within the healthcheck's start period
    /// and first interval).
    private func waitUntilHealthy(_ id: String, timeout: Duration = .seconds(45)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? Docker.inspect(id, format: "{{.State.Health.Status}}")) == "healthy" { return true }
            usleep(500_000)
        }
        return false
    }

    private func temporaryFile(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("docker-e2e-\(UUID().uuidString).env")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
