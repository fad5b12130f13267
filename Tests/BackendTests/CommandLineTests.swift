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
        let badProxies = try runBackend(["serve"], environment: ["FORWARDED_ALLOW_IPS": "proxy.internal"])
        #expect(badProxies.status == 2)
        #expect(badProxies.output.contains("FORWARDED_ALLOW_IPS: 'proxy.internal' is not an IP address"))
    }

    /// `backend openapi` declares the routes without a database: it works in a read-only folder
    /// with DATABASE_URL naming a place that cannot exist, and creates nothing.
    @Test func openapiNeedsNoDatabase() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
            try? FileManager.default.removeItem(at: folder)
        }
        let run = try BackendProcess(
            ["openapi"], environment: ["DATABASE_URL": "sqlite:////nonexistent/dir/app.db"], directory: folder
        ).finish()
        #expect(run.status == 0)
        let line = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("{") })  // warnings aside
        let document = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect((document?["paths"] as? [String: Any])?["/api/v1/items/"] != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent"))
    }

    @Test func servesHealthAndExitsZeroOnSIGTERM() throws {
        let port = freePort()
        let server = try BackendProcess(["serve", "--port", String(port)])
        let health = try waitForServer(port: port)
        #expect(health.status.code == 200)
        #expect(String(decoding: health.body, as: UTF8.self) == "true")
        #expect(health.headers["content-type"] == "application/json")
        #expect(try runBackend(["healthcheck", "--port", String(port)]).status == 0)
        // The test runs on 127.0.0.1, trusted by default (FORWARDED_ALLOW_IPS), as a local proxy.
        let redirect = try BlockingHTTPClient.send(
            HTTPRequest(
                method: .get, target: "/api/v1/utils/health-check",
                headers: ["Host": "api.example.com", "X-Forwarded-Proto": "https"]),
            host: "127.0.0.1", port: port)
        #expect(redirect.headers["location"] == "https://api.example.com/api/v1/utils/health-check/")
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

    @Test func refusesChangethisSecretsOutsideDevelopmentNamingEachOnOneLine() throws {
        let refused = try runBackend(
            ["serve"], environment: ["SECRET_KEY": "changethis", "FIRST_SUPERUSER_PASSWORD": "changethis"])
        #expect(refused.status == 2)
        let line = refused.output.split(separator: "\n").first { $0.contains("SECRET_KEY") } ?? ""
        #expect(line.contains("SECRET_KEY: the value \"changethis\" is not safe"), "\(refused.output)")
        #expect(line.contains("FIRST_SUPERUSER_PASSWORD: the value \"changethis\" is not safe"), "\(refused.output)")
        let missing = try runBackend(["prestart"], environment: ["PROJECT_NAME": ""])
        #expect(missing.status == 2)
        #expect(missing.output.contains("PROJECT_NAME: is required but not set"))
    }

    @Test func checkSettingsNamesEveryProblemOnOneLineWithoutTouchingTheDatabase() throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID()).db").path
        let usable = try runBackend(["check-settings"], environment: ["DATABASE_URL": "sqlite:///" + database])
        #expect(usable.status == 0, "\(usable.output)")
        #expect(!FileManager.default.fileExists(atPath: database))
        let refused = try runBackend(
            ["check-settings"],
            environment: ["PORT": "eighty", "SECRET_KEY": "", "FIRST_SUPERUSER_PASSWORD": "changethis"])
        #expect(refused.status == 2)
        #expect(
            refused.output.trimmingCharacters(in: .whitespacesAndNewlines)
                == "error: PORT: 'eighty' is not an integer; SECRET_KEY: is required but not set; "
                + "FIRST_SUPERUSER_PASSWORD: the value \"changethis\" is not safe, change it, at least for deployments")
    }

    @Test func acknowledgedWritesSurviveKill9() throws {
        let port = freePort()
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("kill9-\(UUID()).db").path
        let environment = ["DATABASE_URL": "sqlite:///" + database, "LOG_LEVEL": "warning"]
        let first = try BackendProcess(["serve", "--port", String(port)], environment: environment)
        _ = try waitForServer(port: port)
        let token = try accessToken(port: port)
        var acknowledged: [String] = []
        for index in 0..<50 {
            let title = "durable-\(index)"
            let reply = try BlockingHTTPClient.send(
                HTTPRequest(
                    method: .post, target: "/api/v1/items/",
                    headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                    body: Array(#"{"title":"\#(title)"}"#.utf8)), host: "127.0.0.1", port: port)
            if reply.status.code == 200 { acknowledged.append(title) }
        }
        first.signal(SIGKILL)
        _ = first.finish()
        #expect(acknowledged.count == 50)

        let second = try BackendProcess(["serve", "--port", String(port)], environment: environment)
        _ = try waitForServer(port: port)
        let list = try BlockingHTTPClient.send(
            HTTPRequest(
                method: .get, target: "/api/v1/items/?limit=1000", headers: ["Authorization": "Bearer \(token)"]),
            host: "127.0.0.1", port: port)
        let text = String(decoding: list.body, as: UTF8.self)
        for title in acknowledged { #expect(text.contains("\"\(title)\"")) }
        second.signal(SIGTERM)
        #expect(second.finish().status == 0)
    }

    private func accessToken(port: Int) throws -> String {
        let form = "username=\(testSettings["FIRST_SUPERUSER"]!)&password=\(testSettings["FIRST_SUPERUSER_PASSWORD"]!)"
        let reply = try BlockingHTTPClient.send(
            HTTPRequest(
                method: .post, target: "/api/v1/login/access-token",
                headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Array(form.utf8)),
            host: "127.0.0.1", port: port, timeoutSeconds: 60)
        let json = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
        guard let token = json?["access_token"] as? String else {
            throw CocoaError(.coderReadCorrupt, userInfo: ["body": String(decoding: reply.body, as: UTF8.self)])
        }
        return token
    }
}
