// Migrations: applied once and recorded, idempotent across reopenings, and rolled back when they fail.

import Storage
import Testing

struct MigrationTests {
    @Test func migrationsAreAppliedOnceAndRecorded() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/nested/dir/app.db"
        for expected in [[1, 2], []] {
            let database = try await SQLiteDatabase.open(path: path)
            #expect(try await Migrator.migrate(database) == expected)
            #expect(try await Migrator.migrate(database) == [])
            let recorded = try await database.read {
                try $0.query("SELECT version, name FROM schema_migrations", []) { try $0.text("name") }
            }
            #expect(recorded == ["create_user_and_item", "order_by_index"])
            await database.close()
        }
    }

    @Test func aFailingMigrationLeavesNoTrace() async throws {
        try await withTestDatabase { database, _ in
            let broken = Migration(version: 3, name: "broken", sql: "CREATE TABLE half (x INTEGER); SELECT nonsense(;")
            await #expect {
                try await Migrator.migrate(database, migrations: Migration.all(for: .sqlite) + [broken])
            } throws: { error in
                guard case .migration(3, "broken", _) = error as? StorageError else { return false }
                return true
            }
            let tables = try await database.read {
                try $0.query("SELECT name FROM sqlite_master WHERE name = 'half'", []) { try $0.text("name") }
            }
            #expect(tables.isEmpty)
            let versions = try await database.read {
                try $0.query("SELECT version FROM schema_migrations", []) { try $0.integer("version") }
            }
            #expect(versions.count == 2)
        }
    }

    @Test func aVersion1DatabaseIsUpgradedAndListsStraightOffTheIndexes() async throws {
        try await withTestDatabase(migrate: false) { database, _ in
            #expect(
                try await Migrator.migrate(database, migrations: Array(Migration.all(for: .sqlite).prefix(1))) == [1])
            #expect(try await Migrator.migrate(database) == [2])
            for listing in [
                #"SELECT id FROM item ORDER BY created_at DESC, id LIMIT 100 OFFSET 0"#,
                #"SELECT id FROM item WHERE owner_id = 'x' ORDER BY created_at DESC, id LIMIT 100 OFFSET 0"#,
                #"SELECT id FROM "user" ORDER BY created_at DESC, id LIMIT 100 OFFSET 0"#,
            ] {
                let steps = try await database.read {
                    try $0.query("EXPLAIN QUERY PLAN " + listing, []) { try $0.text("detail") }
                }
                #expect(
                    steps.contains { $0.contains("USING INDEX") || $0.contains("USING COVERING INDEX") }, "\(steps)")
                #expect(!steps.contains { $0.contains("TEMP B-TREE") }, "sorts instead of reading the index: \(steps)")
            }
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
