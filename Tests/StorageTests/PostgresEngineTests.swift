// The PostgreSQL engine against a real PostgreSQL 15: the template's schema exactly, a database
// the template made served as it is, migrations under an advisory lock, the server going away
// and coming back, and the wait for it at start-up.

import Foundation
import Logging
import Storage
import StoragePostgres
import Synchronization
import TestSupport
import Testing

struct PostgresEngineTests {
    /// The statements of a pg_dump that define the template's tables, constraints and indexes,
    /// each whole (a CREATE TABLE with every column, type, length and nullability).
    private func templateDefinitions(_ dump: String) -> [String] {
        dump.components(separatedBy: ";\n").map { $0.components(separatedBy: "\n").filter { !$0.hasPrefix("--") } }
            .map { $0.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter {
                ["CREATE TABLE public.", "ALTER TABLE ONLY public.", "CREATE UNIQUE INDEX", "CREATE INDEX"].contains(
                    where: $0.hasPrefix)
            }
    }

    @Test func aNewDatabaseHasTheTemplatesSchemaExactly() async throws {
        let cluster = try await TestPostgres.shared.value
        let name = try await cluster.createDatabase()
        let database = try await PostgresDatabase.open(url: try postgresURL(cluster.url(database: name)))
        #expect(try await Migrator.migrate(database) == [1, 2])
        await database.close()

        let reference = templateDefinitions(
            try String(contentsOfFile: TestPostgres.templateSchemaFile, encoding: .utf8))
        let ours = templateDefinitions(try await cluster.schema(of: name))
        #expect(reference.count == 8)  // 3 tables, 3 primary keys, the e-mail index, the foreign key
        for definition in reference { #expect(ours.contains(definition), "missing or different: \(definition)") }
        // Besides them: our bookkeeping table and indexes of our own, nothing else.
        let extra = ours.filter { !reference.contains($0) }
        #expect(
            extra.allSatisfy { $0.contains("schema_migrations") || $0.hasPrefix("CREATE INDEX ix_") }, "\(extra)")
        // Stamped at the template's head, as `alembic stamp head` would.
        #expect(try await cluster.psql(name, "SELECT version_num FROM alembic_version") == "fe56fa70289e\n")
    }

    @Test func aDatabaseTheTemplateMadeIsServedAsItIs() async throws {
        let cluster = try await TestPostgres.shared.value
        let name = try await cluster.restoreTemplateDump()
        let before = try await cluster.schema(of: name)
        let database = try await PostgresDatabase.open(url: try postgresURL(cluster.url(database: name)))
        #expect(try await Migrator.migrate(database) == [1, 2])
        #expect(try await Migrator.migrate(database) == [])

        let users = UserRepository(database: database)
        let alice = try #require(try await users.find(email: "alice@example.com"))
        #expect(alice.id == UUID(uuidString: "b7122034-1858-434b-96bb-3c4d7618b53c"))
        #expect(alice.fullName == "Alice" && alice.isActive && !alice.isSuperuser)
        #expect(alice.hashedPassword.hasPrefix("$argon2id$"))
        #expect(alice.createdAt?.rfc3339 == "2026-12-07T14:05:05.554212Z")
        #expect(try await users.find(email: "carol@example.com")?.isActive == false)
        #expect(try await users.list(skip: 0, limit: 100).count == 4)
        let items = try await ItemRepository(database: database).list(ownerID: alice.id, skip: 0, limit: 100)
        #expect(items.data.map(\.title) == ["Alice item 3", "Alice item 2", "Alice item 1"])
        await database.close()

        // The template's own tables and alembic_version are as the template left them.
        let after = try await cluster.schema(of: name)
        #expect(
            templateDefinitions(after).filter { !$0.contains("schema_migrations") && !$0.contains("INDEX ix_") }
                == templateDefinitions(before).filter { !$0.contains("INDEX ix_") })
        #expect(try await cluster.psql(name, "SELECT version_num FROM alembic_version") == "fe56fa70289e\n")
    }

