// Writes that queue behind a busy writer commit together: each is answered with its own result or
// error, a failing one takes back only its own work, a write that rolls back the whole
// transaction fails the batch so far (never a silent loss), and close refuses new writes while
// answering the queued ones. What was acknowledged is exactly what is stored.

import CSQLite
import Foundation
import Synchronization
import Testing

@testable import Storage
@testable import StorageSQLite

/// Holds the writer connection inside a write until released, so that later writes queue.
private final class WriterHold: Sendable {
    private let started = Atomic<Bool>(false)
    private let released = Atomic<Bool>(false)

    func hold(_ database: SQLiteDatabase) async throws {
        try await database.write { [self] _ in
            started.store(true, ordering: .releasing)
            while !released.load(ordering: .acquiring) { usleep(1000) }
        }
    }

    func waitUntilHeld() async throws {
        while !started.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(1)) }
    }

    func release() { released.store(true, ordering: .releasing) }
}

/// Waits until `count` writes wait for the writer.
private func waitForQueue(_ database: SQLiteDatabase, count: Int) async throws {
    while database.writeQueue.queued < count { try await Task.sleep(for: .milliseconds(1)) }
}

private func insertUser(_ email: String, conflict: String = "") -> @Sendable (any SQLConnection) throws -> String {
    { connection in
        try connection.execute(
            "INSERT \(conflict) INTO \"user\" (id, email, is_active, is_superuser, hashed_password) "
                + "VALUES (?, ?, 1, 0, 'h')", [.text(UUID().uuidString.lowercased()), .text(email)])
        return email
    }
}

struct GroupCommitTests {
    struct Abort: Error {}

    enum Outcome: Equatable {
        case committed(String)
        case aborted
        case duplicate
        case lostWithTheBatch
        case other(String)

        init(_ result: Result<String, any Error>) {
            switch result {
            case .success(let email): self = .committed(email)
            case .failure(is Abort): self = .aborted
            case .failure(StorageError.duplicate): self = .duplicate
            case .failure(StorageError.engine(code: SQLITE_ABORT, message: _)): self = .lostWithTheBatch
            case .failure(let error): self = .other("\(error)")
            }
        }
    }

    /// Queues `writes` in order behind a held writer, releases it, and returns their outcomes.
    private func runAsOneBatch(
        _ database: SQLiteDatabase, _ writes: [@Sendable (any SQLConnection) throws -> String]
    ) async throws -> [Outcome] {
        let hold = WriterHold()
        async let holding: Void = hold.hold(database)
        try await hold.waitUntilHeld()
        var tasks: [Task<Result<String, any Error>, Never>] = []
        for (index, write) in writes.enumerated() {
            tasks.append(
                Task {
                    do { return .success(try await database.write(write)) } catch { return .failure(error) }
                })
            try await waitForQueue(database, count: index + 1)
        }
        hold.release()
        try await holding
        var outcomes: [Outcome] = []
        for task in tasks { outcomes.append(Outcome(await task.value)) }
        return outcomes
    }

    private func storedEmails(_ database: SQLiteDatabase) async throws -> [String] {
        try await UserRepository(database: database).list(skip: 0, limit: 1000).data.map(\.email).sorted()
    }

    @Test func eachQueuedWriteGetsItsOwnOutcome() async throws {
        try await withSQLiteDatabase { database, directory in
            _ = try await UserRepository(database: database).create(newUser("taken"))
            let writes: [@Sendable (any SQLConnection) throws -> String] = (0..<30).map { index in
                switch index % 3 {
                case 0: insertUser("user\(index)@example.com")
                case 1:
                    { connection in
                        _ = try insertUser("aborted\(index)@example.com")(connection); throw Abort()
                    }
                default: insertUser("taken@example.com")
                }
            }
            let outcomes = try await runAsOneBatch(database, writes)
            for (index, outcome) in outcomes.enumerated() {
                let expected: Outcome = [.committed("user\(index)@example.com"), .aborted, .duplicate][index % 3]
                #expect(outcome == expected, "write \(index)")
            }
            let acknowledged = stride(from: 0, to: 30, by: 3).map { "user\($0)@example.com" } + ["taken@example.com"]
            #expect(try await storedEmails(database) == acknowledged.sorted())
            // Another connection to the file sees exactly that.
            let other = try await SQLiteDatabase.open(path: directory.path + "/app.db")
            let seen = try await storedEmails(other)
            await other.close()
            #expect(seen == acknowledged.sorted())
        }
    }

    @Test func aWriteThatRollsBackTheTransactionFailsTheBatchSoFar() async throws {
        try await withSQLiteDatabase { database, _ in
            _ = try await UserRepository(database: database).create(newUser("taken"))
            // OR ROLLBACK: the conflict rolls back the whole transaction, not just the statement.
            let outcomes = try await runAsOneBatch(
                database,
                [
                    insertUser("first@example.com"), insertUser("second@example.com"),
                    insertUser("taken@example.com", conflict: "OR ROLLBACK"), insertUser("after@example.com"),
                ])
            #expect(outcomes == [.lostWithTheBatch, .lostWithTheBatch, .duplicate, .committed("after@example.com")])
            #expect(try await storedEmails(database) == ["after@example.com", "taken@example.com"])
        }
    }

    @Test func closeAnswersQueuedWritesAndRefusesNewOnes() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let database = try await SQLiteDatabase.open(path: directory.path + "/app.db")
        try await Migrator.migrate(database)
        let hold = WriterHold()
        async let holding: Void = hold.hold(database)
        try await hold.waitUntilHeld()
        let queued = Task { try await database.write(insertUser("queued@example.com")) }
        try await waitForQueue(database, count: 1)
        let closing = Task { await database.close() }
        while !database.writeQueue.closed { try await Task.sleep(for: .milliseconds(1)) }
        await #expect(throws: StorageError.closed) { try await database.write(insertUser("late@example.com")) }
        hold.release()
        try await holding
        #expect(try await queued.value == "queued@example.com")
        await closing.value

        let reopened = try await SQLiteDatabase.open(path: directory.path + "/app.db")
        let stored = try await storedEmails(reopened)
        await reopened.close()
        #expect(stored == ["queued@example.com"])
    }
}
