// docker-compose.yml layered with docker-compose.postgres.yml end to end: the development stack
// comes up on PostgreSQL (its password and database from the environment), the API answers on
// the backend's port, a user who signs up can log in and is a row of PostgreSQL's "user" table
// (no SQLite file appears), PostgreSQL publishes no port, and `down -v` leaves no volume behind.

import Foundation
import Testing

extension DockerE2ETests {
    @Test func developmentStackOnPostgresKeepsItsUsersInPostgres() async throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        let database = "e2e"
        let compose = ComposeProject(
            prefix: "e2edevpg", directory: repository.root,
            files: ["docker-compose.yml", "docker-compose.postgres.yml"],
            variables: ["PWD": repository.root.path, "POSTGRES_PASSWORD": "e2e-db-password", "POSTGRES_DB": database])
        try await compose.removed {
            let start = ContinuousClock.now
            try await compose.run(["up", "-d", "--build", "--wait"], timeout: .seconds(600)).checked()
            let port = try await compose.backendPort()
            let firstAnswer = await HTTPProbe.wait(port: port, timeout: .seconds(120)) { $0 != nil }
            guard await expect(firstAnswer != nil, "the development server never answered", logsOf: compose) else {
                return
            }
            report("cold `docker compose up` on PostgreSQL to the first 200", ContinuousClock.now - start)

            let (email, password, signup) = HTTPProbe.signUp(port: port)
            await expect(signup?.status == 200, "sign-up: \(String(describing: signup))", logsOf: compose)
            let token = HTTPProbe.token(port: port, email: email, password: password)
            guard await expect(token != nil, "login of \(email)", logsOf: compose) else { return }
            let me = HTTPProbe.send(.get, "/api/v1/users/me", port: port, bearer: token)
            #expect(me?.status == 200 && me?.body.contains(email) == true, "users/me: \(String(describing: me))")

            let rows = try await compose.run([
                "exec", "-T", "postgres", "psql", "-U", "postgres", "-d", database, "-At", "-c",
                #"SELECT email FROM "user""#,
            ]).checked()
            let emails = Set(rows.split(whereSeparator: \.isNewline).map(String.init))
            #expect(emails.isSuperset(of: [email, "admin@example.com"]), "PostgreSQL's users: \(rows)")
            let sqliteFiles = try await compose.run(["exec", "-T", "backend", "ls", "-A", "/data"]).checked()
            #expect(sqliteFiles.trimmed.isEmpty, "the backend wrote to /data: \(sqliteFiles)")
            let postgres = try await compose.run(["ps", "-q", "postgres"]).checked().trimmed
            #expect(try await Docker.inspect(postgres, format: "{{json .HostConfig.PortBindings}}") == "{}")

            let downStart = ContinuousClock.now
            try await compose.run(["down", "-v", "--timeout", "20"]).checked()
            report("`docker compose down -v` on PostgreSQL", ContinuousClock.now - downStart)
            #expect(try await Docker.objects(.volumes, of: compose.name).isEmpty)
            #expect(try await Docker.objects(.containers, of: compose.name).isEmpty)
        }
    }
}
