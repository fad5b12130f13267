// CORS for one allowed origin (Starlette's CORSMiddleware, as CONTRACT A.6 observed it), the
// request id header, and gzip for large responses.

import CZlib
import HTTPServer
import Testing

@testable import Web

@Suite struct MiddlewareTests {
    let app = makeFixtureApp(middleware: [
        RequestIDMiddleware(), CORSMiddleware(allowedOrigin: "http://localhost:5173"), GZipMiddleware(),
    ])

    @Test func preflightFromTheAllowedOrigin() async {
        let response = await app.send(
            .options, "/api/bodies/",
            headers: [
                "Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            ])
        #expect(response.status.code == 200)
        #expect(response.text == "OK")
        #expect(response.headers["content-type"]?.hasPrefix("text/plain") == true)
        #expect(response.headers["access-control-allow-origin"] == "http://localhost:5173")
        #expect(response.headers["access-control-allow-credentials"] == "true")
        #expect(response.headers["access-control-allow-methods"] == "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT")
        #expect(response.headers["access-control-allow-headers"] == "authorization,content-type")
        #expect(response.headers["access-control-max-age"] == "600")
        #expect(response.headers["vary"] == "Origin")
    }

    @Test func preflightFromAnotherOrigin() async {
        let response = await app.send(
            .options, "/api/bodies/", headers: ["Origin": "http://evil.test", "Access-Control-Request-Method": "GET"])
        #expect(response.status.code == 400)
        #expect(response.text == "Disallowed CORS origin")
        #expect(response.headers["access-control-allow-origin"] == nil)
    }

    @Test func actualRequestsGetCredentialsAndTheOriginOnlyWhenAllowed() async {
        let allowed = await app.send(.get, "/api/misc/ping/", headers: ["Origin": "http://localhost:5173"])
        #expect(allowed.headers["access-control-allow-origin"] == "http://localhost:5173")
        #expect(allowed.headers["access-control-allow-credentials"] == "true")
        #expect(allowed.headers["vary"] == "Origin")
        let other = await app.send(.get, "/api/misc/ping/", headers: ["Origin": "http://evil.test"])
        #expect(other.headers["access-control-allow-origin"] == nil)
        #expect(other.headers["access-control-allow-credentials"] == "true")
        let none = await app.send(.get, "/api/misc/ping/")
        #expect(none.headers["access-control-allow-credentials"] == nil)
        #expect(await app.send(.options, "/api/bodies/").status.code == 405)
    }

    @Test func requestIDIsEchoedWhenSaneElseGenerated() async {
        let echoed = await app.send(.get, "/api/misc/ping/", headers: ["X-Request-ID": "abc-123.x_y"])
        #expect(echoed.headers["x-request-id"] == "abc-123.x_y")
        let replaced = await app.send(.get, "/api/misc/ping/", headers: ["X-Request-ID": "bad id\u{7F}"])
        let generated = replaced.headers["x-request-id"] ?? ""
        #expect(RequestIDMiddleware.isSane(generated))
        let fresh = await app.send(.get, "/api/misc/ping/")
        #expect(fresh.headers["x-request-id"] != generated)
        #expect(fresh.headers["x-request-id"].map(RequestIDMiddleware.isSane) == true)
        let tooLong = String(repeating: "a", count: 129)
        #expect(!RequestIDMiddleware.isSane(tooLong) && !RequestIDMiddleware.isSane(""))
    }

    @Test func largeResponsesAreGzippedWhenAccepted() async throws {
        let plain = await app.send(.get, "/docs")
        #expect(plain.headers["content-encoding"] == nil)
        let zipped = await app.send(.get, "/docs", headers: ["Accept-Encoding": "gzip, deflate"])
        #expect(zipped.headers["content-encoding"] == "gzip")
        #expect(zipped.headers["vary"] == "Accept-Encoding")
        #expect(zipped.body.count < plain.body.count)
        #expect(try gunzip(zipped.body) == plain.body)
        let small = await app.send(.get, "/api/misc/ping/", headers: ["Accept-Encoding": "gzip"])
        #expect(small.headers["content-encoding"] == nil)
        #expect(small.text == "true")
    }

    func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 31, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Boom()
        }
        defer { inflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: 1 << 20)
        let status = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                return inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw Boom() }
        return Array(output[..<Int(stream.total_out)])
    }
}
