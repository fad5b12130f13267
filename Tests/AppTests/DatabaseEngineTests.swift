// The one place that picks the database engine from DATABASE_URL.

import App
import Foundation
import Storage
import StoragePostgres
import StorageSQLite
import TestSupport
import Testing

@Suite struct DatabaseEngineTests {
    @Test func sqliteURLsOpenTheSQLiteEngine() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engine-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = try DatabaseLocation(url: "sqlite:///" + folder.appendingPathComponent("app.db").path)
        let database = try await openDatabase(location)
        #expect(database is SQLiteDatabase)
        #expect(database.migrations == SQLiteDatabase.migrations)
        await database.close()
    }

    @Test func postgresqlURLsOpenThePostgreSQLEngine() async throws {
        let url = try await TestPostgres.shared.value.newDatabase()
        let database = try await openDatabase(try DatabaseLocation(url: url))
        #expect(database is PostgresDatabase)
        #expect(database.migrations == PostgresDatabase.migrations)
        await database.close()
    }

    @Test func aWrongPasswordFailsAtOnceAndTheErrorHidesIt() async throws {
        let cluster = try await TestPostgres.shared.value
        let url = "postgresql://postgres:not-the-password@127.0.0.1:\(cluster.port)/postgres"
        let started = ContinuousClock.now
        do {
            _ = try await openDatabase(try DatabaseLocation(url: url))
            Issue.record("a wrong password should be refused")
        } catch let error as StorageError {
            guard case .engine(_, let message) = error else { return #expect(Bool(false), "\(error)") }
            #expect(message.contains("password authentication failed"))
            #expect(!"\(error)".contains("not-the-password"))
        }
        // Refused, not waited for: the start-up wait is for a server that cannot be reached.
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
