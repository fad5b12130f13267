// `backend healthcheck` against a real server on a loopback port: it says who it is, so the
// server can log the container's health checks apart from real traffic.

import HTTPServer
import Synchronization
import Testing

@Suite struct HealthcheckTests {
    @Test func sendsItsOwnUserAgent() throws {
        let recorder = UserAgentRecorder()
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.accessLog = false
        let server = HTTPServer(configuration: configuration, responder: recorder)
        let port = try server.start()
        defer { server.shutdown() }
        let result = try runBackend(["healthcheck", "--port", String(port)])
        #expect(result.status == 0, "\(result.output)")
        #expect(recorder.userAgents == ["backend-healthcheck"])
    }
}

/// Answers 200 and records each request's User-Agent.
private final class UserAgentRecorder: HTTPResponder, Sendable {
    private let seen = Mutex<[String]>([])

    var userAgents: [String] { seen.withLock { $0 } }

    func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        seen.withLock { $0.append(request.headers["user-agent"] ?? "") }
        return .plainText(.ok, "true")
    }
}
