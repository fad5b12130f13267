// How the running app routes the template's paths, as FastAPI/Starlette does (CONTRACT A.1,
// A.2): the health check's body, 307 to the other trailing-slash form with an absolute Location
// (https behind a trusted proxy), 404 and 405 bodies, and HEAD and OPTIONS not added to routes.

import Foundation
import HTTPServer
import Testing

@Suite struct APIRoutingTests {
    let host: HTTPHeaders = ["Host": "api.example.com"]

    @Test func theHealthCheckAnswersJSONTrue() async throws {
        let app = try await AppServer.shared.value
        let reply = try await app.call(.get, "/api/v1/utils/health-check/")
        #expect(reply.status == 200)
        #expect(reply.text == "true")
        #expect(reply.headers["content-type"] == "application/json")
    }

    @Test func aMissingTrailingSlashRedirectsWithTheQuery() async throws {
        let app = try await AppServer.shared.value
        let reply = try await app.call(.get, "/api/v1/items?skip=0&limit=1", headers: host)
        #expect(reply.status == 307)
        #expect(reply.headers["location"] == "http://api.example.com/api/v1/items/?skip=0&limit=1")
        #expect(reply.text.isEmpty)
    }

    /// Every trailing slash is stripped before the other form is tried; for any method.
    @Test func anExtraTrailingSlashRedirects() async throws {
        let app = try await AppServer.shared.value
        let patch = try await app.call(.patch, "/api/v1/users/me/", headers: host)
        #expect(patch.status == 307)
        #expect(patch.headers["location"] == "http://api.example.com/api/v1/users/me")
        let two = try await app.call(.get, "/api/v1/users/me//", headers: host)
        #expect(two.status == 307)
        #expect(two.headers["location"] == "http://api.example.com/api/v1/users/me")
        #expect(try await app.call(.get, "/api/v1/items//").status == 404)
        #expect(try await app.call(.get, "/api/v1/utils/health-check//").status == 404)
    }

    /// The development default FORWARDED_ALLOW_IPS trusts the loopback peer's X-Forwarded-Proto.
    @Test func behindATrustedProxyTheRedirectIsHTTPS() async throws {
        let app = try await AppServer.shared.value
        var headers = host
        headers.add("X-Forwarded-Proto", "https")
        let reply = try await app.call(.get, "/api/v1/items", headers: headers)
        #expect(reply.status == 307)
        #expect(reply.headers["location"] == "https://api.example.com/api/v1/items/")
    }

    @Test func unknownPathsAre404() async throws {
        let app = try await AppServer.shared.value
        let reply = try await app.call(.get, "/api/v1/nothing")
        #expect(reply.status == 404)
        #expect(reply.text == #"{"detail":"Not Found"}"#)
        #expect(try await app.call(.get, "/openapi.json").status == 404, "the document is under API_V1_STR only")
        #expect(try await app.call(.get, "/api/v1//items/").status == 404)
    }

    /// HEAD and OPTIONS (without a CORS preflight's headers) are not added to the API's routes.
    @Test(arguments: [HTTPMethod.post, .delete, .head, .options])
    func anotherMethodOnTheHealthCheckIs405(method: HTTPMethod) async throws {
        let app = try await AppServer.shared.value
        let reply = try await app.call(method, "/api/v1/utils/health-check/")
        #expect(reply.status == 405)
        #expect(reply.headers["allow"] == "GET")
        if method != .head { #expect(reply.text == #"{"detail":"Method Not Allowed"}"#) }
    }
}