    @Test func replicasMigratingAtOnceApplyEachMigrationOnce() async throws {
        let cluster = try await TestPostgres.shared.value
        let url = try postgresURL(try await cluster.newDatabase())
        let databases = try await (0..<4).asyncMap { _ in try await PostgresDatabase.open(url: url) }
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for database in databases { group.addTask { try await Migrator.migrate(database) } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(applied.sorted() == [1, 2])
        let recorded = try await databases[0].read {
            try $0.query("SELECT version FROM schema_migrations ORDER BY version", []) { try $0.integer("version") }
        }
        #expect(recorded == [1, 2])
        for database in databases { await database.close() }
    }

    @Test func aFailingMigrationLeavesNoTrace() async throws {
        try await withPostgres { database in
            let broken = Migration(version: 3, name: "broken", sql: "CREATE TABLE half (x integer); SELECT nonsense(;")
            await #expect {
                try await Migrator.migrate(database, migrations: PostgresDatabase.migrations + [broken])
            } throws: { error in
                guard case .migration(3, "broken", _) = error as? StorageError else { return false }
                return true
            }
            let half = try await database.read {
                try $0.queryFirst("SELECT to_regclass('half') IS NULL AS gone", []) { try $0.integer("gone") }
            }
            #expect(half == 1)
        }
    }

    @Test func typesRoundTripThroughTheBinaryResults() async throws {
        try await withPostgres { database in
            let row = try await database.read { connection in
                try connection.queryFirst(
                    "SELECT true AS t, false AS f, 7::smallint AS small, -8::integer AS int, 9000000000::bigint AS big,"
                        + " 1.5::real AS r, 2.25::double precision AS d, 'héllo'::text AS txt,"
                        + " '\\x00ff'::bytea AS bytes, '1970-01-01 00:00:01.000002+00'::timestamptz AS ts,"
                        + " 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid AS id, NULL::text AS nothing",
                    []
                ) { try $0.values }
            }
            #expect(
                row == [
                    .integer(1), .integer(0), .integer(7), .integer(-8), .integer(9_000_000_000), .real(1.5),
                    .real(2.25),
                    .text("héllo"), .blob([0, 255]), .integer(1_000_002), .text("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                    .null,
                ])
            // Parameters go as text, and PostgreSQL reads each as its column's type.
            let echoed = try await database.read { connection in
                try connection.queryFirst(
                    "SELECT ?::timestamptz AS ts, ?::uuid AS id, ?::boolean AS flag, ?::bytea AS bytes, ? || '?' AS q",
                    [
                        .timestamp(Timestamp(microsecondsSinceEpoch: 1_000_002)),
                        .text("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                        .integer(1), .blob([1, 171]), .text("what"),
                    ]
                ) { try $0.values }
            }
            #expect(
                echoed == [
                    .integer(1_000_002), .text("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), .integer(1), .blob([1, 171]),
                    .text("what?"),
                ])
        }
    }

    /// A read sees one snapshot: a row committed by another session between its two statements
    /// is not seen by the second. And a read cannot write.
    @Test func aReadSeesOneSnapshotAndCannotWrite() async throws {
        let cluster = try await TestPostgres.shared.value
        let name = try await cluster.createDatabase()
        let database = try await PostgresDatabase.open(url: try postgresURL(cluster.url(database: name)))
        try await Migrator.migrate(database)
        let users = UserRepository(database: database)
        _ = try await users.create(newUser("ann"))
        let binaries = cluster.binaries
        let port = cluster.port
        let counts = try await database.read { connection in
            let count = "SELECT count(*) AS n FROM \"user\""
            let before = try connection.queryFirst(count, []) { try $0.integer("n") }
            // Another session commits a user meanwhile (psql, waited for on this pool thread).
            let psql = Process()
            psql.executableURL = URL(fileURLWithPath: binaries + "/psql")
            psql.arguments = [
                "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", name, "-c",
                "INSERT INTO \"user\" (email, is_active, is_superuser, hashed_password, id)"
                    + " VALUES ('bob@example.com', true, false, '-', gen_random_uuid())",
            ]
            psql.environment = ["PGPASSWORD": TestPostgres.password]
            try psql.run()
            psql.waitUntilExit()
            let after = try connection.queryFirst(count, []) { try $0.integer("n") }
            return [before, after, Int64(psql.terminationStatus)]
        }
        #expect(counts == [1, 1, 0])
        #expect(try await users.list(skip: 0, limit: 10).count == 2)
        await #expect(throws: StorageError.self) {
            try await database.read { try $0.execute("DELETE FROM \"user\"", []) }
        }
        #expect(try await users.list(skip: 0, limit: 10).count == 2)
        await database.close()
    }

