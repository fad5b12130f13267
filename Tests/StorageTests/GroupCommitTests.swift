// Writes that queue behind a busy writer commit together: each is answered with its own result or
// error, a failing one takes back only its own work, and what was acknowledged is in the file.

import Foundation
import Storage
import Testing

struct GroupCommitTests {
    struct Abort: Error {}

    enum Outcome: Equatable {
        case committed(String)
        case aborted
        case constraint
    }

    @Test func queuedWritesEachGetTheirOwnOutcome() async throws {
        try await withTestDatabase { database, directory in
            let users = UserRepository(database: database)
            _ = try await users.create(newUser("taken"))
            // Holds the writer so that every write below queues and joins one batch.
            async let holder: Void = database.write { _ in Thread.sleep(forTimeInterval: 0.3) }
            try await Task.sleep(for: .milliseconds(50))
            let outcomes = await withTaskGroup(of: (Int, Outcome).self) { group in
                for index in 0..<60 {
                    group.addTask {
                        do {
                            switch index % 3 {
                            case 0:
                                return (index, .committed(try await users.create(newUser("user\(index)")).email))
                            case 1:
                                // Inserts a row, then fails: the row must not survive.
                                _ = try await database.write { connection in
                                    try connection.execute(
                                        SQLiteEngineTests.insertUser + "VALUES (?, ?, 1, 0, 'h')",
                                        [.text(UUID().uuidString.lowercased()), .text("aborted\(index)@example.com")])
                                    throw Abort()
                                }
                                return (index, .committed("unreachable"))
                            default:
                                _ = try await users.create(newUser("taken"))
                                return (index, .committed("duplicate accepted"))
                            }
                        } catch is Abort {
                            return (index, .aborted)
                        } catch StorageError.constraint {
                            return (index, .constraint)
                        } catch {
                            return (index, .committed("unexpected \(error)"))
                        }
                    }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            try await holder
            for index in 0..<60 {
                let expected: Outcome =
                    switch index % 3 {
                    case 0: .committed("user\(index)@example.com")
                    case 1: .aborted
                    default: .constraint
                    }
                #expect(outcomes[index] == expected, "write \(index)")
            }
            let stored = try await users.list(skip: 0, limit: 1000).data.map(\.email).sorted()
            let acknowledged = (0..<60).filter { $0 % 3 == 0 }.map { "user\($0)@example.com" } + ["taken@example.com"]
            #expect(stored == acknowledged.sorted())

            // What was acknowledged is in the file: another connection to it sees exactly that.
            let other = try await SQLiteDatabase.open(path: directory.path + "/app.db")
            let count = try await UserRepository(database: other).list(skip: 0, limit: 1000).count
            await other.close()
            #expect(count == acknowledged.count)
        }
    }

    @Test func writesQueuedAtCloseAreRefusedNotLost() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let database = try await SQLiteDatabase.open(path: directory.path + "/app.db")
        try await Migrator.migrate(database)
        let users = UserRepository(database: database)
        async let holder: Void = database.write { _ in Thread.sleep(forTimeInterval: 0.2) }
        try await Task.sleep(for: .milliseconds(50))
        async let queued = users.create(newUser("queued"))
        try await Task.sleep(for: .milliseconds(20))
        await database.close()
        try await holder
        // Queued before close: it runs in the batch close waited for, and is answered.
        let user = try await queued
        #expect(user.email == "queued@example.com")
        await #expect(throws: StorageError.closed) { try await users.create(newUser("late")) }
    }
}
