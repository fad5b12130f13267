// docker-compose.yml end to end: `docker compose up` builds and serves a scratch copy of the
// repository; edits are rebuilt and swapped in while requests keep succeeding; a compile error
// keeps the old server; `docker compose stop` ends supervisor and server cleanly.

import Foundation
import Testing

extension DockerE2ETests {
    @Test func developmentLoopRebuildsAndSwapsWithoutDowntime() async throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        let compose = ComposeProject(prefix: "e2edev", directory: repository.root, file: "docker-compose.yml")
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
            #expect(await compose.logs().contains("brokenOnPurpose"), "the compiler's message was not printed")
            #expect(HTTPProbe.body(port: port) == edited, "the old server stopped serving after a compile error")

            let repaired = try repository.toggleHealthBody()
            let repair = await HTTPProbe.wait(port: port, timeout: .seconds(300)) { $0 == repaired }
            await expect(repair != nil, "the repaired handler was never served", logsOf: compose)
            repair.map { report("repair to new response", $0) }
            let counts = await load.stop()
            #expect(counts.sent > 20)
            #expect(counts.failed == 0, "\(counts.failed) of \(counts.sent) requests failed during rebuilds and swaps")

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
