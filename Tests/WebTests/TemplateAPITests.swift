// The template's whole API declared on the router (handlers are stubs): the generated OpenAPI
// document must equal the reference document FastAPI serves, object key order aside.

import Foundation
import HTTPServer
import JSON
import Testing
import Web

struct Token: Model {
    var accessToken: String
    var tokenType: String
    static let fields = ModelFields(
        Token.init, Field("access_token", \.accessToken), Field("token_type", \.tokenType, default: "bearer"))
}

struct NewPassword: Model {
    var token: String
    var newPassword: String
    static let fields = ModelFields(
        NewPassword.init, Field("token", \.token), Field("new_password", \.newPassword, .minLength(8), .maxLength(128)))
}

struct UpdatePassword: Model {
    var currentPassword: String
    var newPassword: String
    static let fields = ModelFields(
        UpdatePassword.init,
        Field("current_password", \.currentPassword, .minLength(8), .maxLength(128)),
        Field("new_password", \.newPassword, .minLength(8), .maxLength(128)))
}

struct PrivateUserCreate: Model {
    var email: String
    var password: String
    var fullName: String
    var isVerified: Bool
    static let fields = ModelFields(
        PrivateUserCreate.init, Field("email", \.email), Field("password", \.password),
        Field("full_name", \.fullName), Field("is_verified", \.isVerified, default: false))
}

struct UserPublic: Model {
    var email: String
    var isActive: Bool
    var isSuperuser: Bool
    var fullName: String?
    var id: UUID
    var createdAt: Date?
    static let fields = ModelFields(
        UserPublic.init,
        Field("email", \.email, .maxLength(255), .email),
        Field("is_active", \.isActive, default: true),
        Field("is_superuser", \.isSuperuser, default: false),
        Field("full_name", \.fullName, .maxLength(255)),
        Field("id", \.id),
        Field("created_at", \.createdAt))
}

struct UsersPublic: Model {
    var data: [UserPublic]
    var count: Int
    static let fields = ModelFields(UsersPublic.init, Field("data", \.data), Field("count", \.count))
}

struct UserRegister: Model {
    var email: String
    var password: String
    var fullName: String?
    static let fields = ModelFields(
        UserRegister.init,
        Field("email", \.email, .maxLength(255), .email),
        Field("password", \.password, .minLength(8), .maxLength(128)),
        Field("full_name", \.fullName, .maxLength(255)))
}

struct UserUpdate: Model {
    var email: Omittable<String?>
    var isActive: Omittable<Bool?>
    var isSuperuser: Omittable<Bool?>
    var fullName: Omittable<String?>
    var password: Omittable<String?>
    static let fields = ModelFields(
        UserUpdate.init,
        Field("email", \.email, .maxLength(255), .email),
        Field("is_active", \.isActive),
        Field("is_superuser", \.isSuperuser),
        Field("full_name", \.fullName, .maxLength(255)),
        Field("password", \.password, .minLength(8), .maxLength(128)))
}

struct UserUpdateMe: Model {
    var fullName: Omittable<String?>
    var email: Omittable<String?>
    static let fields = ModelFields(
        UserUpdateMe.init, Field("full_name", \.fullName, .maxLength(255)),
        Field("email", \.email, .maxLength(255), .email))
}

func stub<T>() throws -> T { throw HTTPError(.notImplemented, detail: "stub") }

