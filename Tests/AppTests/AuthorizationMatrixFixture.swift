// The authorization matrix's vocabulary and fixture: the kinds of caller, the outcomes the
// contract gives them (CONTRACT A.2's order of checks), one row per route and target, and the
// server with its users, made once for every cell (argon2 makes users costly).

import Foundation
import HTTPServer
import Storage
import Testing

/// Who sends a request: what its `Authorization` header holds.
enum Caller: String, CaseIterable, Sendable, CustomStringConvertible {
    case anonymous = "anonymous"
    case basicCredentials = "Basic credentials"
    case malformedToken = "malformed token"
    /// `Authorization: Bearer` and nothing after it: an empty token, invalid rather than missing.
    case emptyToken = "empty token"
    /// The user's token with its payload rewritten to name the superuser (the signature no longer matches).
    case forgedToken = "forged token"
    case expiredToken = "expired token"
    /// A valid token whose user has deleted their account.
    case deletedUser = "deleted user"
    /// A valid token issued before the superuser set `is_active` false.
    case inactiveUser = "inactive user"
    /// The normal user who owns the targets (`{user_id}`, items).
    case user = "user"
    /// Another normal user: someone else's user and items.
    case otherUser = "other user"
    case superuser = "superuser"

    var description: String { rawValue }
}

/// What a caller gets back.
enum Outcome: Sendable, Equatable, CustomStringConvertible {
    /// A success whose body is no error.
    case ok(Int)
    /// A success with a `Message` body.
    case message(Int, String)
    /// `{"detail": "..."}`.
    case error(Int, String)
    /// 422 whose first issue has this type.
    case invalid(String)

    static let notAuthenticated = error(401, "Not authenticated")
    static let invalidCredentials = error(403, "Could not validate credentials")
    static let userNotFound = error(404, "User not found")
    static let inactiveUser = error(400, "Inactive user")
    static let notEnoughPrivileges = error(403, "The user doesn't have enough privileges")
    static let itemNotFound = error(404, "Item not found")
    static let notEnoughPermissions = error(403, "Not enough permissions")

    var description: String {
        switch self {
        case .ok(let status): "\(status)"
        case .message(let status, let message): "\(status) \"\(message)\""
        case .error(let status, let detail): "\(status) \"\(detail)\""
        case .invalid(let type): "422 \(type)"
        }
    }

    func check(_ reply: Reply, sourceLocation: SourceLocation = #_sourceLocation) {
        switch self {
        case .ok(let status):
            #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
            #expect(reply.object["detail"] == nil, "\(reply.text)", sourceLocation: sourceLocation)
        case .message(let status, let message):
            #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
            #expect(reply.object["message"] as? String == message, sourceLocation: sourceLocation)
        case .error(let status, let detail):
            #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
            #expect(reply.detail == detail, sourceLocation: sourceLocation)
            if status == 401 { #expect(reply.headers["www-authenticate"] == "Bearer", sourceLocation: sourceLocation) }
        case .invalid(let type):
            #expect(reply.status == 422, "\(reply.text)", sourceLocation: sourceLocation)
            #expect(reply.firstIssue["type"] as? String == type, sourceLocation: sourceLocation)
        }
    }
}

/// The dependency a route declares, and what it answers callers it does not let through.
enum Access: Sendable {
    case anyone, activeUser, superuser

    func refusal(of caller: Caller) -> Outcome? {
        switch (self, caller) {
        case (.anyone, _): nil
        case (_, .anonymous), (_, .basicCredentials): .notAuthenticated
        case (_, .malformedToken), (_, .emptyToken), (_, .forgedToken), (_, .expiredToken): .invalidCredentials
        case (_, .deletedUser): .userNotFound
        case (_, .inactiveUser): .inactiveUser
        case (.superuser, .user), (.superuser, .otherUser): .notEnoughPrivileges
        default: nil
        }
    }
}

/// One route called on one target: what each caller gets.
struct MatrixRow: Sendable {
    let method: HTTPMethod
    /// The path template under /api/v1, as in the OpenAPI document.
    let route: String
    /// What the request is about, when the template does not say it ("someone else's item", ...).
    let target: String?
    let access: Access
    /// What a caller that `access` lets through gets.
    let success: Outcome
    /// Answers particular to this route and caller; they win over `access`.
    let exceptions: [Caller: Outcome]
    /// The user, other user and superuser are made for each cell (the request changes or deletes them).
    let freshCallers: Bool
    let request: @Sendable (MatrixContext) async throws -> MatrixRequest

    init(
        _ method: HTTPMethod, _ route: String, on target: String? = nil, _ access: Access, success: Outcome = .ok(200),
        except exceptions: [Caller: Outcome] = [:], freshCallers: Bool = false,
        request: @escaping @Sendable (MatrixContext) async throws -> MatrixRequest
    ) {
        self.method = method
        self.route = route
        self.target = target
        self.access = access
        self.success = success
        self.exceptions = exceptions
        self.freshCallers = freshCallers
        self.request = request
    }

    func expected(for caller: Caller) -> Outcome {
        exceptions[caller] ?? access.refusal(of: caller) ?? success
    }

    var cells: [MatrixCell] { Caller.allCases.map { MatrixCell(row: self, caller: $0) } }
}

/// One route × caller, a test case of its own.
struct MatrixCell: Sendable, CustomTestStringConvertible {
    let row: MatrixRow
    let caller: Caller
    var expected: Outcome { row.expected(for: caller) }

