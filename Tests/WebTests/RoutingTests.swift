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
