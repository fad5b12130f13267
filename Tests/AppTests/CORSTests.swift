// CORS of the running app (CONTRACT A.6): FRONTEND_HOST is the one allowed origin, matched
// exactly, with credentials. Preflights are answered before routing and authentication; other
// requests get the headers on whatever the route answers, errors included. BACKEND_CORS_ORIGINS
// belongs to the template's 0.10 and earlier: it is not read, an origin listed there is refused.

import Foundation
import HTTPServer
import Testing

@Suite struct CORSTests {
    static let frontend = "https://dashboard.example.com"
    static let server = Task {
        try await AppServer(environment: [
            "FRONTEND_HOST": frontend, "BACKEND_CORS_ORIGINS": "https://legacy.example.com",
        ])
    }

    /// Origins that differ from FRONTEND_HOST, some only slightly: each is refused.
    static let otherOrigins = [
        "https://evil.example.com", "https://legacy.example.com", "http://localhost:5173",
        "https://dashboard.example.com/", "HTTPS://DASHBOARD.EXAMPLE.COM", "http://dashboard.example.com",
        "https://dashboard.example.com:443", "null",
    ]

    func preflight(
        _ path: String, origin: String = frontend, method: String = "POST",
        requestHeaders: String = "authorization,content-type"
    ) async throws -> Reply {
        try await Self.server.value.call(
            .options, path,
            headers: [
                "Origin": origin, "Access-Control-Request-Method": method,
                "Access-Control-Request-Headers": requestHeaders,
            ])
    }

    /// What every preflight answer carries, allowed or not.
    func expectPreflightHeaders(_ reply: Reply, requestHeaders: String = "authorization,content-type") {
        #expect(reply.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(reply.headers["access-control-allow-credentials"] == "true")
        #expect(reply.headers["access-control-allow-methods"] == "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT")
        #expect(reply.headers["access-control-allow-headers"] == requestHeaders, "the requested headers, echoed")
        #expect(reply.headers["access-control-max-age"] == "600")
        #expect(reply.headers["vary"] == "Origin")
    }

    /// Any route, or none: the preflight needs no token and never reaches the router.
    @Test(arguments: [
        ("/api/v1/items/", "POST"), ("/api/v1/users/me", "PATCH"), ("/api/v1/items/\(UUID())", "DELETE"),
        ("/api/v1/login/access-token", "POST"), ("/api/v1/no-such-route", "GET"),
    ])
    func preflightFromTheFrontendIsAllowed(path: String, method: String) async throws {
        let reply = try await preflight(path, method: method, requestHeaders: "Authorization, Content-Type, X-Custom")
        #expect(reply.status == 200)
        #expect(reply.text == "OK")
        #expect(reply.headers["access-control-allow-origin"] == Self.frontend)
        expectPreflightHeaders(reply, requestHeaders: "Authorization, Content-Type, X-Custom")
    }

    @Test(arguments: otherOrigins)
    func preflightFromAnotherOriginIsRefused(origin: String) async throws {
        let reply = try await preflight("/api/v1/items/", origin: origin)
        #expect(reply.status == 400)
        #expect(reply.text == "Disallowed CORS origin")
        #expect(reply.headers["access-control-allow-origin"] == nil)
        expectPreflightHeaders(reply)
    }

    /// `allow_methods=["*"]` is Starlette's seven methods, compared exactly (a browser sends `patch` as written).
    @Test(arguments: ["TRACE", "patch", "PURGE"])
    func preflightForAnotherMethodIsRefused(method: String) async throws {
        let reply = try await preflight("/api/v1/items/", method: method)
        #expect(reply.status == 400)
        #expect(reply.text == "Disallowed CORS method")
        #expect(reply.headers["access-control-allow-origin"] == Self.frontend)
        expectPreflightHeaders(reply)
        let both = try await preflight("/api/v1/items/", origin: "https://evil.example.com", method: method)
        #expect(both.text == "Disallowed CORS origin, method")
    }

    @Test func requestsFromTheFrontendGetTheOriginOnSuccessesAndErrors() async throws {
        let app = try await Self.server.value
        let token = try await app.superuserToken()
        let origin: HTTPHeaders = ["Origin": Self.frontend]
        let replies = [
            try await app.call(.get, "/api/v1/utils/health-check/", headers: origin),
            try await app.call(.get, "/api/v1/users/me", token: token, headers: origin),
            try await app.call(.get, "/api/v1/users/me", headers: origin),
            try await app.call(.post, "/api/v1/items/", token: token, json: ["title": ""], headers: origin),
            try await app.call(.get, "/api/v1/no-such-route", headers: origin),
        ]
        #expect(replies.map(\.status) == [200, 200, 401, 422, 404])
        for reply in replies {
            #expect(reply.headers["access-control-allow-origin"] == Self.frontend)
            #expect(reply.headers["access-control-allow-credentials"] == "true")
            #expect(reply.headers["vary"] == "Origin")
        }
    }

    @Test(arguments: otherOrigins)
    func requestsFromAnotherOriginGetOnlyCredentials(origin: String) async throws {
        let reply = try await Self.server.value.call(.get, "/api/v1/utils/health-check/", headers: ["Origin": origin])
        #expect(reply.status == 200)
        #expect(reply.headers["access-control-allow-credentials"] == "true")
        #expect(reply.headers["access-control-allow-origin"] == nil)
        #expect(reply.headers["vary"] == nil)
    }

    @Test func withoutOriginOrRequestedMethodNothingIsAPreflight() async throws {
        let app = try await Self.server.value
        let plain = try await app.call(.get, "/api/v1/utils/health-check/")
        #expect(plain.headers["access-control-allow-credentials"] == nil)
        let noOrigin = try await app.call(
            .options, "/api/v1/items/", headers: ["Access-Control-Request-Method": "POST"])
        #expect(noOrigin.status == 405)
        #expect(noOrigin.detail == "Method Not Allowed")
        #expect(noOrigin.headers["access-control-allow-origin"] == nil)
        let noMethod = try await app.call(.options, "/api/v1/items/", headers: ["Origin": Self.frontend])
        #expect(noMethod.status == 405, "routed as an actual request")
        #expect(noMethod.headers["access-control-allow-origin"] == Self.frontend)
    }

    /// Without FRONTEND_HOST the template's default, the Vite dev server, is the allowed origin.
    @Test func theDefaultFrontendIsViteOnLocalhost() async throws {
        try await AppServer.with(environment: ["FRONTEND_HOST": ""]) { app in
            let allowed = try await app.call(
                .options, "/api/v1/items/",
                headers: ["Origin": "http://localhost:5173", "Access-Control-Request-Method": "GET"])
            #expect(allowed.status == 200)
            #expect(allowed.headers["access-control-allow-origin"] == "http://localhost:5173")
            let refused = try await app.call(
                .options, "/api/v1/items/",
                headers: ["Origin": Self.frontend, "Access-Control-Request-Method": "GET"])
            #expect(refused.status == 400)
        }
    }
}
