// Routing as FastAPI/Starlette answers: exact paths, 307 to the other trailing-slash form,
// 405 with the first matching route's method, 404, HEAD not added, literal before parameter.

import HTTPServer
import Testing
import Web

@Suite struct RoutingTests {
    let app = makeTestApp()

    @Test func healthCheckAnswersTrue() async {
        let response = await app.send(.get, "/api/v1/utils/health-check/")
        #expect(response.status.code == 200)
        #expect(response.text == "true")
        #expect(response.headers["content-type"] == "application/json")
    }

    @Test func missingTrailingSlashRedirectsWithAbsoluteLocationAndQuery() async {
        let response = await app.send(.get, "/api/v1/items?skip=0&limit=1")
        #expect(response.status.code == 307)
        #expect(response.headers["location"] == "http://127.0.0.1:8010/api/v1/items/?skip=0&limit=1")
        #expect(response.body.isEmpty)
    }

    @Test func extraTrailingSlashRedirectsForAnyMethod() async {
        let response = await app.send(.patch, "/api/v1/users/me/")
        #expect(response.status.code == 307)
        #expect(response.headers["location"] == "http://127.0.0.1:8010/api/v1/users/me")
    }

    /// Starlette strips every trailing slash before it tries the other form.
    @Test func severalTrailingSlashesAreAllStripped() async {
        let me = await app.send(.get, "/api/v1/users/me//")
        #expect(me.status.code == 307)
        #expect(me.headers["location"] == "http://127.0.0.1:8010/api/v1/users/me")
        #expect(await app.send(.get, "/api/v1/items//").status.code == 404)
        #expect(await app.send(.get, "/api/v1/utils/health-check//").status.code == 404)
    }

    @Test func unknownPathIs404() async {
        let response = await app.send(.get, "/api/v1/nothing")
        #expect(response.status.code == 404)
        #expect(response.text == #"{"detail":"Not Found"}"#)
        #expect(await app.send(.get, "/openapi.json").status.code == 404)
        #expect(await app.send(.get, "/api/v1//items/").status.code == 404)
    }

    @Test func wrongMethodIs405WithTheFirstMatchingRoutesMethod() async {
        let put = await app.send(.put, "/api/v1/users/me")
        #expect(put.status.code == 405)
        #expect(put.text == #"{"detail":"Method Not Allowed"}"#)
        #expect(put.headers["allow"] == "PATCH")
        let post = await app.send(.post, "/api/v1/utils/health-check/")
        #expect(post.headers["allow"] == "GET")
    }

    @Test func headOnAGetRouteIs405() async {
        let response = await app.send(.head, "/api/v1/utils/health-check/")
        #expect(response.status.code == 405)
        #expect(response.headers["allow"] == "GET")
    }

    @Test func optionsWithoutOriginIsRoutedNormally() async {
        #expect(await app.send(.options, "/api/v1/utils/health-check/").status.code == 405)
    }

    @Test func literalSegmentWinsOverParameterDeclaredLater() async {
        let me = await app.send(.get, "/api/v1/users/me", headers: ["Authorization": "Bearer alice"])
        #expect(me.text == #"{"message":"alice"}"#)
        let id = await app.send(
            .get, "/api/v1/users/7d444840-9dc0-11d1-b245-5ffdce74fad2", headers: ["Authorization": "Bearer alice"])
        #expect(id.text == #"{"message":"user 7D444840-9DC0-11D1-B245-5FFDCE74FAD2"}"#)
    }

    @Test func unhandledErrorIs500PlainText() async {
        let response = await app.send(.get, "/api/v1/utils/boom")
        #expect(response.status.code == 500)
        #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(response.text == "Internal Server Error")
        #expect(response.headers["connection"] == "close")
    }

    @Test func manyRoutesStillMatchExactly() async {
        let router = Router()
        for index in 0..<2000 {
            router.root.get("/r\(index)/{id}", name: "r\(index)", Path<Int>("id")) { id in id + index }
        }
        let app = WebApplication(router: router)
        #expect(await app.send(.get, "/r1999/1").text == "2000")
        #expect(await app.send(.get, "/r1999/x").status.code == 422)
        #expect(await app.send(.get, "/r2000/1").status.code == 404)
    }
}

