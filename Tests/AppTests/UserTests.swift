// /users: own account, sign-up, and the superuser's management (CONTRACT A.2 rows 6-15, E).

import Foundation
import Testing

@Suite struct UserTests {
    @Test func signupNormalisesTheEmailAndIgnoresPrivileges() async throws {
        let app = try await AppServer.shared.value
        let local = "Probe-\(UUID().uuidString.prefix(6))"
        let reply = try await app.call(
            .post, "/api/v1/users/signup",
            json: [
                "email": "\(local)@Example.COM", "password": "password-1234", "is_superuser": true, "full_name": "P",
            ])
        #expect(reply.status == 200)
        #expect(reply.object["email"] as? String == "\(local)@example.com")
        #expect(reply.object["is_superuser"] as? Bool == false)
        #expect(reply.object["is_active"] as? Bool == true)
        // Key order and explicit nulls as the reference writes them.
        #expect(reply.text.hasPrefix(#"{"email":"#))
        #expect(reply.text.contains(#","is_active":true,"is_superuser":false,"full_name":"P","id":""#))
        let again = try await app.call(
            .post, "/api/v1/users/signup", json: ["email": "\(local)@example.com", "password": "password-1234"])
        #expect(again.status == 400)
        #expect(again.detail == "The user with this email already exists in the system")
    }

