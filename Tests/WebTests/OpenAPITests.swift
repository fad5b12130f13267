// The generated OpenAPI document: FastAPI's shapes (operations, parameters, bodies, security,
// component schemas in Pydantic's key order) for the fixture's own routes, the docs pages, and
// openapi-spec-validator's verdict. That the application's document is the template's reference
// document is AppTests' OpenAPIConformanceTests.

import Foundation
import HTTPServer
import JSON
import Testing
import Web

@Suite struct OpenAPITests {
    let app = makeFixtureApp()

    func document() async throws -> JSONObject {
        let response = await app.send(.get, "/api/openapi.json")
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
        #expect(document["info"] == ["title": "Web Fixture", "version": "0.1.0"])
        #expect(
            path("components", "securitySchemes", in: document)
                == [
                    "OAuth2PasswordBearer": [
                        "type": "oauth2",
                        "flows": ["password": ["scopes": [:], "tokenUrl": "/api/forms/sign-in"]],
                    ]
                ])
        #expect(path("paths", "/api/openapi.json", in: document) == nil)
    }

    /// Paths in declaration order, each path's methods in declaration order.
    @Test func pathsAndMethodsKeepDeclarationOrder() async throws {
        guard case .object(let paths)? = path("paths", in: try await document()) else { throw Boom() }
        #expect(
            paths.members.map(\.key) == [
                "/api/forms/sign-in", "/api/bodies/", "/api/bodies/{id}", "/api/bodies/email", "/api/callers/me",
                "/api/callers/{caller_id}", "/api/misc/created/", "/api/misc/ping/", "/api/misc/pages/{name}",
                "/api/misc/header", "/api/misc/boom",
            ])
        guard case .object(let bodies)? = paths["/api/bodies/"], case .object(let me)? = paths["/api/callers/me"]
        else { throw Boom() }
        #expect(bodies.members.map(\.key) == ["get", "post"])
        #expect(me.members.map(\.key) == ["patch", "get"])
    }

    @Test func operationWithoutInputs() async throws {
        let operation = path("paths", "/api/misc/ping/", "get", in: try await document())
        #expect(
            operation?.serialized
                == ##"{"tags":["misc"],"summary":"Ping","operationId":"misc-ping","responses":{"200":{"description":"Successful Response","content":{"application/json":{"schema":{"type":"boolean","title":"Response Misc-Ping"}}}}}}"##
        )
    }

    /// An operation whose only input is a dependency: its security, no parameters, no 422.
    @Test func operationWithOnlyADependency() async throws {
        #expect(
            path("paths", "/api/callers/me", "get", in: try await document())?.serialized
                == ##"{"tags":["callers"],"summary":"Read Me","operationId":"callers-read_me","security":[{"OAuth2PasswordBearer":[]}],"responses":{"200":{"description":"Successful Response","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Echo"}}}}}}"##
        )
    }

    /// An HTML answer is documented as text/html; a string path parameter has no format.
    @Test func htmlAnswerAndStringPathParameter() async throws {
        #expect(
            path("paths", "/api/misc/pages/{name}", "post", in: try await document())?.serialized
                == ##"{"tags":["misc"],"summary":"Render Page","description":"An HTML answer.","operationId":"misc-render_page","security":[{"OAuth2PasswordBearer":[]}],"parameters":[{"name":"name","in":"path","required":true,"schema":{"type":"string","title":"Name"}}],"responses":{"200":{"description":"Successful Response","content":{"text/html":{"schema":{"type":"string"}}}},"422":{"description":"Validation Error","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HTTPValidationError"}}}}}}"##
        )
    }

    @Test func operationWithSecurityQueryDefaultsAnd422() async throws {
        let operation = path("paths", "/api/bodies/", "get", in: try await document())
        #expect(
            operation?.serialized
                == ##"{"tags":["bodies"],"summary":"List Bodies","description":"Query parameters with defaults.","operationId":"bodies-list_bodies","security":[{"OAuth2PasswordBearer":[]}],"parameters":[{"name":"skip","in":"query","required":false,"schema":{"type":"integer","default":0,"title":"Skip"}},{"name":"limit","in":"query","required":false,"schema":{"type":"integer","default":100,"title":"Limit"}}],"responses":{"200":{"description":"Successful Response","content":{"application/json":{"schema":{"$ref":"#/components/schemas/EncodedKindsList"}}}},"422":{"description":"Validation Error","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HTTPValidationError"}}}}}}"##
        )
    }

    @Test func pathParameterBodyAndStatusCode() async throws {
        let document = try await document()
        #expect(
            path("paths", "/api/bodies/{id}", "put", "parameters", in: document)?.serialized
                == ##"[{"name":"id","in":"path","required":true,"schema":{"type":"string","format":"uuid","title":"Id"}}]"##
        )
        #expect(
            path("paths", "/api/bodies/{id}", "put", "requestBody", in: document)?.serialized
                == ##"{"required":true,"content":{"application/json":{"schema":{"$ref":"#/components/schemas/PartialText"}}}}"##
        )
        #expect(
            path("paths", "/api/misc/created/", "post", "responses", in: document)?.serialized
                == ##"{"201":{"description":"Successful Response","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Echo"}}}},"422":{"description":"Validation Error","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HTTPValidationError"}}}}}"##
        )
        #expect(
            path("paths", "/api/misc/created/", "post", "parameters", in: document)?.serialized
                == ##"[{"name":"email_to","in":"query","required":true,"schema":{"type":"string","format":"email","title":"Email To"}}]"##
        )
    }

    /// Parameters as FastAPI lists them, path and query before headers, whatever the declaration order.
    @Test func headerAndBoundedOptionalQueryParameters() async throws {
        let parameters = path("paths", "/api/misc/header", "get", "parameters", in: try await document())
        guard case .array(let list)? = parameters, list.count == 2, case .object(let n) = list[0],
            case .object(let header) = list[1]
        else { throw Boom() }
        #expect(n["name"] == "n" && n["in"] == "query" && n["required"] == false)
        guard case .object(let schema)? = n["schema"], case .array(let anyOf)? = schema["anyOf"] else { throw Boom() }
        #expect(schema["title"] == "N")
        #expect(anyOf.last == ["type": "null"])
        guard case .object(let integer)? = anyOf.first else { throw Boom() }
        #expect(integer["type"] == "integer" && integer["minimum"] == 1 && integer["maximum"] == 10)
        #expect(
            JSONValue.object(header).serialized
                == ##"{"name":"x-token","in":"header","required":false,"schema":{"anyOf":[{"type":"string"},{"type":"null"}],"title":"X-Token"}}"##
        )
        #expect(
            path("paths", "/api/callers/{caller_id}", "get", "parameters", in: try await document())?.serialized
                == ##"[{"name":"caller_id","in":"path","required":true,"schema":{"type":"string","format":"uuid","title":"Caller Id"}}]"##
        )
    }

    @Test func componentSchemasInPydanticsShapes() async throws {
        let schemas = path("components", "schemas", in: try await document())
        guard case .object(let all)? = schemas else { throw Boom() }
        #expect(
            all["Body_forms-sign_in"]?.serialized
                == ##"{"properties":{"mode":{"anyOf":[{"type":"string","pattern":"^plain$"},{"type":"null"}],"title":"Mode"},"name":{"type":"string","title":"Name"},"secret":{"type":"string","format":"password","title":"Secret"},"tags":{"type":"string","title":"Tags","default":""},"client":{"anyOf":[{"type":"string"},{"type":"null"}],"title":"Client"},"hint":{"anyOf":[{"type":"string"},{"type":"null"}],"format":"password","title":"Hint"}},"type":"object","required":["name","secret"],"title":"Body_forms-sign_in"}"##
        )
        #expect(
            all.members.map(\.key) == [
                "Body_forms-sign_in", "BoundedText", "Echo", "EmailAndDefaults", "EncodedKinds", "EncodedKindsList",
                "HTTPValidationError", "PartialText", "ValidationError",
            ])
        #expect(
            all["PartialText"]?.serialized
                == ##"{"properties":{"title":{"anyOf":[{"type":"string","maxLength":255,"minLength":1},{"type":"null"}],"title":"Title"},"note":{"anyOf":[{"type":"string","maxLength":255},{"type":"null"}],"title":"Note"}},"type":"object","title":"PartialText"}"##
        )
        #expect(
            all["EmailAndDefaults"]?.serialized
                == ##"{"properties":{"email":{"type":"string","maxLength":255,"format":"email","title":"Email"},"enabled":{"type":"boolean","title":"Enabled","default":true},"privileged":{"type":"boolean","title":"Privileged","default":false},"nickname":{"anyOf":[{"type":"string","maxLength":255},{"type":"null"}],"title":"Nickname"},"secret":{"type":"string","maxLength":128,"minLength":8,"title":"Secret"}},"type":"object","required":["email","secret"],"title":"EmailAndDefaults"}"##
        )
        #expect(
            all["EncodedKinds"]?.serialized
                == ##"{"properties":{"text":{"type":"string","maxLength":255,"minLength":1,"title":"Text"},"note":{"anyOf":[{"type":"string","maxLength":255},{"type":"null"}],"title":"Note"},"id":{"type":"string","format":"uuid","title":"Id"},"parent_id":{"type":"string","format":"uuid","title":"Parent Id"},"created_at":{"anyOf":[{"type":"string","format":"date-time"},{"type":"null"}],"title":"Created At"}},"type":"object","required":["text","id","parent_id"],"title":"EncodedKinds"}"##
        )
        #expect(
            all["EncodedKindsList"]?.serialized
                == ##"{"properties":{"data":{"items":{"$ref":"#/components/schemas/EncodedKinds"},"type":"array","title":"Data"},"count":{"type":"integer","title":"Count"}},"type":"object","required":["data","count"],"title":"EncodedKindsList"}"##
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

    @Test func formRequestBody() async throws {
        #expect(
            path("paths", "/api/forms/sign-in", "post", "requestBody", in: try await document())?.serialized
                == ##"{"content":{"application/x-www-form-urlencoded":{"schema":{"$ref":"#/components/schemas/Body_forms-sign_in"}}},"required":true}"##
        )
    }

    @Test func docsPages() async {
        let docs = await app.send(.get, "/docs")
        #expect(docs.status.code == 200)
        #expect(docs.headers["content-type"] == "text/html; charset=utf-8")
        #expect(docs.text.contains("<title>Web Fixture - Swagger UI</title>"))
        #expect(docs.text.contains("https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"))
        #expect(docs.text.contains("url: '/api/openapi.json'"))
        #expect(docs.text.contains("oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect'"))
        let redirect = await app.send(.get, "/docs/oauth2-redirect")
        #expect(redirect.text.contains("swaggerUIRedirectOauth2"))
        let redoc = await app.send(.get, "/redoc")
        #expect(redoc.headers["content-type"] == "text/html; charset=utf-8")
        #expect(redoc.text.contains(#"<redoc spec-url="/api/openapi.json"></redoc>"#))
        #expect(redoc.text.contains("https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"))
    }

    /// The docs are Starlette's plain routes in FastAPI: HEAD works there, unlike on the API's routes.
    @Test func docsPagesAnswerHEAD() async {
        for path in ["/docs", "/docs/oauth2-redirect", "/redoc", "/api/openapi.json"] {
            #expect(await app.send(.head, path).status.code == 200, "\(path)")
            let post = await app.send(.post, path)
            #expect(post.status.code == 405 && post.headers["allow"] == "GET, HEAD", "\(path)")
        }
        #expect(await app.send(.head, "/api/misc/ping/").status.code == 405)
    }

    @Test func docsAssetURLsAreConfigurable() async {
        var configuration = OpenAPIConfiguration(title: "P")
        configuration.assets.swaggerJS = "/static/swagger.js"
        let app = WebApplication(router: makeFixtureRouter(), openAPI: configuration)
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
        let body = await app.send(.get, "/api/openapi.json").body
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
