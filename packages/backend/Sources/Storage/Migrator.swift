// Versioned schema migrations: numbered SQL files per engine, applied in order, each atomically,
// recorded in `schema_migrations`; applying them again changes nothing, and processes migrating
// at once apply each migration once (the engine's write or advisory lock). Each engine's module
// keeps its files in Migrations/VNNNN__name.<engine>.sql, embeds them in the binary and lists
// them as its `Database.migrations` (a test checks that the list names every file).

public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// A migration embedded in the binary as bytes (an engine's `PackageResources`).
    public init(version: Int, name: String, sql: [UInt8]) {
        self.init(version: version, name: name, sql: String(decoding: sql, as: UTF8.self))
    }
}

public enum Migrator {
    /// Applies the migrations `database` has not recorded yet and returns their versions.
    @discardableResult
    public static func migrate(_ database: any Database, migrations: [Migration]? = nil) async throws -> [Int] {
        let migrations = (migrations ?? database.migrations).sorted { $0.version < $1.version }
        let known = Set(migrations.map(\.version))
        let lock = database.migrationLockSQL
        let recorded = try await database.write { connection in
            if let lock { try connection.execute(lock, []) }
            try connection.executeScript(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                );
                """)
            return try connection.query("SELECT version FROM schema_migrations", []) { try $0.integer("version") }
        }
        if let newer = recorded.map(Int.init).filter({ !known.contains($0) }).max() {
            throw StorageError.migration(
                version: newer, name: "?",
                message: "the database has a migration this build does not know; upgrade the build")
        }
        var applied: [Int] = []
        for migration in migrations where try await apply(migration, to: database, lock: lock) {
            applied.append(migration.version)
        }
        return applied
    }

    /// Runs one migration in a transaction unless it is already recorded; true when it ran.
    /// `lock` runs first, so that of several processes migrating at once, one applies it.
    private static func apply(_ migration: Migration, to database: any Database, lock: String?) async throws -> Bool {
        do {
            return try await database.write { connection in
                if let lock { try connection.execute(lock, []) }
                let parameters: [SQLValue] = [.integer(Int64(migration.version))]
                if try connection.queryFirst("SELECT 1 FROM schema_migrations WHERE version = ?", parameters, { _ in })
                    != nil
                {
                    return false
                }
                try connection.executeScript(migration.sql)
                try connection.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    parameters + [.text(migration.name), .text(Timestamp.now().rfc3339)])
                return true
            }
        } catch let error as StorageError {
            throw StorageError.migration(version: migration.version, name: migration.name, message: error.description)
        }
    }
}
