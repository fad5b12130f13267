// docker-compose.yml end to end: `docker compose up` builds and serves a scratch copy of the
// repository with no secrets configured; edits are rebuilt and swapped in while requests keep
// succeeding; a compile error keeps the old server and names the host's paths; the development
// secrets' warnings are logged once, not per reload; `docker compose stop` ends supervisor and
// server cleanly.

import Foundation
import Testing

extension DockerE2ETests {
    @Test func developmentLoopRebuildsAndSwapsWithoutDowntime() async throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        // As a shell started in the repository would set it (docker-compose.yml maps /src/ to it).
        let compose = ComposeProject(
            prefix: "e2edev", directory: repository.root, file: "docker-compose.yml",
            variables: ["PWD": repository.root.path])
        try await compose.removed {
            let start = ContinuousClock.now
            try await compose.run(["up", "-d", "--build", "--wait"], timeout: .seconds(600)).checked()
            let port = try await compose.backendPort()
            let firstAnswer = await HTTPProbe.wait(port: port, timeout: .seconds(600)) { $0 != nil }
            guard await expect(firstAnswer != nil, "the development server never answered", logsOf: compose) else {
                return
            }
            report("cold `docker compose up` to the first 200", ContinuousClock.now - start)

            let id = try await compose.containerID()
            let mounts = try await Docker.inspect(id, format: "{{range .Mounts}}{{.Type}}:{{.Destination}} {{end}}")
            #expect(mounts.contains("bind:/src") && mounts.contains("volume:/build") && mounts.contains("volume:/data"))

            let load = BackgroundLoad(port: port)
            let edited = try repository.toggleHealthBody()
            let firstEdit = await HTTPProbe.wait(port: port, timeout: .seconds(300)) { $0 == edited }
            await expect(firstEdit != nil, "the edited handler was never served", logsOf: compose)
            firstEdit.map { report("edit to new response", $0) }

            try repository.breakSyntax()
            let failed = await waitForLog(compose, "the build failed", timeout: .seconds(300))
            await expect(failed, "no failed build was reported", logsOf: compose)
            let logs = await compose.logs()
            #expect(logs.contains("brokenOnPurpose"), "the compiler's message was not printed")
            let hostSources = repository.root.path + "/packages/backend/Sources/App/"
            #expect(logs.contains(hostSources), "the compiler's paths do not name the host's folder")
            #expect(!logs.contains("/src/packages/"), "a compiler path still names /src")
            #expect(HTTPProbe.body(port: port) == edited, "the old server stopped serving after a compile error")

            let repaired = try repository.toggleHealthBody()
            let repair = await HTTPProbe.wait(port: port, timeout: .seconds(300)) { $0 == repaired }
            await expect(repair != nil, "the repaired handler was never served", logsOf: compose)
            repair.map { report("repair to new response", $0) }
            let counts = await load.stop()
            #expect(counts.sent > 20)
            #expect(counts.failed == 0, "\(counts.failed) of \(counts.sent) requests failed during rebuilds and swaps")

            let warnings = await compose.logs().components(separatedBy: "SECRET_KEY: not set").count - 1
            #expect(warnings == 1, "the development secret warning was logged \(warnings) times, not once")

            try await compose.run(["stop", "--timeout", "15"]).checked()
            let exitCode = try await Docker.inspect(id, format: "{{.State.ExitCode}}")
            await expect(exitCode == "0", "`docker compose stop`: exit code \(exitCode)", logsOf: compose)
            #expect(!FileManager.default.fileExists(atPath: repository.root.appendingPathComponent(".build").path))
        }
    }

    private func waitForLog(_ compose: ComposeProject, _ text: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await compose.logs().contains(text) { return true }
            try? await Task.sleep(for: .seconds(1))
        }
        return false
    }
}
