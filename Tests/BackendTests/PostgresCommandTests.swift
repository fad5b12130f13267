// The `backend` commands on PostgreSQL: migrate and prestart, and copy-database (a SQLite
// deployment's users and items moved to an empty PostgreSQL database with their ids, hashes and
// times; a target with users refused; the password never printed).

import Foundation
import Storage
import StoragePostgres
import StorageSQLite
import TestSupport
import Testing

@Suite struct PostgresCommandTests {
    @Test func migrateAndPrestartWorkOnPostgreSQL() async throws {
        let cluster = try await TestPostgres.shared.value
        let name = try await cluster.createDatabase()
        let environment = testSettings.merging(["DATABASE_URL": cluster.url(database: name)]) { $1 }
        let migrate = try await Shell.run([backendExecutable.path, "migrate"], environment: environment)
        #expect(migrate.status == 0 && migrate.output.contains("Applied migrations [1, 2]."), "\(migrate.output)")
        let again = try await Shell.run([backendExecutable.path, "migrate"], environment: environment)
        #expect(again.output.contains("The database is up to date."), "\(again.output)")
        for _ in 0..<2 {
            let prestart = try await Shell.run([backendExecutable.path, "prestart"], environment: environment)
            #expect(prestart.status == 0, "\(prestart.output)")
        }
        let superusers = try await cluster.psql(name, "SELECT email, is_superuser FROM \"user\"")
        #expect(superusers == "admin@example.com|t\n")
    }

    @Test func aSQLiteDeploymentMovesToPostgreSQL() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("copy-\(UUID()).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sqlite = try await SQLiteDatabase.open(path: path)
        try await Migrator.migrate(sqlite)
        let users = UserRepository(database: sqlite)
        let ann = try await users.create(
            NewUser(email: "ann@example.com", hashedPassword: "$argon2id$ann", fullName: "Ann"))
        let bob = try await users.create(
            NewUser(email: "bob@example.com", hashedPassword: "$2b$12$bob", isActive: false, isSuperuser: true))
        let items = ItemRepository(database: sqlite)
        for title in ["one", "two"] { _ = try await items.create(NewItem(title: title, ownerID: ann.id)) }
        _ = try await items.create(NewItem(title: "bob's", description: "text", ownerID: bob.id))
        let expectedUsers = try await users.list(skip: 0, limit: -1)
        let expectedItems = try await items.list(skip: 0, limit: -1)
        await sqlite.close()

        let cluster = try await TestPostgres.shared.value
        let target = try await cluster.newDatabase()
        let copy = [backendExecutable.path, "copy-database", "--from", "sqlite:///" + path, "--to", target]
        let copied = try await Shell.run(copy, environment: testSettings)
        #expect(copied.status == 0, "\(copied.output)")
        #expect(
            copied.output.contains("Copied 2 users and 3 items from sqlite:///\(path) to postgresql://postgres:***@"))
        #expect(!copied.output.contains(TestPostgres.password))

        guard case .postgresql(let url) = try DatabaseLocation(url: target) else { return }
        let postgres = try await PostgresDatabase.open(url: url)
        #expect(try await UserRepository(database: postgres).list(skip: 0, limit: -1) == expectedUsers)
        #expect(try await ItemRepository(database: postgres).list(skip: 0, limit: -1) == expectedItems)

        // Again: the target has users now, and is left as it is.
        let again = try await Shell.run(copy, environment: testSettings)
        #expect(again.status == 1)
        #expect(again.output.contains("the target database already has 2 users"), "\(again.output)")
        #expect(try await UserRepository(database: postgres).list(skip: 0, limit: -1).count == 2)
        await postgres.close()
    }

    @Test func aMissingSourceFileOrAMalformedURLIsNamed() async throws {
        let missing = try await Shell.run(
            [backendExecutable.path, "copy-database", "--from", "sqlite:////nowhere/app.db", "--to", "sqlite:///x.db"],
            environment: testSettings)
        #expect(missing.status == 2)
        #expect(missing.output.contains("--from: there is no SQLite file at /nowhere/app.db"))
        let malformed = try await Shell.run(
            [
                backendExecutable.path, "copy-database", "--from", "sqlite:///a.db", "--to",
                "postgresql://u:pw@h:99999/d",
            ],
            environment: testSettings)
        #expect(malformed.status == 2)
        #expect(malformed.output.contains("--to: invalid DATABASE_URL: the port"))
        #expect(!malformed.output.contains("pw@"))
        let usage = try await Shell.run([backendExecutable.path, "copy-database", "--to", "sqlite:///x.db"])
        #expect(usage.status == 2)
        #expect(usage.output.contains("usage: backend copy-database --from <url> --to <url>"))
    }
}
