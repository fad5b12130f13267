// The web layer behind the real HTTPServer on a loopback socket: the app, the redirect's
// Location built from the Host header (and a trusted peer's X-Forwarded-Proto), 405 and 422
// over the wire.

import HTTPServer
import Logging
import Testing
import Web

@Suite struct LoopbackTests {
    func withServer(_ app: WebApplication, _ body: (Int) throws -> Void) async throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.eventLoops = 1
        configuration.accessLog = false
        let server = HTTPServer(configuration: configuration, responder: app, logger: Logger(level: .critical))
        let port = try server.start()
        defer { server.shutdown() }
        try body(port)
        server.shutdown()
        await server.waitUntilStopped()
    }

    func send(_ port: Int, _ method: HTTPMethod, _ target: String, headers: HTTPHeaders = [:], body: String = "")
        throws -> HTTPResponse
    {
        try BlockingHTTPClient.send(
            HTTPRequest(method: method, target: target, headers: headers, body: Array(body.utf8)), host: "127.0.0.1",
            port: port)
    }

    @Test func forwardedProtoCountsFromTheLoopbackPeerOnlyWhenItIsTrusted() async throws {
        let headers: HTTPHeaders = ["Host": "api.example.com", "X-Forwarded-Proto": "https"]
        try await withServer(makeFixtureApp()) { port in
            let trusted = try send(port, .get, "/api/bodies", headers: headers)
            #expect(trusted.status.code == 307)
            #expect(trusted.headers["location"] == "https://api.example.com/api/bodies/")
        }
        let untrusting = WebApplication(router: makeFixtureRouter(), trustedProxies: try TrustedProxies("10.0.0.0/8"))
        try await withServer(untrusting) { port in
            let untrusted = try send(port, .get, "/api/bodies", headers: headers)
            #expect(untrusted.headers["location"] == "http://api.example.com/api/bodies/")
        }
    }

    @Test func validationAndMethodErrorsOverTheWire() async throws {
        try await withServer(makeFixtureApp()) { port in
            let invalid = try send(
                port, .post, "/api/bodies/",
                headers: ["Content-Type": "application/json", "Authorization": "Bearer a"], body: #"{"title": }"#)
            #expect(invalid.status.code == 422)
            #expect(invalid.text.contains(#""loc":["body",10]"#))
            let wrong = try send(port, .delete, "/api/misc/ping/")
            #expect(wrong.status.code == 405)
            #expect(wrong.headers["allow"] == "GET")
            let crash = try send(port, .get, "/api/misc/boom")
            #expect(crash.status.code == 500)
            #expect(crash.text == "Internal Server Error")
        }
    }
}
