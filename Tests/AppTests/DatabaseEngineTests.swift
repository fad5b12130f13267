// The one place that picks the database engine from DATABASE_URL.

import App
import Foundation
import Storage
import StorageSQLite
import Testing

@Suite struct DatabaseEngineTests {
    @Test func sqliteURLsOpenTheSQLiteEngine() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engine-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await openDatabase(url: "sqlite:///" + folder.appendingPathComponent("app.db").path)
        #expect(database is SQLiteDatabase)
        #expect(database.migrations == SQLiteDatabase.migrations)
        await database.close()
    }

    @Test func postgresqlIsNotSupportedYetAndTheErrorHidesThePassword() async throws {
        do {
            _ = try await openDatabase(url: "postgresql://app:secret@db:5432/app")
            Issue.record("opening a PostgreSQL URL should fail")
        } catch let error as StorageError {
            #expect("\(error)".contains("not supported yet"))
            #expect(!"\(error)".contains("secret"))
        }
    }
}
