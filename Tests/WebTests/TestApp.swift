// The application the tests drive: models, dependencies and routes shaped like the template's
// API, plus helpers to call it in-process.

import FoundationEssentials
import HTTPServer
import Web

struct ItemCreate: Model, Equatable {
    var title: String
    var description: String?
    static let fields = ModelFields(
        ItemCreate.init,
        Field("title", \.title, .minLength(1), .maxLength(255)),
        Field("description", \.description, .maxLength(255)))
}

struct ItemUpdate: Model {
    var title: Omittable<String?>
    var description: Omittable<String?>
    static let fields = ModelFields(
        ItemUpdate.init,
        Field("title", \.title, .minLength(1), .maxLength(255)),
        Field("description", \.description, .maxLength(255)))
}

struct ItemPublic: Model {
    var title: String
    var description: String?
    var id: UUID
    var ownerID: UUID
    var createdAt: Date?
    static let fields = ModelFields(
        ItemPublic.init,
        Field("title", \.title, .minLength(1), .maxLength(255)),
        Field("description", \.description, .maxLength(255)),
        Field("id", \.id),
        Field("owner_id", \.ownerID),
        Field("created_at", \.createdAt))
}

struct ItemsPublic: Model {
    var data: [ItemPublic]
    var count: Int
    static let fields = ModelFields(ItemsPublic.init, Field("data", \.data), Field("count", \.count))
}

struct UserCreate: Model {
    var email: String
    var isActive: Bool
    var isSuperuser: Bool
    var fullName: String?
    var password: String
    static let fields = ModelFields(
        UserCreate.init,
        Field("email", \.email, .maxLength(255), .email),
        Field("is_active", \.isActive, default: true),
        Field("is_superuser", \.isSuperuser, default: false),
        Field("full_name", \.fullName, .maxLength(255)),
        Field("password", \.password, .minLength(8), .maxLength(128)))
}

struct LoginForm: Model {
    var grantType: String?
    var username: String
    var password: String
    var scope: String
    var clientID: String?
    var clientSecret: String?
    static let fields = ModelFields(
        LoginForm.init,
        Field("grant_type", \.grantType, .pattern("^password$")),
        Field("username", \.username),
        Field("password", \.password, format: "password"),
        Field("scope", \.scope, default: ""),
        Field("client_id", \.clientID),
        Field("client_secret", \.clientSecret, format: "password"))
}

struct Message: Model {
    var message: String
    static let fields = ModelFields(Message.init, Field("message", \.message))
}

/// The user behind `Authorization: Bearer <name>`; "bad" is an invalid token.
struct TestUser: Dependency {
    var name: String
    var isSuperuser: Bool

    static let securitySchemes = [SecurityScheme.oauth2PasswordBearer(tokenURL: "/api/v1/login/access-token")]

    nonisolated(nonsending) static func resolve(_ context: RequestContext) async throws -> TestUser {
        let token = try OAuth2PasswordBearer.token(context.request)
        guard token != "bad" else { throw HTTPError(.forbidden, detail: "Could not validate credentials") }
        return TestUser(name: token, isSuperuser: token == "admin")
    }
}

/// A guard built on another dependency.
struct TestSuperuser: Dependency {
    var user: TestUser

    static let securitySchemes = TestUser.securitySchemes

    nonisolated(nonsending) static func resolve(_ context: RequestContext) async throws -> TestSuperuser {
        let user = try await context.dependency(TestUser.self)
        guard user.isSuperuser else { throw HTTPError(.forbidden, detail: "The user doesn't have enough privileges") }
        return TestSuperuser(user: user)
    }
}

struct Boom: Error {}

let ownerID = UUID(uuidString: "7D444840-9DC0-11D1-B245-5FFDCE74FAD2")!
let createdAt = Date(timeIntervalSince1970: 1_735_787_045.678901)

func makeTestRouter() -> Router {
    let router = Router()
    let api = router.group("/api/v1")

    let login = api.group("/login", tags: ["login"])
    login.post(
        "/access-token", name: "login_access_token",
        description: "OAuth2 compatible token login, get an access token for future requests", Form(LoginForm.self)
    ) { form in
        Message(message: "\(form.username):\(form.password):\(form.scope):\(form.grantType ?? "-")")
    }

    let users = api.group("/users", tags: ["users"])
    users.patch("/me", name: "update_user_me", Depends(TestUser.self)) { user in Message(message: user.name) }
    users.get("/me", name: "read_user_me", Depends(TestUser.self)) { user in Message(message: user.name) }
    users.post("/signup", name: "register_user", Body(UserCreate.self)) { user in
        Message(message: "\(user.email) active=\(user.isActive) superuser=\(user.isSuperuser)")
    }
    users.get("/{user_id}", name: "read_user_by_id", Depends(TestUser.self), Path<UUID>("user_id")) { _, id in
        Message(message: "user \(id)")
    }

    let items = api.group("/items", tags: ["items"])
    items.get(
        "/", name: "read_items", description: "Retrieve items.", Depends(TestUser.self), Query("skip", default: 0),
        Query("limit", default: 100)
    ) { _, skip, limit in
        let item = ItemPublic(
            title: "t", description: nil, id: ownerID, ownerID: ownerID, createdAt: createdAt)
        return ItemsPublic(data: Array(repeating: item, count: max(0, min(limit, 3))), count: skip)
    }
    items.post("/", name: "create_item", Depends(TestUser.self), Body(ItemCreate.self)) { _, item in
        ItemPublic(title: item.title, description: item.description, id: ownerID, ownerID: ownerID, createdAt: nil)
    }
    items.put("/{id}", name: "update_item", Depends(TestUser.self), Path<UUID>("id"), Body(ItemUpdate.self)) {
        _, id, update in
        func describe(_ field: Omittable<String?>) -> String {
            switch field {
            case .omitted: "absent"
            case .value(nil): "null"
            case .value(let text?): text
            }
        }
        return Message(message: "\(id) title=\(describe(update.title)) description=\(describe(update.description))")
    }

    let utils = api.group("/utils", tags: ["utils"])
    utils.post(
        "/test-email/", name: "test_email", status: .created, Depends(TestSuperuser.self),
        Query<String>("email_to", .email)
    ) { _, email in Message(message: email) }
    utils.get("/health-check/", name: "health_check") { true }
    utils.get("/header", name: "read_header", Header<String?>("x-token"), Query<Int?>("n", .ge(1), .le(10))) {
        token, n in
        Message(message: "\(token ?? "none") \(n.map(String.init) ?? "none")")
    }
    utils.get("/boom", name: "boom") { () async throws -> Bool in throw Boom() }
    return router
}

func makeTestApp(middleware: [any Middleware] = []) -> WebApplication {
    WebApplication(
        router: makeTestRouter(), middleware: middleware,
        openAPI: OpenAPIConfiguration(title: "Full Stack FastAPI Project", openAPIURL: "/api/v1/openapi.json"))
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