    @Test func signupValidation() async throws {
        let app = try await AppServer.shared.value
        let reply = try await app.call(.post, "/api/v1/users/signup", json: ["email": "bad", "password": "short"])
        #expect(reply.status == 422)
        let issues = reply.object["detail"] as? [[String: Any]] ?? []
        #expect(issues.map { $0["type"] as? String } == ["value_error", "string_too_short"])
        #expect(
            issues.first?["msg"] as? String
                == "value is not a valid email address: An email address must have an @-sign.")
    }

    @Test func ownAccount() async throws {
        let app = try await AppServer.shared.value
        let user = try await app.newUser(fullName: "Before")
        let other = try await app.newUser()
        let renamed = try await app.call(.patch, "/api/v1/users/me", token: user.token, json: ["full_name": "After"])
        #expect(renamed.object["full_name"] as? String == "After")
        #expect(renamed.object["email"] as? String == user.email)
        let cleared = try await app.call(.patch, "/api/v1/users/me", token: user.token, json: ["full_name": NSNull()])
        #expect(cleared.object["full_name"] is NSNull)
        let taken = try await app.call(.patch, "/api/v1/users/me", token: user.token, json: ["email": other.email])
        #expect(taken.status == 409)
        #expect(taken.detail == "User with this email already exists")
        // An explicit null for a NOT NULL column is a 422 (the reference answered 500).
        let nullEmail = try await app.call(.patch, "/api/v1/users/me", token: user.token, json: ["email": NSNull()])
        #expect(nullEmail.status == 422)
        #expect(nullEmail.firstIssue["loc"] as? [String] == ["body", "email"])
        let ignored = try await app.call(.patch, "/api/v1/users/me", token: user.token, json: ["is_superuser": true])
        #expect(ignored.object["is_superuser"] as? Bool == false)
    }

    /// Both lookups find the e-mail free; the second write then meets the UNIQUE index (the
    /// reference's own check has the same gap): 409, as when the lookup sees it, never a 500.
    @Test func simultaneousChangesToOneEmailGiveOne409() async throws {
        let app = try await AppServer.shared.value
        let (first, second) = (try await app.newUser(), try await app.newUser())
        for attempt in 0..<5 {
            let email = "race-\(attempt)-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            async let one = app.call(.patch, "/api/v1/users/me", token: first.token, json: ["email": email])
            async let other = app.call(.patch, "/api/v1/users/me", token: second.token, json: ["email": email])
            let replies = try await [one, other]
            #expect(replies.map(\.status).sorted() == [200, 409], "\(replies.map(\.text))")
            #expect(replies.contains { $0.detail == "User with this email already exists" })
        }
    }

    @Test func aWrongMethodOnUsersMeAllowsTheFirstRouteDeclaredThere() async throws {
        let app = try await AppServer.shared.value
        let reply = try await app.call(.put, "/api/v1/users/me")
        #expect(reply.status == 405)
        #expect(reply.headers["Allow"] == "PATCH")
    }

    /// The reference declares no length for the private route's fields; the columns hold 255.
    @Test func privateRouteRefusesValuesLongerThanTheirColumns() async throws {
        let app = try await AppServer.shared.value
        let long = String(repeating: "a", count: 250) + "@example.com"
        let reply = try await app.call(
            .post, "/api/v1/private/users/",
            json: ["email": long, "password": "password-1234", "full_name": String(repeating: "é", count: 256)])
        #expect(reply.status == 422)
        let issues = reply.object["detail"] as? [[String: Any]] ?? []
        #expect(issues.map { $0["loc"] as? [String] } == [["body", "email"], ["body", "full_name"]])
        #expect(issues.allSatisfy { $0["msg"] as? String == "String should have at most 255 characters" })
        #expect(
            try await app.call(.post, "/api/v1/login/access-token", form: ["username": long, "password": "x"])
                .status == 400)
    }

    @Test func passwordChange() async throws {
        let app = try await AppServer.shared.value
        let user = try await app.newUser()
        let wrong = try await app.call(
            .patch, "/api/v1/users/me/password", token: user.token,
            json: ["current_password": "not-the-password", "new_password": "another-pass-1"])
        #expect(wrong.status == 400)
        #expect(wrong.detail == "Incorrect password")
        let same = try await app.call(
            .patch, "/api/v1/users/me/password", token: user.token,
            json: ["current_password": user.password, "new_password": user.password])
        #expect(same.detail == "New password cannot be the same as the current one")
        let changed = try await app.call(
            .patch, "/api/v1/users/me/password", token: user.token,
            json: ["current_password": user.password, "new_password": "another-pass-1"])
        #expect(changed.object["message"] as? String == "Password updated successfully")
        _ = try await app.login(user.email, "another-pass-1")
        // Access tokens survive a password change, as in the reference.
        #expect(try await app.call(.get, "/api/v1/users/me", token: user.token).status == 200)
    }

    @Test func deletingYourselfCascadesToYourItems() async throws {
        let app = try await AppServer.shared.value
        let user = try await app.newUser()
        let item = try await app.call(.post, "/api/v1/items/", token: user.token, json: ["title": "mine"])
        let itemID = try #require(item.object["id"] as? String)
        let deleted = try await app.call(.delete, "/api/v1/users/me", token: user.token)
        #expect(deleted.object["message"] as? String == "User deleted successfully")
        #expect(try await app.call(.get, "/api/v1/users/me", token: user.token).detail == "User not found")
        let admin = try await app.superuserToken()
        #expect(try await app.call(.get, "/api/v1/items/\(itemID)", token: admin).status == 404)
        let selfDelete = try await app.call(.delete, "/api/v1/users/me", token: admin)
        #expect(selfDelete.status == 403)
        #expect(selfDelete.detail == "Super users are not allowed to delete themselves")
    }

    @Test func superuserManagesUsers() async throws {
        let app = try await AppServer.shared.value
        let admin = try await app.superuserToken()
        let email = "made-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let created = try await app.call(
            .post, "/api/v1/users/", token: admin,
            json: ["email": email, "password": "password-1234", "is_superuser": true, "full_name": "Made"])
        #expect(created.status == 200)
        #expect(created.object["is_superuser"] as? Bool == true)
        let id = try #require(created.object["id"] as? String)
        let duplicate = try await app.call(
            .post, "/api/v1/users/", token: admin, json: ["email": email, "password": "password-1234"])
        #expect(duplicate.detail == "The user with this email already exists in the system.")

        let list = try await app.call(.get, "/api/v1/users/?skip=0&limit=1", token: admin)
        let data = list.object["data"] as? [[String: Any]] ?? []
        #expect(data.count == 1)
        #expect(data.first?["id"] as? String == id, "newest first")
        #expect((list.object["count"] as? Int ?? 0) >= 2)

        let updated = try await app.call(
            .patch, "/api/v1/users/\(id)", token: admin,
            json: ["full_name": "Renamed", "is_superuser": false, "password": "changed-pass-1"])
        #expect(updated.object["full_name"] as? String == "Renamed")
        #expect(updated.object["is_superuser"] as? Bool == false)
        _ = try await app.login(email, "changed-pass-1")
        let nullActive = try await app.call(.patch, "/api/v1/users/\(id)", token: admin, json: ["is_active": NSNull()])
        #expect(nullActive.status == 422)
        let other = try await app.newUser()
        let conflict = try await app.call(.patch, "/api/v1/users/\(id)", token: admin, json: ["email": other.email])
        #expect(conflict.status == 409)
        let missing = try await app.call(.patch, "/api/v1/users/\(UUID())", token: admin, json: ["full_name": "x"])
        #expect(missing.status == 404)
        #expect(missing.detail == "The user with this id does not exist in the system")

        #expect(try await app.call(.get, "/api/v1/users/\(id)", token: admin).object["email"] as? String == email)
        let deleted = try await app.call(.delete, "/api/v1/users/\(id)", token: admin)
        #expect(deleted.object["message"] as? String == "User deleted successfully")
        let gone = try await app.call(.delete, "/api/v1/users/\(id)", token: admin)
        #expect(gone.status == 404)
        #expect(gone.detail == "User not found")
        let adminID = try #require(try await app.call(.get, "/api/v1/users/me", token: admin).object["id"] as? String)
        #expect(try await app.call(.delete, "/api/v1/users/\(adminID)", token: admin).status == 403)
    }

    @Test func readingAnotherUserIs403BeforeExistenceForNormalUsers() async throws {
        let app = try await AppServer.shared.value
        let user = try await app.newUser()
        let other = try await app.newUser()
        #expect(try await app.call(.get, "/api/v1/users/\(user.id)", token: user.token).status == 200)
        for id in [other.id, UUID().uuidString.lowercased()] {
            let reply = try await app.call(.get, "/api/v1/users/\(id)", token: user.token)
            #expect(reply.status == 403)
            #expect(reply.detail == "The user doesn't have enough privileges")
        }
        let admin = try await app.superuserToken()
        let missing = try await app.call(.get, "/api/v1/users/\(UUID())", token: admin)
        #expect(missing.status == 404)
        #expect(missing.detail == "User not found")
        let badID = try await app.call(.get, "/api/v1/users/not-a-uuid", token: admin)
        #expect(badID.status == 422)
        #expect(badID.firstIssue["type"] as? String == "uuid_parsing")
        #expect(badID.firstIssue["loc"] as? [String] == ["path", "user_id"])
    }
}
