// The app's /docs, /docs/oauth2-redirect and /redoc (CONTRACT A.1): FastAPI's pages with the
// project's title and the document under API_V1_STR, HEAD as Starlette's plain routes answer it,
// and the DOCS_*_URL settings in the pages. DocsBrowserTests renders /docs in a browser.

import Foundation
import HTTPServer
import Testing

@Suite struct DocsPagesTests {
    @Test func swaggerUIAndReDocPointAtTheAPIsDocument() async throws {
        let app = try await AppServer.shared.value
        let docs = try await app.call(.get, "/docs")
        #expect(docs.status == 200)
        #expect(docs.headers["content-type"] == "text/html; charset=utf-8")
        #expect(docs.text.contains("<title>Test Project - Swagger UI</title>"))
        #expect(docs.text.contains("https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"))
        #expect(docs.text.contains("url: '/api/v1/openapi.json'"))
        #expect(docs.text.contains("oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect'"))
        let redirect = try await app.call(.get, "/docs/oauth2-redirect")
        #expect(redirect.status == 200)
        #expect(redirect.text.contains("swaggerUIRedirectOauth2"))
        let redoc = try await app.call(.get, "/redoc")
        #expect(redoc.headers["content-type"] == "text/html; charset=utf-8")
        #expect(redoc.text.contains("<title>Test Project - ReDoc</title>"))
        #expect(redoc.text.contains(#"<redoc spec-url="/api/v1/openapi.json"></redoc>"#))
        #expect(redoc.text.contains("https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"))
    }

    @Test(arguments: ["/docs", "/docs/oauth2-redirect", "/redoc", "/api/v1/openapi.json"])
    func theDocsAnswerGETAndHEADOnly(path: String) async throws {
        let app = try await AppServer.shared.value
        #expect(try await app.call(.head, path).status == 200)
        let post = try await app.call(.post, path)
        #expect(post.status == 405)
        #expect(post.headers["allow"] == "GET, HEAD")
    }

    @Test func theAssetURLsComeFromTheSettings() async throws {
        let environment = [
            "DOCS_SWAGGER_JS_URL": "/static/swagger.js", "DOCS_SWAGGER_CSS_URL": "/static/swagger.css",
            "DOCS_REDOC_JS_URL": "/static/redoc.js", "DOCS_FAVICON_URL": "/static/favicon.png",
        ]
        try await AppServer.with(environment: environment) { app in
            let docs = try await app.call(.get, "/docs").text
            #expect(docs.contains(#"<script src="/static/swagger.js"></script>"#))
            #expect(docs.contains("/static/swagger.css") && docs.contains("/static/favicon.png"))
            #expect(!docs.contains("cdn.jsdelivr.net"))
            let redoc = try await app.call(.get, "/redoc").text
            #expect(redoc.contains("/static/redoc.js") && redoc.contains("/static/favicon.png"))
            #expect(!redoc.contains("cdn.jsdelivr.net"))
        }
    }
}
