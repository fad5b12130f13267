// Routing as FastAPI/Starlette answers: exact paths, 307 to the other trailing-slash form,
// 405 with the first matching route's method, 404, HEAD not added, literal before parameter.

import HTTPServer
import Testing
import Web

@Suite struct RoutingTests {
    let app = makeFixtureApp()

    @Test func aBooleanRouteAnswersJSONTrue() async {
        let response = await app.send(.get, "/api/misc/ping/")
        #expect(response.status.code == 200)
        #expect(response.text == "true")
        #expect(response.headers["content-type"] == "application/json")
    }

    @Test func missingTrailingSlashRedirectsWithAbsoluteLocationAndQuery() async {
        let response = await app.send(.get, "/api/bodies?skip=0&limit=1")
        #expect(response.status.code == 307)
        #expect(response.headers["location"] == "http://127.0.0.1:8010/api/bodies/?skip=0&limit=1")
        #expect(response.body.isEmpty)
    }

    @Test func extraTrailingSlashRedirectsForAnyMethod() async {
        let response = await app.send(.patch, "/api/callers/me/")
        #expect(response.status.code == 307)
        #expect(response.headers["location"] == "http://127.0.0.1:8010/api/callers/me")
    }

    /// Starlette strips every trailing slash before it tries the other form.
    @Test func severalTrailingSlashesAreAllStripped() async {
        let me = await app.send(.get, "/api/callers/me//")
        #expect(me.status.code == 307)
        #expect(me.headers["location"] == "http://127.0.0.1:8010/api/callers/me")
        #expect(await app.send(.get, "/api/bodies//").status.code == 404)
        #expect(await app.send(.get, "/api/misc/ping//").status.code == 404)
    }

    @Test func unknownPathIs404() async {
        let response = await app.send(.get, "/api/nothing")
        #expect(response.status.code == 404)
        #expect(response.text == #"{"detail":"Not Found"}"#)
        #expect(await app.send(.get, "/openapi.json").status.code == 404, "the document is at its configured URL only")
        #expect(await app.send(.get, "/api//bodies/").status.code == 404)
    }

    @Test func wrongMethodIs405WithTheFirstMatchingRoutesMethod() async {
        let put = await app.send(.put, "/api/callers/me")
        #expect(put.status.code == 405)
        #expect(put.text == #"{"detail":"Method Not Allowed"}"#)
        #expect(put.headers["allow"] == "PATCH")
        let post = await app.send(.post, "/api/misc/ping/")
        #expect(post.headers["allow"] == "GET")
    }

    @Test func headOnAGetRouteIs405() async {
        let response = await app.send(.head, "/api/misc/ping/")
        #expect(response.status.code == 405)
        #expect(response.headers["allow"] == "GET")
    }

    @Test func optionsWithoutOriginIsRoutedNormally() async {
        #expect(await app.send(.options, "/api/misc/ping/").status.code == 405)
    }

    @Test func literalSegmentWinsOverParameterDeclaredLater() async {
        let me = await app.send(.get, "/api/callers/me", headers: ["Authorization": "Bearer alice"])
        #expect(me.text == #"{"echo":"alice"}"#)
        let id = await app.send(
            .get, "/api/callers/7d444840-9dc0-11d1-b245-5ffdce74fad2", headers: ["Authorization": "Bearer alice"])
        #expect(id.text == #"{"echo":"caller 7D444840-9DC0-11D1-B245-5FFDCE74FAD2"}"#)
    }

    @Test func anHTMLAnswerWithItsHeadersAndAStringPathParameter() async {
        let page = await app.send(
            .post, "/api/misc/pages/caf%C3%A9%20au%20lait", headers: ["Authorization": "Bearer admin"])
        #expect(page.status.code == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.headers["x-page"] == "café au lait")
        #expect(page.text == "<p>café au lait</p>")
        let notAdmin = await app.send(.post, "/api/misc/pages/x", headers: ["Authorization": "Bearer alice"])
        #expect(notAdmin.status.code == 403)
        #expect(notAdmin.text == #"{"detail":"Admins only"}"#)
    }

    @Test func unhandledErrorIs500PlainText() async {
        let response = await app.send(.get, "/api/misc/boom")
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
        app = WebApplication(router: makeFixtureRouter(), trustedProxies: try TrustedProxies("10.0.0.0/8, ::1"))
    }

    /// The scheme of the 307's Location for a request from `peer` carrying these `X-Forwarded-Proto` fields.
    func scheme(from peer: String, _ forwardedProtos: String...) async -> Substring? {
        var headers: HTTPHeaders = ["Host": "api.example.com"]
        for proto in forwardedProtos { headers.add("X-Forwarded-Proto", proto) }
        let request = HTTPRequest(method: .get, target: "/api/bodies?limit=1", headers: headers, remoteAddress: peer)
        let response = await app.respond(to: request)
        #expect(response.status.code == 307)
        let location = response.headers["location"] ?? ""
        #expect(location.hasSuffix("://api.example.com/api/bodies/?limit=1"), "\(location)")
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
        router: makeFixtureRouter(),
        fallback: ClosureResponder { request in
            request.path == "/index.html" ? .html("<p>spa</p>") : HTTPError.notFound.response
        })

    @Test func unmatchedPathsGoToTheFallbackAfterRoutesAndRedirects() async {
        #expect(await app.send(.get, "/index.html").text == "<p>spa</p>")
        #expect(await app.send(.get, "/api/misc/ping").status.code == 307)
        #expect(await app.send(.post, "/api/misc/ping/").status.code == 405)
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
