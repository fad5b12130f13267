// The app's middleware besides CORS (CORSTests): every answer carries an X-Request-ID (the
// client's when it is sane, else a new one), and large answers are gzipped for clients that
// accept it.

import Foundation
import HTTPServer
import Testing

@Suite struct RequestIDAndGzipTests {
    @Test func aSaneRequestIDIsEchoedAndAnyOtherReplaced() async throws {
        let app = try await AppServer.shared.value
        let health = "/api/v1/utils/health-check/"
        let echoed = try await app.call(.get, health, headers: ["X-Request-ID": "abc-123.x_y"])
        #expect(echoed.headers["x-request-id"] == "abc-123.x_y")
        let replaced = try await app.call(.get, health, headers: ["X-Request-ID": "bad id"])
        let generated = try #require(replaced.headers["x-request-id"])
        #expect(generated != "bad id" && !generated.isEmpty)
        let fresh = try await app.call(.get, health)
        #expect(fresh.headers["x-request-id"] != nil && fresh.headers["x-request-id"] != generated)
        let failed = try await app.call(.get, "/api/v1/users/me")
        #expect(failed.status == 401)
        #expect(failed.headers["x-request-id"] != nil, "errors carry one too")
    }

    @Test func largeAnswersAreGzippedWhenAccepted() async throws {
        let app = try await AppServer.shared.value
        let plain = try await app.call(.get, "/api/v1/openapi.json")
        #expect(plain.headers["content-encoding"] == nil)
        let zipped = try await app.call(.get, "/api/v1/openapi.json", headers: ["Accept-Encoding": "gzip, deflate"])
        #expect(zipped.status == 200)
        #expect(zipped.headers["content-encoding"] == "gzip")
        #expect(zipped.headers["vary"] == "Accept-Encoding")
        let plainLength = try #require(plain.headers["content-length"].flatMap { Int($0) })
        let zippedLength = try #require(zipped.headers["content-length"].flatMap { Int($0) })
        #expect(zippedLength < plainLength / 4, "\(zippedLength) of \(plainLength) bytes")
        let small = try await app.call(.get, "/api/v1/utils/health-check/", headers: ["Accept-Encoding": "gzip"])
        #expect(small.headers["content-encoding"] == nil)
        #expect(small.text == "true")
    }
}
