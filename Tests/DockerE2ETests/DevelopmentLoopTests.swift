// docker-compose.yml end to end: `docker compose up` builds and serves a scratch copy of the
// repository; edits are rebuilt and swapped in while requests keep succeeding; a compile error
// keeps the old server; `docker compose stop` ends supervisor and server cleanly.

import Foundation
import Testing

extension DockerE2ETests {
    @Test func developmentLoopRebuildsAndSwapsWithoutDowntime() throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        let compose = ComposeProject(prefix: "e2edev", directory: repository.root, file: "docker-compose.yml")
        defer { compose.down() }

        let start = ContinuousClock.now
        try compose.run(["up", "-d", "--build", "--wait"], timeout: .seconds(600)).checked()
        let port = try compose.backendPort()
        let firstAnswer = HTTPProbe.wait(port: port, timeout: .seconds(600)) { $0 != nil }
        try #require(firstAnswer != nil, "the development server never answered:\n\(compose.logs())")
        report("cold `docker compose up` to the first 200", ContinuousClock.now - start)

        let id = try compose.containerID()
        let mounts = try Docker.inspect(id, format: "{{range .Mounts}}{{.Type}}:{{.Destination}} {{end}}")
        #expect(mounts.contains("bind:/src") && mounts.contains("volume:/build") && mounts.contains("volume:/data"))

        let load = BackgroundLoad(port: port)
        let edited = try repository.toggleHealthBody()
        let firstEdit = HTTPProbe.wait(port: port, timeout: .seconds(300)) { $0 == edited }
        #expect(firstEdit != nil, "the edited handler was never served:\n\(compose.logs())")
        firstEdit.map { report("edit to new response", $0) }

        try repository.breakSyntax()
        let failed = waitForLog(compose, "the build failed", timeout: .seconds(300))
        #expect(failed, "no failed build was reported:\n\(compose.logs())")
        #expect(compose.logs().contains("brokenOnPurpose"), "the compiler's message was not printed")
        #expect(HTTPProbe.body(port: port) == edited, "the old server stopped serving after a compile error")

        let repaired = try repository.toggleHealthBody()
        let repair = HTTPProbe.wait(port: port, timeout: .seconds(300)) { $0 == repaired }
        #expect(repair != nil, "the repaired handler was never served:\n\(compose.logs())")
        repair.map { report("repair to new response", $0) }
        let counts = load.stop()
        #expect(counts.sent > 20)
        #expect(counts.failed == 0, "\(counts.failed) of \(counts.sent) requests failed during rebuilds and swaps")

        try compose.run(["stop", "--timeout", "15"]).checked()
        #expect(try Docker.inspect(id, format: "{{.State.ExitCode}}") == "0", "\(compose.logs())")
        #expect(!FileManager.default.fileExists(atPath: repository.root.appendingPathComponent(".build").path))
    }

    private func waitForLog(_ compose: ComposeProject, _ text: String, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if compose.logs().contains(text) { return true }
            sleep(1)
        }
        return false
    }
}
