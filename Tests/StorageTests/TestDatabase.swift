// Test fixtures: a fresh migrated database on the engine TEST_DATABASE selects (SQLite by
// default, or a new database in the tests' PostgreSQL cluster), and a SQLite database in a fresh
// temporary directory for the SQLite engine's own tests.

import Foundation
import Storage
import StoragePostgres
import StorageSQLite
import TestSupport

struct TestDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("storage-tests-\(UUID())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The size in bytes of the file `name` in this directory (throws when there is none).
    func fileSize(_ name: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int
    }
}

/// Runs `body` with a new, migrated database of the selected engine, then closes it.
@discardableResult
func withTestDatabase<T>(migrate: Bool = true, _ body: (any Database) async throws -> T) async throws -> T {
    guard TestPostgres.isSelected else {
        return try await withSQLiteDatabase(migrate: migrate) { database, _ in try await body(database) }
    }
    let database = try await openTestPostgres()
    do {
        if migrate { try await Migrator.migrate(database) }
        let result = try await body(database)
        await database.close()
        return result
    } catch {
        await database.close()
        throw error
    }
}

/// A new, empty database in the tests' PostgreSQL cluster, opened with `connections` connections.
func openTestPostgres(connections: Int = 2) async throws -> PostgresDatabase {
    var options = PostgresDatabase.Options()
    options.connections = connections
    return try await PostgresDatabase.open(url: postgresURL(TestPostgres.shared.value.newDatabase()), options: options)
}

/// Runs `body` with a freshly opened and migrated SQLite database, then closes it and deletes its directory.
@discardableResult
func withSQLiteDatabase<T>(
    options: SQLiteDatabase.Options = SQLiteDatabase.Options(), migrate: Bool = true,
    _ body: (SQLiteDatabase, TestDirectory) async throws -> T
) async throws -> T {
    let directory = try TestDirectory()
    defer { directory.remove() }
    let database = try await SQLiteDatabase.open(path: directory.path + "/app.db", options: options)
    do {
        if migrate { try await Migrator.migrate(database) }
        let result = try await body(database, directory)
        await database.close()
        return result
    } catch {
        await database.close()
        throw error
    }
}

func newUser(_ name: String, superuser: Bool = false) -> NewUser {
    NewUser(email: "\(name)@example.com", hashedPassword: "hash-of-\(name)", fullName: name, isSuperuser: superuser)
}
