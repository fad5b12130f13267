// The application as a client sees it: the real HTTPServer on a loopback port, over a real
// SQLite file in a temporary folder (or, with TEST_DATABASE=postgresql, a new database in the
// tests' PostgreSQL cluster), with the template's settings. Black-box helpers to call it.

import App
import Foundation
import HTTPServer
import Logging
import TestSupport
import Web

/// A running backend for tests.
final class AppServer: Sendable {
    let port: Int
    let server: HTTPServer
    let services: AppServices
    let folder: URL
    static let superuserEmail = "admin@example.com"
    static let superuserPassword = "Super-Secret-Pa55word"

    /// One server shared by the tests of this process (argon2 makes users costly to create).
    static let shared = Task { try await AppServer(environment: [:]) }

    /// Starts a server; `environment` overrides the test defaults, and an empty value unsets one
    /// (empty values count as unset, as `Settings.load` reads the process environment).
    init(environment: [String: String]) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("app-tests-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var values = [
            "PROJECT_NAME": "Test Project", "SECRET_KEY": "test-secret-\(UUID())",
            "FIRST_SUPERUSER": Self.superuserEmail, "FIRST_SUPERUSER_PASSWORD": Self.superuserPassword,
            "FASTAPI_ENV": "development", "DATABASE_URL": "sqlite:///" + folder.appendingPathComponent("app.db").path,
            "FRONTEND_HOST": "http://localhost:5173",
            // The tests log in by the hundred at once, on purpose; AbuseResistanceTests sets it low.
            "PASSWORD_HASH_QUEUE_PER_CORE": "10000",
        ]
        if TestPostgres.isSelected {
            values["DATABASE_URL"] = try await TestPostgres.shared.value.newDatabase()
            values["DATABASE_POOL_SIZE"] = "4"
        }
        values.merge(environment) { $1 }
        values = values.filter { !$0.value.isEmpty }
        // APP_TESTS_LOG=1 shows the server's log and access lines, for debugging a test.
        let verbose = ProcessInfo.processInfo.environment["APP_TESTS_LOG"] != nil
        let logger = Logger(level: verbose ? .debug : .critical)
        services = try await AppServices.open(settings: try AppSettings(Settings(values)), logger: logger)
        try await services.prestart()
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.accessLog = verbose
        server = HTTPServer(
            configuration: configuration, responder: BackendApp.make(services: services, logger: logger),
            logger: logger)
        port = try server.start()
    }

    /// Runs `body` against a server of its own (`environment` over the test defaults), stopped afterwards.
    static func with<T>(environment: [String: String], _ body: (AppServer) async throws -> T) async throws -> T {
        let app = try await AppServer(environment: environment)
        do {
            let result = try await body(app)
            await app.stop()
            return result
        } catch {
            await app.stop()
            throw error
        }
    }

    func stop() async {
        server.shutdown(gracePeriod: .seconds(1))
        await server.waitUntilStopped()
        await services.database.close()
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: Requests

    /// Sends one request; `json` is serialised as the body, `form` urlencoded. The blocking
    /// client runs on a thread of its own: blocking Swift's small shared pool could starve the
    /// tasks (a test's own database call, say) that the server is waiting for.
    func call(
        _ method: HTTPMethod, _ path: String, token: String? = nil, json: Any? = nil, form: [String: String]? = nil,
        rawBody: String? = nil, headers: HTTPHeaders = [:]
    ) async throws -> Reply {
        var headers = headers
        var body: [UInt8] = []
        if let token { headers.add("Authorization", "Bearer \(token)") }
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed]))
            headers.add("Content-Type", "application/json")
        } else if let form {
            body = Array(
                form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
                    .joined(separator: "&").utf8)
            headers.add("Content-Type", "application/x-www-form-urlencoded")
        } else if let rawBody {
            body = Array(rawBody.utf8)
        }
        let request = HTTPRequest(method: method, target: path, headers: headers, body: body)
        let port = port
        let response = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result {
                        try BlockingHTTPClient.send(request, host: "127.0.0.1", port: port, timeoutSeconds: 60)
                    })
            }
        }
        return Reply(response)
    }

    /// The answer to a login with `email`/`password`.
    func login(_ email: String, _ password: String, headers: HTTPHeaders) async throws -> Reply {
        try await call(
            .post, "/api/v1/login/access-token", form: ["username": email, "password": password], headers: headers)
    }

    /// An access token for `email`/`password` (asserting the login works).
    func login(_ email: String, _ password: String) async throws -> String {
        let reply = try await call(
            .post, "/api/v1/login/access-token", form: ["username": email, "password": password])
        guard reply.status == 200, let token = reply.object["access_token"] as? String else {
            throw TestFailure("login of \(email) answered \(reply.status) \(reply.text)")
        }
        return token
    }

    /// Sets a new password with a reset token (asserting the contract's answer), then logs in with it.
    @discardableResult func resetPassword(of email: String, token: String, to newPassword: String) async throws
        -> String
    {
        let reply = try await call(
            .post, "/api/v1/reset-password/", json: ["token": token, "new_password": newPassword])
        guard reply.status == 200, reply.object["message"] as? String == "Password updated successfully" else {
            throw TestFailure("reset-password answered \(reply.status) \(reply.text)")
        }
        return try await login(email, newPassword)
    }

    func superuserToken() async throws -> String { try await login(Self.superuserEmail, Self.superuserPassword) }

    /// Signs up a new user with a unique e-mail and logs in.
    func newUser(password: String = "password-1234", fullName: String? = nil) async throws -> TestUser {
        let email = "user-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        var body: [String: Any] = ["email": email, "password": password]
        if let fullName { body["full_name"] = fullName }
        let id = try await call(.post, "/api/v1/users/signup", json: body).requiredID()
        return TestUser(id: id, email: email, password: password, token: try await login(email, password))
    }
}

struct TestUser {
    let id: String
    let email: String
    let password: String
    let token: String
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A response with its body decoded as JSON where it is JSON.
struct Reply {
    let status: Int
    let headers: HTTPHeaders
    let text: String
    let json: Any?

    init(_ response: HTTPResponse) {
        status = response.status.code
        headers = response.headers
        text = String(decoding: response.body, as: UTF8.self)
        json = try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
    }

    var object: [String: Any] { json as? [String: Any] ?? [:] }
    /// `detail` of an error body.
    var detail: String? { object["detail"] as? String }
    /// The first entry of a 422 body's `detail` list.
    var firstIssue: [String: Any] { (object["detail"] as? [[String: Any]])?.first ?? [:] }

    /// Throws unless the status is `expected`: for set-up steps that must work.
    @discardableResult func requireStatus(_ expected: Int) throws -> Reply {
        guard status == expected else { throw TestFailure("expected \(expected), got \(status) \(text)") }
        return self
    }

    /// The `id` of a 200 reply (a created user or item).
    func requiredID() throws -> String {
        guard status == 200, let id = object["id"] as? String else {
            throw TestFailure("expected 200 with an id, got \(status) \(text)")
        }
        return id
    }
}
