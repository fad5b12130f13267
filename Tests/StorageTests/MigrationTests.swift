// Migrations: applied once and recorded, idempotent across reopenings, and rolled back when they fail.

import Storage
import Testing

struct MigrationTests {
    @Test func migrationsAreAppliedOnceAndRecorded() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/nested/dir/app.db"
        for expected in [[1], []] {
            let database = try await SQLiteDatabase.open(path: path)
            #expect(try await Migrator.migrate(database) == expected)
            #expect(try await Migrator.migrate(database) == [])
            let recorded = try await database.read { try $0.query("SELECT version, name FROM schema_migrations", []) }
            #expect(recorded.count == 1)
            #expect(try recorded.first?.text("name") == "create_user_and_item")
            await database.close()
        }
    }

    @Test func aFailingMigrationLeavesNoTrace() async throws {
        try await withTestDatabase { database, _ in
            let broken = Migration(version: 2, name: "broken", sql: "CREATE TABLE half (x INTEGER); SELECT nonsense(;")
            await #expect {
                try await Migrator.migrate(database, migrations: Migration.all(for: .sqlite) + [broken])
            } throws: { error in
                guard case .migration(2, "broken", _) = error as? StorageError else { return false }
                return true
            }
            let tables = try await database.read {
                try $0.query("SELECT name FROM sqlite_master WHERE name = 'half'", [])
            }
            #expect(tables.isEmpty)
            let versions = try await database.read { try $0.query("SELECT version FROM schema_migrations", []) }
            #expect(versions.count == 1)
        }
    }

    @Test func aDatabaseFromANewerBuildIsRefused() async throws {
        try await withTestDatabase { database, _ in
            _ = try await database.write {
                try $0.execute("INSERT INTO schema_migrations VALUES (99, 'future', 'now')", [])
            }
            await #expect(throws: StorageError.self) { try await Migrator.migrate(database) }
        }
    }
}