    /// PostgreSQL going away: transactions fail with `.unavailable` (never hang, never another
    /// error) and the pool reconnects by itself once it is back.
    @Test func whilePostgresIsDownTransactionsFailAsUnavailableAndThePoolRecovers() async throws {
        let cluster = try await TestPostgres.startPrivate()
        let url = try postgresURL(try await cluster.newDatabase())
        var options = PostgresDatabase.Options()
        options.connections = 2
        let database = try await PostgresDatabase.open(url: url, options: options)
        try await Migrator.migrate(database)
        let users = UserRepository(database: database)
        let ann = try await users.create(newUser("ann"))

        try await cluster.stop()
        for _ in 0..<4 {
            await #expect {
                try await users.find(id: ann.id)
            } throws: { error in
                guard case .unavailable = error as? StorageError else { return false }
                return true
            }
        }
        try await cluster.start()
        // The connections dropped while it was down are replaced at their next transaction.
        for _ in 0..<6 { #expect(try await users.find(id: ann.id) == ann) }
        _ = try await users.create(newUser("bea"))
        await database.close()
    }

    /// A connection the server closed while it was idle (a restart between two requests) is
    /// replaced at BEGIN, before anything was done: no transaction fails.
    @Test func aRestartBetweenTransactionsFailsNone() async throws {
        let cluster = try await TestPostgres.startPrivate()
        let url = try postgresURL(try await cluster.newDatabase())
        let database = try await PostgresDatabase.open(url: url)
        try await Migrator.migrate(database)
        let users = UserRepository(database: database)
        let ann = try await users.create(newUser("ann"))
        try await cluster.stop()
        try await cluster.start()
        for _ in 0..<20 { #expect(try await users.find(id: ann.id) == ann) }
        await database.close()
    }

    @Test func atStartUpTheServerIsWaitedForWithLoggedRetries() async throws {
        let cluster = try await TestPostgres.startPrivate()
        let url = try postgresURL(try await cluster.newDatabase())
        try await cluster.stop()
        let lines = Mutex<[String]>([])
        let logger = Logger(level: .info) { _, line in lines.withLock { $0.append(line) } }
        var options = PostgresDatabase.Options()
        options.startupWait = .seconds(600)
        let opening = Task { [options] in try await PostgresDatabase.open(url: url, options: options, logger: logger) }
        while lines.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(50)) }
        try await cluster.start()
        let database = try await opening.value
        #expect(try await Migrator.migrate(database) == [1, 2])
        await database.close()
        let first = try #require(lines.withLock { $0.first })
        #expect(first.contains("waiting for PostgreSQL at postgresql://postgres:***@127.0.0.1:\(cluster.port)/"))
        #expect(!first.contains(TestPostgres.password))
    }

    @Test func aServerThatNeverComesIsGivenUpAfterTheWait() async throws {
        var options = PostgresDatabase.Options()
        options.startupWait = .seconds(2)
        let url = try postgresURL("postgresql://app:secret@127.0.0.1:\(try freeLoopbackPort())/app")
        await #expect {
            try await PostgresDatabase.open(url: url, options: options)
        } throws: { error in
            guard case .unavailable(let message) = error as? StorageError else { return false }
            return !message.contains("secret")
        }
    }
}

/// Runs `body` with a new, migrated PostgreSQL database, then closes it.
private func withPostgres(_ body: (PostgresDatabase) async throws -> Void) async throws {
    let database = try await openTestPostgres()
    try await Migrator.migrate(database)
    do {
        try await body(database)
    } catch {
        await database.close()
        throw error
    }
    await database.close()
}

func postgresURL(_ text: String) throws -> PostgresURL {
    guard case .postgresql(let url) = try DatabaseLocation(url: text) else { throw StorageError.invalidURL(text) }
    return url
}

extension Sequence {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