    var testDescription: String {
        "\(row.method) \(row.route)\(row.target.map { " (\($0))" } ?? "") as \(caller) → \(expected)"
    }
}

/// A request's path under /api/v1 and body.
struct MatrixRequest {
    var path: String
    var json: [String: Any]?
    var form: [String: String]?
    var rawJSON: String?

    init(_ path: String, json: [String: Any]? = nil, form: [String: String]? = nil, rawJSON: String? = nil) {
        self.path = path
        self.json = json
        self.form = form
        self.rawJSON = rawJSON
    }
}

/// What a row's request is built from.
struct MatrixContext {
    let scene: MatrixScene
    /// The caller's own account; callers without one (anonymous, bad tokens) act with the user's.
    let account: TestUser

    var user: TestUser { scene.user }

    func uniqueEmail() -> String { "matrix-\(UUID().uuidString.prefix(8).lowercased())@example.com" }

    /// A password-reset token for the account, as the recovery e-mail carries.
    func resetToken() -> String {
        scene.app.services.tokens.passwordResetToken(email: account.email, lifetimeSeconds: 3600)
    }

    /// A new item of the user's.
    func newItem() async throws -> String {
        let reply = try await scene.app.call(.post, "/api/v1/items/", token: user.token, json: ["title": "to delete"])
        return try reply.requiredID()
    }

    /// A new user to delete, inserted in the database: a target that never logs in needs no argon2 hash.
    func newTarget() async throws -> String {
        let created = try await scene.app.services.users.create(
            NewUser(email: uniqueEmail(), hashedPassword: "never-used"))
        return created.id.uuidString.lowercased()
    }
}

/// The matrix's own server (a superuser's state changes here stay out of the other suites) and
/// one account per kind of caller.
final class MatrixScene: Sendable {
    static let shared = Task { try await MatrixScene() }

    let app: AppServer
    let user: TestUser
    let otherUser: TestUser
    let superuser: TestUser
    let inactiveUser: TestUser
    let deletedUser: TestUser
    /// An item of the user's.
    let item: String
    private let forgedToken: String
    private let expiredToken: String

    init() async throws {
        app = try await AppServer(environment: [:])
        user = try await app.newUser()
        otherUser = try await app.newUser()
        inactiveUser = try await app.newUser()
        deletedUser = try await app.newUser()
        let adminToken = try await app.superuserToken()
        let adminID = try await app.call(.get, "/api/v1/users/me", token: adminToken).requiredID()
        superuser = TestUser(
            id: adminID, email: AppServer.superuserEmail, password: AppServer.superuserPassword, token: adminToken)
        try await app.call(
            .patch, "/api/v1/users/\(inactiveUser.id)", token: adminToken, json: ["is_active": false]
        ).requireStatus(200)
        try await app.call(.delete, "/api/v1/users/me", token: deletedUser.token).requireStatus(200)
        item = try await app.call(.post, "/api/v1/items/", token: user.token, json: ["title": "the user's"])
            .requiredID()
        forgedToken = Self.forge(user.token, subject: adminID)
        expiredToken = app.services.tokens.accessToken(subject: user.id, lifetimeSeconds: -60)
    }

    /// The `Authorization` header and account of a caller.
    func identity(_ caller: Caller) -> (headers: HTTPHeaders, account: TestUser?) {
        switch caller {
        case .anonymous: ([:], nil)
        case .basicCredentials:
            (["Authorization": "Basic " + Data("\(user.email):\(user.password)".utf8).base64EncodedString()], nil)
        case .malformedToken: (["Authorization": "Bearer not-a-jwt"], nil)
        case .emptyToken: (["Authorization": "Bearer"], nil)
        case .forgedToken: (["Authorization": "Bearer \(forgedToken)"], nil)
        case .expiredToken: (["Authorization": "Bearer \(expiredToken)"], nil)
        case .deletedUser: (["Authorization": "Bearer \(deletedUser.token)"], deletedUser)
        case .inactiveUser: (["Authorization": "Bearer \(inactiveUser.token)"], inactiveUser)
        case .user: (["Authorization": "Bearer \(user.token)"], user)
        case .otherUser: (["Authorization": "Bearer \(otherUser.token)"], otherUser)
        case .superuser: (["Authorization": "Bearer \(superuser.token)"], superuser)
        }
    }

    /// As `identity`, with a new account for the user, other user and superuser.
    func freshIdentity(_ caller: Caller) async throws -> (headers: HTTPHeaders, account: TestUser?) {
        let account: TestUser
        switch caller {
        case .user, .otherUser: account = try await app.newUser()
        case .superuser:
            let email = "superuser-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let id = try await app.call(
                .post, "/api/v1/users/", token: superuser.token,
                json: ["email": email, "password": "password-1234", "is_superuser": true]
            ).requiredID()
            account = TestUser(
                id: id, email: email, password: "password-1234", token: try await app.login(email, "password-1234"))
        default: return identity(caller)
        }
        return (["Authorization": "Bearer \(account.token)"], account)
    }

    /// `token` with its payload replaced by one naming `subject`, the signature kept.
    private static func forge(_ token: String, subject: String) -> String {
        let parts = token.split(separator: ".")
        let payload = #"{"exp":\#(Int(Date().timeIntervalSince1970) + 3600),"sub":"\#(subject)"}"#
        let encoded = Data(payload.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "\(parts[0]).\(encoded).\(parts[2])"
    }
}
