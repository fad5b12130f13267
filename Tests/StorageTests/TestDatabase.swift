// Test fixture: a migrated SQLite database in a fresh temporary directory, removed afterwards.

import Foundation
import Storage
import StorageSQLite

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

/// Runs `body` with a freshly opened and migrated database, then closes it and deletes its directory.
@discardableResult
func withTestDatabase<T>(
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
