// The application Web's tests drive: small models and routes of their own, each named for the
// feature it exercises (length limits, partial updates, e-mail fields and defaults, encodings,
// forms, bearer-token dependencies, literal and parameter segments, status codes, headers, an
// HTML answer, a crashing handler), plus helpers to call it in-process. The template's API is App's, tested
// against the real application in AppTests.

import FoundationEssentials
import HTTPServer
import Web

/// Strings with length limits, one of them optional: body validation.
struct BoundedText: Model, Equatable {
    var title: String
    var note: String?
    static let fields = ModelFields(
        BoundedText.init,
        Field("title", \.title, .minLength(1), .maxLength(255)),
        Field("note", \.note, .maxLength(255)))
}

/// Fields that are absent, null or set: partial updates.
struct PartialText: Model {
    var title: Omittable<String?>
    var note: Omittable<String?>
    static let fields = ModelFields(
        PartialText.init,
        Field("title", \.title, .minLength(1), .maxLength(255)),
        Field("note", \.note, .maxLength(255)))
}

/// An e-mail field (normalized), booleans with defaults, an optional string and a length-limited secret.
struct EmailAndDefaults: Model {
    var email: String
    var enabled: Bool
    var privileged: Bool
    var nickname: String?
    var secret: String
    static let fields = ModelFields(
        EmailAndDefaults.init,
        Field("email", \.email, .maxLength(255), .email),
        Field("enabled", \.enabled, default: true),
        Field("privileged", \.privileged, default: false),
        Field("nickname", \.nickname, .maxLength(255)),
        Field("secret", \.secret, .minLength(8), .maxLength(128)))
}

/// One value of each encoded kind: declaration order, null written, UUIDs and RFC 3339 instants.
struct EncodedKinds: Model {
    var text: String
    var note: String?
    var id: UUID
    var parentID: UUID
    var createdAt: Date?
    static let fields = ModelFields(
        EncodedKinds.init,
        Field("text", \.text, .minLength(1), .maxLength(255)),
        Field("note", \.note, .maxLength(255)),
        Field("id", \.id),
        Field("parent_id", \.parentID),
        Field("created_at", \.createdAt))
}

/// A list of models and a number: an array of `$ref`s in the document.
struct EncodedKindsList: Model {
    var data: [EncodedKinds]
    var count: Int
    static let fields = ModelFields(EncodedKindsList.init, Field("data", \.data), Field("count", \.count))
}

/// What a handler saw.
struct Echo: Model {
    var echo: String
    static let fields = ModelFields(Echo.init, Field("echo", \.echo))
}

/// A form body: a pattern on an optional field, password formats, a default, optional fields.
struct FormFields: Model {
    var mode: String?
    var name: String
    var secret: String
    var tags: String
    var client: String?
    var hint: String?
    static let fields = ModelFields(
        FormFields.init,
        Field("mode", \.mode, .pattern("^plain$")),
        Field("name", \.name),
        Field("secret", \.secret, format: "password"),
        Field("tags", \.tags, default: ""),
        Field("client", \.client),
        Field("hint", \.hint, format: "password"))
}

/// The caller named by `Authorization: Bearer <name>`; the name "bad" is an invalid token.
struct BearerName: Dependency {
    var name: String

    static let securitySchemes = [SecurityScheme.oauth2PasswordBearer(tokenURL: "/api/forms/sign-in")]

    nonisolated(nonsending) static func resolve(_ context: RequestContext) async throws -> BearerName {
        let token = try OAuth2PasswordBearer.token(context.request)
        guard token != "bad" else { throw HTTPError(.forbidden, detail: "Invalid token") }
        return BearerName(name: token)
    }
}

/// A guard built on another dependency: only the bearer named "admin" passes.
struct AdminOnly: Dependency {
    var caller: BearerName

    static let securitySchemes = BearerName.securitySchemes

    nonisolated(nonsending) static func resolve(_ context: RequestContext) async throws -> AdminOnly {
        let caller = try await context.dependency(BearerName.self)
        guard caller.name == "admin" else { throw HTTPError(.forbidden, detail: "Admins only") }
        return AdminOnly(caller: caller)
    }
}

struct Boom: Error {}

let fixedID = UUID(uuidString: "7D444840-9DC0-11D1-B245-5FFDCE74FAD2")!
let fixedDate = Date(timeIntervalSince1970: 1_735_787_045.678901)

