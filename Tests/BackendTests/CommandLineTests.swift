// The `backend` executable as users and Docker run it: help, version, settings errors,
// serving, the healthcheck command and a clean exit on SIGTERM.

import Foundation
import HTTPServer
import Testing

@Suite struct CommandLineTests {
    @Test func helpAndVersion() throws {
        let help = try runBackend(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("healthcheck"))
        let version = try runBackend(["--version"])
        #expect(version.status == 0)
        #expect(version.output.hasPrefix("backend "))
    }

    @Test func usageAndSettingsErrorsNameTheProblem() throws {
        let unknown = try runBackend(["frobnicate"])
        #expect(unknown.status == 2)
        #expect(unknown.output.contains("unknown command 'frobnicate'"))
        let badPort = try runBackend(["serve"], environment: ["PORT": "eighty"])
        #expect(badPort.status == 2)
        #expect(badPort.output.contains("PORT: 'eighty'"))
        let badLevel = try runBackend(["serve"], environment: ["LOG_LEVEL": "loud"])
        #expect(badLevel.status == 2)
        #expect(badLevel.output.contains("LOG_LEVEL"))
    }

    @Test func servesHealthAndExitsZeroOnSIGTERM() throws {
        let port = freePort()
        let server = try BackendProcess(["serve", "--port", String(port)])
        let health = try waitForServer(port: port)
        #expect(health.status.code == 200)
        #expect(String(decoding: health.body, as: UTF8.self) == "true")
        #expect(health.headers["content-type"] == "application/json")
        #expect(try runBackend(["healthcheck", "--port", String(port)]).status == 0)
        server.signal(SIGTERM)
        let finished = server.finish()
        #expect(finished.status == 0)
        #expect(finished.output.contains("GET /api/v1/utils/health-check/"))
        let down = try runBackend(["healthcheck", "--port", String(port)])
        #expect(down.status == 1)
        #expect(down.output.contains("unhealthy"))
    }

    @Test func readsPortFromDotEnvButTheEnvironmentWins() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dotenv-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let filePort = freePort()
        try "# settings\nexport PORT=\"\(filePort)\"\nLOG_LEVEL=warning # quiet\n".write(
            to: folder.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let server = try BackendProcess(["serve"], directory: folder)
        #expect(try waitForServer(port: filePort).status.code == 200)
        server.signal(SIGINT)
        let finished = server.finish()
        #expect(finished.status == 0, "\(finished.output)")
        #expect(!finished.output.contains("GET /api"), "LOG_LEVEL=warning from .env hides access lines")
    }
}
