// Migrations: applied once and recorded, idempotent across reopenings, and rolled back when they fail.

import Foundation
import Storage
import StoragePostgres
import StorageSQLite
import Testing

struct MigrationTests {
    /// Each engine's list names every file of its Migrations folder, with the file's text: a file
    /// left off the list would never run.
    @Test(arguments: [
        ("StorageSQLite", "sqlite", SQLiteDatabase.migrations),
        ("StoragePostgres", "postgresql", PostgresDatabase.migrations),
    ])
    func theEnginesListNamesEveryMigrationFile(module: String, engine: String, migrations: [Migration]) throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../packages/backend/Sources/\(module)/Migrations").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }
        let listed = Set(
            migrations.map { "V" + String(1_0000 + $0.version).dropFirst() + "__\($0.name).\(engine).sql" })
        #expect(Set(files) == listed)
        for migration in migrations {
            let file = "V" + String(1_0000 + migration.version).dropFirst() + "__\(migration.name).\(engine).sql"
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(text == migration.sql, "\(file) is not what the list embeds")
        }
    }

    @Test func migrationsAreAppliedOnceAndRecorded() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/nested/dir/app.db"
        for expected in [[1, 2, 3], []] {
            let database = try await SQLiteDatabase.open(path: path)
            #expect(try await Migrator.migrate(database) == expected)
            #expect(try await Migrator.migrate(database) == [])
            let recorded = try await database.read {
                try $0.query("SELECT version, name FROM schema_migrations", []) { try $0.text("name") }
            }
            #expect(recorded == ["create_user_and_item", "order_by_index", "time_indexes_ascending"])
            await database.close()
        }
    }

    @Test func aFailingMigrationLeavesNoTrace() async throws {
        try await withSQLiteDatabase { database, _ in
            let broken = Migration(version: 4, name: "broken", sql: "CREATE TABLE half (x INTEGER); SELECT nonsense(;")
            await #expect {
                try await Migrator.migrate(database, migrations: SQLiteDatabase.migrations + [broken])
            } throws: { error in
                guard case .migration(4, "broken", _) = error as? StorageError else { return false }
                return true
            }
            let tables = try await database.read {
                try $0.query("SELECT name FROM sqlite_master WHERE name = 'half'", []) { try $0.text("name") }
            }
            #expect(tables.isEmpty)
            let versions = try await database.read {
                try $0.query("SELECT version FROM schema_migrations", []) { try $0.integer("version") }
            }
            #expect(versions.count == 3)
        }
    }

    @Test func aVersion1DatabaseIsUpgradedAndListsStraightOffTheIndexes() async throws {
        try await withSQLiteDatabase(migrate: false) { database, _ in
            #expect(
                try await Migrator.migrate(database, migrations: Array(SQLiteDatabase.migrations.prefix(1))) == [1])
            #expect(try await Migrator.migrate(database) == [2, 3])
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

    @Test func listingIndexesStayFullUnderTimeOrderedInserts() async throws {
        try await withSQLiteDatabase { database, _ in
            let owner = try await UserRepository(database: database).create(newUser("owner"))
            // One insert at a time, each the newest, as items are created; then the same indexes
            // rebuilt from scratch, which packs their pages full.
            let indexes = ["ix_item_created_at_id", "ix_item_owner_id_created_at_id"]
            let (grown, rebuilt) = try await database.write { connection in
                for n in 0..<3000 {
                    try connection.execute(
                        "INSERT INTO item (id, title, owner_id, created_at) VALUES (?, 'item', ?, ?)",
                        [
                            .text(UUID().uuidString.lowercased()), .text(owner.id.uuidString.lowercased()),
                            .integer(Int64(n)),
                        ])
                }
                let pages = { () throws -> [Int64] in
                    try indexes.map { index in
                        try connection.queryFirst("SELECT count(*) AS pages FROM dbstat WHERE name = ?", [.text(index)])
                        {
                            try $0.integer("pages")
                        } ?? 0
                    }
                }
                let grown = try pages()
                for index in indexes { try connection.execute("REINDEX \(index)", []) }
                return (grown, try pages())
            }
            for (index, (grown, rebuilt)) in zip(indexes, zip(grown, rebuilt)) {
                #expect(
                    rebuilt > 5 && Double(grown) <= Double(rebuilt) * 1.2, "\(index): \(grown) pages, \(rebuilt) packed"
                )
            }
        }
    }

    @Test func aDatabaseFromANewerBuildIsRefused() async throws {
        try await withSQLiteDatabase { database, _ in
            _ = try await database.write {
                try $0.execute("INSERT INTO schema_migrations VALUES (99, 'future', 'now')", [])
            }
            await #expect(throws: StorageError.self) { try await Migrator.migrate(database) }
        }
    }
}
