// The generated OpenAPI document: FastAPI's shapes (checked against fragments of the
// template's reference document), the docs pages, and openapi-spec-validator's verdict.

import Foundation
import HTTPServer
import JSON
import Testing
import Web

@Suite struct OpenAPITests {
    let app = makeTestApp()

    func document() async throws -> JSONObject {
        let response = await app.send(.get, "/api/v1/openapi.json")
        #expect(response.status.code == 200)
        #expect(response.headers["content-type"] == "application/json")
        guard case .object(let object) = try JSONValue.parse(response.text) else { throw Boom() }
        return object
    }

    func path(_ keys: String..., in object: JSONObject) -> JSONValue? {
        var value: JSONValue = .object(object)
        for key in keys {
            guard case .object(let inner) = value, let next = inner[key] else { return nil }
            value = next
        }
        return value
    }

    @Test func topLevelAndSecurityScheme() async throws {
        let document = try await document()
        #expect(document.members.map(\.key) == ["openapi", "info", "paths", "components"])
        #expect(document["openapi"] == "3.1.0")
        #expect(document["info"] == ["title": "Full Stack FastAPI Project", "version": "0.1.0"])
        #expect(
            path("components", "securitySchemes", in: document)
                == [
                    "OAuth2PasswordBearer": [
                        "type": "oauth2",
                        "flows": ["password": ["scopes": [:], "tokenUrl": "/api/v1/login/access-token"]],
                    ]
                ])
        #expect(path("paths", "/api/v1/openapi.json", in: document) == nil)
    }

    @Test func healthCheckOperation() async throws {
        let operation = path("paths", "/api/v1/utils/health-check/", "get", in: try await document())
        #expect(
            operation?.serialized
                == ##"{"tags":["utils"],"summary":"Health Check","operationId":"utils-health_check","responses":{"200":{"description":"Successful Response","content":{"application/json":{"schema":{"type":"boolean","title":"Response Utils-Health Check"}}}}}}"##
        )
    }

    @Test func readItemsOperationWithSecurityParametersAnd422() async throws {
        let operation = path("paths", "/api/v1/items/", "get", in: try await document())
        #expect(
            operation?.serialized
                == ##"{"tags":["items"],"summary":"Read Items","description":"Retrieve items.","operationId":"items-read_items","security":[{"OAuth2PasswordBearer":[]}],"parameters":[{"name":"skip","in":"query","required":false,"schema":{"type":"integer","default":0,"title":"Skip"}},{"name":"limit","in":"query","required":false,"schema":{"type":"integer","default":100,"title":"Limit"}}],"responses":{"200":{"description":"Successful Response","content":{"application/json":{"schema":{"$ref":"#/components/schemas/ItemsPublic"}}}},"422":{"description":"Validation Error","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HTTPValidationError"}}}}}}"##
        )
    }

    @Test func pathParameterBodyAndStatusCode() async throws {
        let document = try await document()
        #expect(
            path("paths", "/api/v1/items/{id}", "put", "parameters", in: document)?.serialized
                == ##"[{"name":"id","in":"path","required":true,"schema":{"type":"string","format":"uuid","title":"Id"}}]"##
        )
        #expect(
            path("paths", "/api/v1/items/{id}", "put", "requestBody", in: document)?.serialized
                == ##"{"required":true,"content":{"application/json":{"schema":{"$ref":"#/components/schemas/ItemUpdate"}}}}"##
        )
        #expect(path("paths", "/api/v1/utils/test-email/", "post", "responses", "201", in: document) != nil)
        #expect(
            path("paths", "/api/v1/utils/test-email/", "post", "parameters", in: document)?.serialized
                == ##"[{"name":"email_to","in":"query","required":true,"schema":{"type":"string","format":"email","title":"Email To"}}]"##
        )
    }

    @Test func componentSchemasMatchTheReference() async throws {
        let schemas = path("components", "schemas", in: try await document())
        #expect(
            path(
                "Body_login-login_access_token",
                in: schemas.flatMap { if case .object(let o) = $0 { o } else { nil } } ?? [:])?
                .serialized
                == ##"{"properties":{"grant_type":{"anyOf":[{"type":"string","pattern":"^password$"},{"type":"null"}],"title":"Grant Type"},"username":{"type":"string","title":"Username"},"password":{"type":"string","format":"password","title":"Password"},"scope":{"type":"string","title":"Scope","default":""},"client_id":{"anyOf":[{"type":"string"},{"type":"null"}],"title":"Client Id"},"client_secret":{"anyOf":[{"type":"string"},{"type":"null"}],"format":"password","title":"Client Secret"}},"type":"object","required":["username","password"],"title":"Body_login-login_access_token"}"##
        )
        guard case .object(let all)? = schemas else { throw Boom() }
        #expect(
            all.members.map(\.key) == [
                "Body_login-login_access_token", "HTTPValidationError", "ItemCreate", "ItemPublic", "ItemUpdate",
                "ItemsPublic", "Message", "UserCreate", "ValidationError",
            ])
        #expect(
            all["ItemUpdate"]?.serialized
                == ##"{"properties":{"title":{"anyOf":[{"type":"string","maxLength":255,"minLength":1},{"type":"null"}],"title":"Title"},"description":{"anyOf":[{"type":"string","maxLength":255},{"type":"null"}],"title":"Description"}},"type":"object","title":"ItemUpdate"}"##
        )
        #expect(
            all["UserCreate"]?.serialized
                == ##"{"properties":{"email":{"type":"string","maxLength":255,"format":"email","title":"Email"},"is_active":{"type":"boolean","title":"Is Active","default":true},"is_superuser":{"type":"boolean","title":"Is Superuser","default":false},"full_name":{"anyOf":[{"type":"string","maxLength":255},{"type":"null"}],"title":"Full Name"},"password":{"type":"string","maxLength":128,"minLength":8,"title":"Password"}},"type":"object","required":["email","password"],"title":"UserCreate"}"##
        )
        #expect(
            all["ItemsPublic"]?.serialized
                == ##"{"properties":{"data":{"items":{"$ref":"#/components/schemas/ItemPublic"},"type":"array","title":"Data"},"count":{"type":"integer","title":"Count"}},"type":"object","required":["data","count"],"title":"ItemsPublic"}"##
        )
        #expect(
            all["HTTPValidationError"]?.serialized
                == ##"{"properties":{"detail":{"items":{"$ref":"#/components/schemas/ValidationError"},"type":"array","title":"Detail"}},"type":"object","title":"HTTPValidationError"}"##
        )
        #expect(
            all["ValidationError"]?.serialized
                == ##"{"properties":{"loc":{"items":{"anyOf":[{"type":"string"},{"type":"integer"}]},"type":"array","title":"Location"},"msg":{"type":"string","title":"Message"},"type":{"type":"string","title":"Error Type"},"input":{"title":"Input"},"ctx":{"type":"object","title":"Context"}},"type":"object","required":["loc","msg","type"],"title":"ValidationError"}"##
        )
    }

    @Test func loginFormRequestBody() async throws {
        #expect(
            path("paths", "/api/v1/login/access-token", "post", "requestBody", in: try await document())?.serialized
                == ##"{"content":{"application/x-www-form-urlencoded":{"schema":{"$ref":"#/components/schemas/Body_login-login_access_token"}}},"required":true}"##
        )
    }

    @Test func docsPages() async {
        let docs = await app.send(.get, "/docs")
        #expect(docs.status.code == 200)
        #expect(docs.headers["content-type"] == "text/html; charset=utf-8")
        #expect(docs.text.contains("<title>Full Stack FastAPI Project - Swagger UI</title>"))
        #expect(docs.text.contains("https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"))
        #expect(docs.text.contains("url: '/api/v1/openapi.json'"))
        #expect(docs.text.contains("oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect'"))
        let redirect = await app.send(.get, "/docs/oauth2-redirect")
        #expect(redirect.text.contains("swaggerUIRedirectOauth2"))
        let redoc = await app.send(.get, "/redoc")
        #expect(redoc.headers["content-type"] == "text/html; charset=utf-8")
        #expect(redoc.text.contains(#"<redoc spec-url="/api/v1/openapi.json"></redoc>"#))
        #expect(redoc.text.contains("https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"))
    }

    /// The docs are Starlette's plain routes in FastAPI: HEAD works there, unlike on the API's routes.
    @Test func docsPagesAnswerHEAD() async {
        for path in ["/docs", "/docs/oauth2-redirect", "/redoc", "/api/v1/openapi.json"] {
            #expect(await app.send(.head, path).status.code == 200, "\(path)")
            let post = await app.send(.post, path)
            #expect(post.status.code == 405 && post.headers["allow"] == "GET, HEAD", "\(path)")
        }
        #expect(await app.send(.head, "/api/v1/utils/health-check/").status.code == 405)
    }

    @Test func docsAssetURLsAreConfigurable() async {
        var configuration = OpenAPIConfiguration(title: "P")
        configuration.assets.swaggerJS = "/static/swagger.js"
        let app = WebApplication(router: makeTestRouter(), openAPI: configuration)
        #expect(await app.send(.get, "/docs").text.contains(#"<script src="/static/swagger.js"></script>"#))
        #expect(await app.send(.get, "/openapi.json").status.code == 200)
        let fromSettings = DocsAssets(Settings(["DOCS_SWAGGER_CSS_URL": "/s.css", "DOCS_FAVICON_URL": "/f.png"]))
        #expect(fromSettings.swaggerCSS == "/s.css" && fromSettings.favicon == "/f.png")
        #expect(fromSettings.swaggerJS == DocsAssets().swaggerJS && fromSettings.redocJS == DocsAssets().redocJS)
        let scripts = DocsAssets(Settings(["DOCS_SWAGGER_JS_URL": "/s.js", "DOCS_REDOC_JS_URL": "/r.js"]))
        #expect(scripts.swaggerJS == "/s.js" && scripts.redocJS == "/r.js")
    }

    @Test(
        .enabled(
            if: SpecValidator.isAvailable,
            "needs python3 with openapi-spec-validator (pip install openapi-spec-validator)"))
    func documentPassesOpenAPISpecValidator() async throws {
        let body = await app.send(.get, "/api/v1/openapi.json").body
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID().uuidString).json")
        try Data(body).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try SpecValidator.run(["-m", "openapi_spec_validator", file.path])
        #expect(status == 0, "\(output)")
    }
}

enum SpecValidator {
    static let isAvailable = (try? run(["-c", "import openapi_spec_validator"]).status) == 0

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
