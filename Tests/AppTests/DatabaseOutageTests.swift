// PostgreSQL stopped under a running server: requests get 503 with a JSON detail and
// Retry-After (never a 500, never a hang), and once it is back the pool reconnects by itself.

import Foundation
import TestSupport
import Testing

@Suite struct DatabaseOutageTests {
    @Test func whilePostgreSQLIsDownRequestsGet503AndThenTheServerRecovers() async throws {
        let cluster = try await TestPostgres.startPrivate()
        let environment = ["DATABASE_URL": try await cluster.newDatabase(), "DATABASE_POOL_SIZE": "2"]
        try await AppServer.with(environment: environment) { app in
            let user = try await app.newUser()
            try await cluster.stop()
            for _ in 0..<4 {
                let reply = try await app.call(.get, "/api/v1/users/me", token: user.token)
                #expect(reply.status == 503)
                #expect(reply.detail == "The database is unavailable, try again")
                #expect(reply.headers["retry-after"] == "1")
            }
            try await cluster.start()
            for _ in 0..<6 {
                #expect(try await app.call(.get, "/api/v1/users/me", token: user.token).status == 200)
            }
            let item = try await app.call(.post, "/api/v1/items/", token: user.token, json: ["title": "after"])
            #expect(item.status == 200)
        }
    }
}
