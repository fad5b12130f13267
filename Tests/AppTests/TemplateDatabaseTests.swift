// A database the FastAPI template made, served as it is: its users log in with the passwords the
// template hashed (pwdlib's argon2id, and a bcrypt hash from an older deployment, upgraded at its
// first login), its inactive user is refused, its items are listed, and its alembic_version is
// left as the template wrote it. Runs on PostgreSQL whichever engine the other suites use.

import Foundation
import TestSupport
import Testing

@Suite struct TemplateDatabaseTests {
    @Test func theTemplatesUsersLogInAndItsDataIsServed() async throws {
        let cluster = try await TestPostgres.shared.value
        let name = try await cluster.restoreTemplateDump()
        let environment = [
            "DATABASE_URL": cluster.url(database: name), "FIRST_SUPERUSER": "admin@example.com",
            "FIRST_SUPERUSER_PASSWORD": "template-admin-pass",
        ]
        try await AppServer.with(environment: environment) { app in
            let admin = try await app.login("admin@example.com", "template-admin-pass")
            let users = try await app.call(.get, "/api/v1/users/?limit=10", token: admin)
            #expect(users.object["count"] as? Int == 4)  // the prestart found its superuser and made none

            let alice = try await app.login("alice@example.com", "alice-password-1")
            let items = try await app.call(.get, "/api/v1/items/", token: alice)
            #expect(items.object["count"] as? Int == 3)
            let titles = (items.object["data"] as? [[String: Any]])?.compactMap { $0["title"] as? String }
            #expect(titles == ["Alice item 3", "Alice item 2", "Alice item 1"])
            let me = try await app.call(.get, "/api/v1/users/me", token: alice)
            #expect(me.object["id"] as? String == "b7122034-1858-434b-96bb-3c4d7618b53c")
            #expect(me.object["created_at"] as? String == "2026-12-07T14:05:05.554212Z")

            let bobHash = "SELECT hashed_password FROM \"user\" WHERE email = 'bob@example.com'"
            #expect(try await cluster.psql(name, bobHash).hasPrefix("$2b$12$"))
            _ = try await app.login("bob@example.com", "bob-password-1")
            #expect(try await cluster.psql(name, bobHash).hasPrefix("$argon2id$v=19$m=65536,t=3,p=4$"))
            _ = try await app.login("bob@example.com", "bob-password-1")

            let carol = try await app.login("carol@example.com", "carol-password-1", headers: [:])
            #expect(carol.status == 400)
            #expect(carol.detail == "Inactive user")
            let wrong = try await app.login("alice@example.com", "not-her-password", headers: [:])
            #expect(wrong.status == 400)
            #expect(wrong.detail == "Incorrect email or password")
        }
        #expect(try await cluster.psql(name, "SELECT version_num FROM alembic_version") == "fe56fa70289e\n")
    }
}