/// The 307's scheme behind a TLS-terminating proxy: `X-Forwarded-Proto` counts only from a
/// trusted peer (FORWARDED_ALLOW_IPS), as uvicorn's proxy headers.
@Suite struct ForwardedProtoTests {
    let app: WebApplication

    init() throws {
        app = WebApplication(router: makeTestRouter(), trustedProxies: try TrustedProxies("10.0.0.0/8, ::1"))
    }

    /// The scheme of the 307's Location for a request from `peer` carrying these `X-Forwarded-Proto` fields.
    func scheme(from peer: String, _ forwardedProtos: String...) async -> Substring? {
        var headers: HTTPHeaders = ["Host": "api.example.com"]
        for proto in forwardedProtos { headers.add("X-Forwarded-Proto", proto) }
        let request = HTTPRequest(method: .get, target: "/api/v1/items?limit=1", headers: headers, remoteAddress: peer)
        let response = await app.respond(to: request)
        #expect(response.status.code == 307)
        let location = response.headers["location"] ?? ""
        #expect(location.hasSuffix("://api.example.com/api/v1/items/?limit=1"), "\(location)")
        return location.split(separator: ":").first
    }

    @Test func aTrustedProxysProtoSetsTheScheme() async {
        #expect(await scheme(from: "10.1.2.3:4567", "https") == "https")
        #expect(await scheme(from: "[::1]:4567", "HTTPS") == "https")
        #expect(await scheme(from: "10.1.2.3:4567", "http") == "http")
        #expect(await scheme(from: "10.1.2.3:4567", "http", "https") == "https", "the last one, as uvicorn")
    }

    @Test func anUntrustedPeersProtoIsIgnored() async {
        for peer in ["11.1.2.3:4567", "127.0.0.1:4567", "[::2]:4567", ""] {
            #expect(await scheme(from: peer, "https") == "http", "\(peer)")
        }
    }

    @Test func withoutTheHeaderOrWithAnUnknownProtoTheSchemeIsHTTP() async {
        #expect(await scheme(from: "10.1.2.3:4567") == "http")
        #expect(await scheme(from: "10.1.2.3:4567", "https, http") == "http")
        #expect(await scheme(from: "10.1.2.3:4567", "ftp") == "http")
    }

    @Test func whichPeersAreTrusted() throws {
        let localhost = TrustedProxies.localhost
        #expect(localhost.trusts("127.0.0.1:80") && localhost.trusts("[::ffff:127.0.0.1]:80"))
        #expect(!localhost.trusts("127.0.0.2:80") && !localhost.trusts("[::1]:80") && !localhost.trusts(""))
        let everyone = try TrustedProxies("*")
        #expect(everyone.trusts("203.0.113.9:80") && everyone.trusts("[2001:db8::1]:80") && everyone.trusts(""))
        let networks = try TrustedProxies(" 172.16.0.0/12 ,fd00::/8,192.0.2.7")
        #expect(networks.trusts("172.31.255.255:1") && !networks.trusts("172.32.0.0:1"))
        #expect(networks.trusts("[fdff::1]:1") && !networks.trusts("[fe00::1]:1"))
        #expect(networks.trusts("192.0.2.7:1") && !networks.trusts("192.0.2.8:1"))
        #expect(try TrustedProxies("0.0.0.0/0").trusts("198.51.100.1:1"))
        #expect(try !TrustedProxies("").trusts("127.0.0.1:1"))
    }
}

@Suite struct FallbackTests {
    let app = WebApplication(
        router: makeTestRouter(),
        fallback: ClosureResponder { request in
            request.path == "/index.html" ? .html("<p>spa</p>") : HTTPError.notFound.response
        })

    @Test func unmatchedPathsGoToTheFallbackAfterRoutesAndRedirects() async {
        #expect(await app.send(.get, "/index.html").text == "<p>spa</p>")
        #expect(await app.send(.get, "/api/v1/utils/health-check").status.code == 307)
        #expect(await app.send(.post, "/api/v1/utils/health-check/").status.code == 405)
        #expect(await app.send(.get, "/other").text == #"{"detail":"Not Found"}"#)
    }
}

@Suite struct DeclarationTests {
    @Test func aPathInputWithoutItsTemplateParameterStopsAtDeclaration() async {
        await #expect(processExitsWith: .failure) {
            Router().root.get("/items/{id}", name: "read_item", Path<Int>("item_id")) { id in id }
        }
    }
}
