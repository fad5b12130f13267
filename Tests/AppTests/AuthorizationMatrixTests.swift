// Who may call what (CONTRACT A.2, E.3, F.8): every operation of the API, on its targets, called
// over HTTP by each kind of caller, with the status and `detail` it must answer. A row names the
// route's dependency (which settles the bad-token, unknown, inactive and normal-user callers in
// the contract's order: 401, 403, 404, 400, then 403 for superuser routes), what the callers it
// lets through get, and the answers particular to the route.

import Foundation
import HTTPServer
import Testing

enum AuthorizationMatrix {
    static let recoveryMessage = "If that email is registered, we sent a password recovery link"
    static let selfDeletion = Outcome.error(403, "Super users are not allowed to delete themselves")
    static let missingID = "00000000-0000-4000-8000-000000000000"

    static let rows: [MatrixRow] = [
        // login
        MatrixRow(
            .post, "/login/access-token", on: "own credentials; the user's without an account", .anyone,
            except: [.deletedUser: .error(400, "Incorrect email or password"), .inactiveUser: .inactiveUser]
        ) { .init("/login/access-token", form: ["username": $0.account.email, "password": $0.account.password]) },
        MatrixRow(.post, "/login/test-token", .activeUser) { _ in .init("/login/test-token") },
        MatrixRow(
            .post, "/password-recovery/{email}", on: "own e-mail", .anyone, success: .message(200, recoveryMessage)
        ) { .init("/password-recovery/\($0.account.email)") },
        MatrixRow(
            .post, "/reset-password/", on: "own reset token, same password", .anyone,
            success: .message(200, "Password updated successfully"),
            except: [.deletedUser: .error(400, "Invalid token"), .inactiveUser: .inactiveUser]
        ) { .init("/reset-password/", json: ["token": $0.resetToken(), "new_password": $0.account.password]) },
        MatrixRow(.post, "/password-recovery-html-content/{email}", on: "the user's e-mail", .superuser) {
            .init("/password-recovery-html-content/\($0.user.email)")
        },

        // users
        MatrixRow(.get, "/users/", .superuser) { _ in .init("/users/") },
        MatrixRow(.post, "/users/", .superuser) {
            .init("/users/", json: ["email": $0.uniqueEmail(), "password": "password-1234"])
        },
        MatrixRow(.get, "/users/me", .activeUser) { _ in .init("/users/me") },
        MatrixRow(
            .delete, "/users/me", .activeUser, success: .message(200, "User deleted successfully"),
            except: [.superuser: selfDeletion], freshCallers: true
        ) { _ in .init("/users/me") },
        MatrixRow(.patch, "/users/me", .activeUser) { _ in .init("/users/me", json: ["full_name": "Renamed"]) },
        MatrixRow(
            .patch, "/users/me/password", .activeUser, success: .message(200, "Password updated successfully"),
            freshCallers: true
        ) {
            .init(
                "/users/me/password",
                json: ["current_password": $0.account.password, "new_password": $0.account.password + "-changed"])
        },
        MatrixRow(.post, "/users/signup", .anyone) {
            .init("/users/signup", json: ["email": $0.uniqueEmail(), "password": "password-1234"])
        },
        MatrixRow(.get, "/users/{user_id}", on: "the user", .activeUser, except: [.otherUser: .notEnoughPrivileges]) {
            .init("/users/\($0.user.id)")
        },
        // A normal user learns nothing of ids that are not theirs: 403 before 404 (E.3).
        MatrixRow(
            .get, "/users/{user_id}", on: "no such user", .activeUser,
            except: [.user: .notEnoughPrivileges, .otherUser: .notEnoughPrivileges, .superuser: .userNotFound]
        ) { _ in .init("/users/\(missingID)") },
        MatrixRow(.get, "/users/{user_id}", on: "not a uuid", .activeUser, success: .invalid("uuid_parsing")) { _ in
            .init("/users/not-a-uuid")
        },
        MatrixRow(.patch, "/users/{user_id}", on: "the user", .superuser) {
            .init("/users/\($0.user.id)", json: ["full_name": "Renamed"])
        },
        // Authorization before validation: a normal user's bad body is a 403, the superuser's a 422.
        MatrixRow(
            .patch, "/users/{user_id}", on: "the user, a bad e-mail", .superuser, success: .invalid("value_error")
        ) { .init("/users/\($0.user.id)", json: ["email": "not-an-email"]) },
        MatrixRow(
            .patch, "/users/{user_id}", on: "no such user", .superuser,
            except: [.superuser: .error(404, "The user with this id does not exist in the system")]
        ) { _ in .init("/users/\(missingID)", json: ["full_name": "Nobody"]) },
        MatrixRow(
            .delete, "/users/{user_id}", on: "a new user", .superuser,
            success: .message(200, "User deleted successfully")
        ) { .init("/users/\(try await $0.newTarget())") },
        MatrixRow(.delete, "/users/{user_id}", on: "no such user", .superuser, except: [.superuser: .userNotFound]) {
            _ in .init("/users/\(missingID)")
        },
        MatrixRow(.delete, "/users/{user_id}", on: "own id", .superuser, except: [.superuser: selfDeletion]) {
            .init("/users/\($0.account.id)")
        },

        // utils (without SMTP in development, e-mails go to the log)
        MatrixRow(
            .post, "/utils/test-email/", on: "email_to the user", .superuser, success: .message(201, "Test email sent")
        ) { .init("/utils/test-email/?email_to=\($0.user.email)") },
        MatrixRow(.get, "/utils/health-check/", .anyone) { _ in .init("/utils/health-check/") },

        // items: 404 before 403 (E.3)
        MatrixRow(.get, "/items/", .activeUser) { _ in .init("/items/") },
        MatrixRow(.post, "/items/", .activeUser) { _ in .init("/items/", json: ["title": "new"]) },
        // Malformed JSON is refused before authorization, whoever calls (A.2).
        MatrixRow(
            .post, "/items/", on: "malformed JSON", .activeUser,
            except: Dictionary(uniqueKeysWithValues: Caller.allCases.map { ($0, .invalid("json_invalid")) })
        ) { _ in .init("/items/", rawJSON: #"{"title": }"#) },
        MatrixRow(
            .get, "/items/{id}", on: "the user's item", .activeUser, except: [.otherUser: .notEnoughPermissions]
        ) { .init("/items/\($0.scene.item)") },
        MatrixRow(.get, "/items/{id}", on: "no such item", .activeUser, success: .itemNotFound) { _ in
            .init("/items/\(missingID)")
        },
        MatrixRow(
            .put, "/items/{id}", on: "the user's item", .activeUser, except: [.otherUser: .notEnoughPermissions]
        ) { .init("/items/\($0.scene.item)", json: ["title": "the user's"]) },
        MatrixRow(.put, "/items/{id}", on: "no such item", .activeUser, success: .itemNotFound) { _ in
            .init("/items/\(missingID)", json: ["title": "x"])
        },
        MatrixRow(
            .delete, "/items/{id}", on: "a new item of the user's", .activeUser,
            success: .message(200, "Item deleted successfully"), except: [.otherUser: .notEnoughPermissions]
        ) { .init("/items/\(try await $0.newItem())") },
        MatrixRow(.delete, "/items/{id}", on: "no such item", .activeUser, success: .itemNotFound) { _ in
            .init("/items/\(missingID)")
        },

        // private (development only)
        MatrixRow(.post, "/private/users/", .anyone) {
            .init("/private/users/", json: ["email": $0.uniqueEmail(), "password": "password-1234", "full_name": "P"])
        },
    ]

    static let cells = rows.flatMap(\.cells)
}

@Suite struct AuthorizationMatrixTests {
    @Test(arguments: AuthorizationMatrix.cells)
    func cell(_ cell: MatrixCell) async throws {
        let scene = try await MatrixScene.shared.value
        let caller = cell.row.freshCallers ? try await scene.freshIdentity(cell.caller) : scene.identity(cell.caller)
        let request = try await cell.row.request(MatrixContext(scene: scene, account: caller.account ?? scene.user))
        var headers = caller.headers
        if request.rawJSON != nil { headers.add("Content-Type", "application/json") }
        let reply = try await scene.app.call(
            cell.row.method, "/api/v1" + request.path, json: request.json, form: request.form,
            rawBody: request.rawJSON, headers: headers)
        cell.expected.check(reply)
    }

    /// The rows cover every operation the development app documents, and no other.
    @Test func everyOperationHasRows() async throws {
        let scene = try await MatrixScene.shared.value
        let document = try await scene.app.call(.get, "/api/v1/openapi.json")
        let paths = try #require(document.object["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        let covered = Set(AuthorizationMatrix.rows.map { "\($0.method) /api/v1\($0.route)" })
        #expect(documented.count == 23)
        #expect(covered == documented)
    }
}