/// The fixture's routes under `/api`: each group exercises one feature of routing and inputs.
func makeFixtureRouter() -> Router {
    let router = Router()
    let api = router.group("/api")

    let forms = api.group("/forms", tags: ["forms"])
    forms.post("/sign-in", name: "sign_in", description: "A form body.", Form(FormFields.self)) { form in
        Echo(echo: "\(form.name):\(form.secret):\(form.tags):\(form.mode ?? "-")")
    }

    // JSON bodies and query parameters, behind a bearer token.
    let bodies = api.group("/bodies", tags: ["bodies"])
    bodies.get(
        "/", name: "list_bodies", description: "Query parameters with defaults.", Depends(BearerName.self),
        Query("skip", default: 0), Query("limit", default: 100)
    ) { _, skip, limit in
        let value = EncodedKinds(text: "t", note: nil, id: fixedID, parentID: fixedID, createdAt: fixedDate)
        return EncodedKindsList(data: Array(repeating: value, count: max(0, min(limit, 3))), count: skip)
    }
    bodies.post("/", name: "create_body", Depends(BearerName.self), Body(BoundedText.self)) { _, body in
        EncodedKinds(text: body.title, note: body.note, id: fixedID, parentID: fixedID, createdAt: nil)
    }
    bodies.put("/{id}", name: "update_body", Depends(BearerName.self), Path<UUID>("id"), Body(PartialText.self)) {
        _, id, update in
        func describe(_ field: Omittable<String?>) -> String {
            switch field {
            case .omitted: "absent"
            case .value(nil): "null"
            case .value(let text?): text
            }
        }
        return Echo(echo: "\(id) title=\(describe(update.title)) note=\(describe(update.note))")
    }
    bodies.post("/email", name: "check_email", Body(EmailAndDefaults.self)) { body in
        Echo(echo: "\(body.email) enabled=\(body.enabled) privileged=\(body.privileged)")
    }

    // A literal segment and a parameter at the same place; two methods on one path.
    let callers = api.group("/callers", tags: ["callers"])
    callers.patch("/me", name: "rename_me", Depends(BearerName.self)) { caller in Echo(echo: caller.name) }
    callers.get("/me", name: "read_me", Depends(BearerName.self)) { caller in Echo(echo: caller.name) }
    callers.get("/{caller_id}", name: "read_caller", Depends(BearerName.self), Path<UUID>("caller_id")) { _, id in
        Echo(echo: "caller \(id)")
    }

    let misc = api.group("/misc", tags: ["misc"])
    misc.post(
        "/created/", name: "create_with_201", status: .created, Depends(AdminOnly.self),
        Query<String>("email_to", .email)
    ) { _, email in Echo(echo: email) }
    misc.get("/ping/", name: "ping") { true }
    misc.post(
        "/pages/{name}", name: "render_page", description: "An HTML answer.", Depends(AdminOnly.self),
        Path<String>("name")
    ) { _, name in HTMLPage("<p>\(name)</p>", headers: ["x-page": name]) }
    misc.get("/header", name: "read_header", Header<String?>("x-token"), Query<Int?>("n", .ge(1), .le(10))) {
        token, n in
        Echo(echo: "\(token ?? "none") \(n.map(String.init) ?? "none")")
    }
    misc.get("/boom", name: "boom") { () async throws -> Bool in throw Boom() }
    return router
}

func makeFixtureApp(middleware: [any Middleware] = []) -> WebApplication {
    WebApplication(
        router: makeFixtureRouter(), middleware: middleware,
        openAPI: OpenAPIConfiguration(title: "Web Fixture", openAPIURL: "/api/openapi.json"))
}

extension WebApplication {
    /// Calls the application in-process.
    func send(
        _ method: HTTPMethod, _ target: String, headers: HTTPHeaders = ["Host": "127.0.0.1:8010"], body: String = ""
    ) async -> HTTPResponse {
        await respond(to: HTTPRequest(method: method, target: target, headers: headers, body: Array(body.utf8)))
    }

    func sendJSON(_ method: HTTPMethod, _ target: String, _ json: String, token: String? = "alice") async
        -> HTTPResponse
    {
        var headers: HTTPHeaders = ["Host": "127.0.0.1:8010", "Content-Type": "application/json"]
        if let token { headers.add("Authorization", "Bearer \(token)") }
        return await send(method, target, headers: headers, body: json)
    }
}

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
}