func makeTemplateRouter() -> Router {
    let router = Router()
    let api = router.group("/api/v1")
    let user = Depends(TestUser.self)
    let superuser = Depends(TestSuperuser.self)

    let login = api.group("", tags: ["login"])
    login.post(
        "/login/access-token", name: "login_access_token",
        description: "OAuth2 compatible token login, get an access token for future requests", Form(LoginForm.self)
    ) { _ in try stub() as Token }
    login.post("/login/test-token", name: "test_token", description: "Test access token", user) { _ in
        try stub() as UserPublic
    }
    login.post(
        "/password-recovery/{email}", name: "recover_password", description: "Password Recovery", Path<String>("email")
    ) {
        _ in try stub() as Message
    }
    login.post("/reset-password/", name: "reset_password", description: "Reset password", Body(NewPassword.self)) {
        _ in try stub() as Message
    }
    login.post(
        "/password-recovery-html-content/{email}", name: "recover_password_html_content",
        description: "HTML Content for Password Recovery", superuser, Path<String>("email")
    ) { _, _ in try stub() as HTMLPage }

    let users = api.group("/users", tags: ["users"])
    users.get(
        "/", name: "read_users", description: "Retrieve users.", superuser, Query("skip", default: 0),
        Query("limit", default: 100)
    ) {
        _, _, _ in try stub() as UsersPublic
    }
    users.post("/", name: "create_user", description: "Create new user.", superuser, Body(UserCreate.self)) { _, _ in
        try stub() as UserPublic
    }
    users.get("/me", name: "read_user_me", description: "Get current user.", user) { _ in try stub() as UserPublic }
    users.delete("/me", name: "delete_user_me", description: "Delete own user.", user) { _ in try stub() as Message }
    users.patch("/me", name: "update_user_me", description: "Update own user.", user, Body(UserUpdateMe.self)) {
        _, _ in try stub() as UserPublic
    }
    users.patch(
        "/me/password", name: "update_password_me", description: "Update own password.", user,
        Body(UpdatePassword.self)
    ) { _, _ in try stub() as Message }
    users.post(
        "/signup", name: "register_user", description: "Create new user without the need to be logged in.",
        Body(UserRegister.self)
    ) { _ in try stub() as UserPublic }
    let userID = Path<UUID>("user_id")
    users.get("/{user_id}", name: "read_user_by_id", description: "Get a specific user by id.", user, userID) {
        _, _ in try stub() as UserPublic
    }
    users.patch(
        "/{user_id}", name: "update_user", description: "Update a user.", superuser, userID, Body(UserUpdate.self)
    ) {
        _, _, _ in try stub() as UserPublic
    }
    users.delete("/{user_id}", name: "delete_user", description: "Delete a user.", superuser, userID) { _, _ in
        try stub() as Message
    }

    let utils = api.group("/utils", tags: ["utils"])
    utils.post(
        "/test-email/", name: "test_email", description: "Test emails.", status: .created, superuser,
        Query<String>("email_to", .email)
    ) { _, _ in try stub() as Message }
    utils.get("/health-check/", name: "health_check") { true }

    let items = api.group("/items", tags: ["items"])
    let id = Path<UUID>("id")
    items.get(
        "/", name: "read_items", description: "Retrieve items.", user, Query("skip", default: 0),
        Query("limit", default: 100)
    ) {
        _, _, _ in try stub() as ItemsPublic
    }
    items.get("/{id}", name: "read_item", description: "Get item by ID.", user, id) { _, _ in try stub() as ItemPublic }
    items.post("/", name: "create_item", description: "Create new item.", user, Body(ItemCreate.self)) { _, _ in
        try stub() as ItemPublic
    }
    items.put("/{id}", name: "update_item", description: "Update an item.", user, id, Body(ItemUpdate.self)) {
        _, _, _ in try stub() as ItemPublic
    }
    items.delete("/{id}", name: "delete_item", description: "Delete an item.", user, id) { _, _ in
        try stub() as Message
    }

    let privateUsers = api.group("/private", tags: ["private"])
    privateUsers.post("/users/", name: "create_user", description: "Create a new user.", Body(PrivateUserCreate.self)) {
        _ in try stub() as UserPublic
    }
    return router
}

@Suite struct TemplateAPITests {
    /// `value` with every object's keys sorted, so documents compare regardless of key order.
    func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            .object(
                JSONObject(object.members.sorted { $0.key < $1.key }.map { (key: $0.key, value: canonical($0.value)) }))
        case .array(let elements): .array(elements.map(canonical))
        default: value
        }
    }

    func members(_ value: JSONValue?) -> [(key: String, value: JSONValue)] {
        if case .object(let object)? = value { object.members } else { [] }
    }

    @Test func generatedDocumentEqualsTheReference() throws {
        let url = try #require(
            Bundle.module.url(forResource: "Resources/fastapi-template.openapi", withExtension: "json"))
        guard
            case .object(let reference) = try JSONValue.parse(
                String(decoding: try Data(contentsOf: url), as: UTF8.self)),
            case .object(let generated)? = WebApplication(
                router: makeTemplateRouter(),
                openAPI: OpenAPIConfiguration(title: "Full Stack FastAPI Project", openAPIURL: "/api/v1/openapi.json")
            ).openAPIDocument
        else { throw Boom() }
        #expect(members(.object(generated)).map(\.key) == members(.object(reference)).map(\.key))
        #expect(generated["info"] == reference["info"])
        #expect(members(generated["paths"]).map(\.key) == members(reference["paths"]).map(\.key))
        for (path, operations) in members(reference["paths"]) {
            for (method, operation) in members(operations) {
                let mine = members(members(generated["paths"]).first { $0.key == path }?.value).first {
                    $0.key == method
                }
                #expect(
                    mine.map { canonical($0.value).serialized } == canonical(operation).serialized, "\(method) \(path)")
            }
        }
        let referenceComponents = members(reference["components"])
        let generatedComponents = members(generated["components"])
        #expect(generatedComponents.map(\.key) == referenceComponents.map(\.key))
        for (name, schema) in members(referenceComponents.first { $0.key == "schemas" }?.value) {
            let mine = members(generatedComponents.first { $0.key == "schemas" }?.value).first { $0.key == name }
            #expect(mine?.value.serialized == schema.serialized, "schema \(name), key order included")
        }
        #expect(
            generatedComponents.first { $0.key == "securitySchemes" }.map { canonical($0.value) }
                == referenceComponents.first { $0.key == "securitySchemes" }.map { canonical($0.value) })
    }
}
