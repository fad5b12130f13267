// The SQLite engine itself: pragmas, reads that do not wait for a long write, which threads run
// reads and writes, rollback, clear errors for misuse, and refusal after close.

import Dispatch
import Foundation
import Synchronization
import Testing
import Workers

@testable import Storage
@testable import StorageSQLite

struct SQLiteEngineTests {
    static let insertUser = "INSERT INTO \"user\" (id, email, is_active, is_superuser, hashed_password) "

    @Test func connectionsUseWALAndForeignKeys() async throws {
        try await withSQLiteDatabase { database, _ in
            let settings = try await database.read { connection in
                try connection.queryFirst(
                    "SELECT * FROM pragma_journal_mode, pragma_foreign_keys, pragma_synchronous, pragma_query_only", []
                ) { row in
                    (
                        try row.text("journal_mode"), try row.integer("foreign_keys"), try row.integer("synchronous"),
                        try row.integer("query_only")
                    )
                }
            }
            #expect(settings?.0 == "wal")
            #expect(settings?.1 == 1)
            #expect(settings?.2 == 1)  // NORMAL
            #expect(settings?.3 == 1)  // readers cannot write
        }
    }

    @Test func readsAreNotBlockedByALongWrite() async throws {
        try await withSQLiteDatabase { database, _ in
            let users = UserRepository(database: database)
            _ = try await users.create(newUser("committed"))
            let writeStarted = DispatchSemaphore(value: 0)
            let readFinished = DispatchSemaphore(value: 0)
            // The write holds its transaction open until the read has finished (or 10 s pass).
            async let writeSawReadFinish = database.write { connection in
                try connection.execute(
                    Self.insertUser + "VALUES (?, 'w', 1, 0, '-')",
                    [.text(UUID().uuidString.lowercased())])
                writeStarted.signal()
                return readFinished.wait(timeout: .now() + 10) == .success
            }
            let waiter = BlockingPool(name: "waiter", threads: 1, queueCapacity: 1)
            defer { waiter.shutdown() }
            try await waiter.run { writeStarted.wait() }
            let during = try await users.list(skip: 0, limit: 10)
            readFinished.signal()
            #expect(try await writeSawReadFinish)
            #expect(during.data.map(\.email) == ["committed@example.com"])  // the snapshot before the write
            #expect(try await users.list(skip: 0, limit: 10).count == 2)
        }
    }

    /// Reads and writes run on the engine's threads, never on the caller's (in the server, an event
    /// loop, which a read waiting for the disk would stall): reads on the reader threads, writes on
    /// the writer's.
    @Test func readsAndWritesRunOnTheEnginesThreadsNotTheCallers() async throws {
        try await withSQLiteDatabase { database, _ in
            let caller = OneThreadExecutor()
            defer { caller.stop() }
            let (read, write, backOnCaller) = try await Task(executorPreference: caller) {
                let read = try await database.read { _ in (caller.isCurrentThread, Self.threadName()) }
                let write = try await database.write { _ in (caller.isCurrentThread, Self.threadName()) }
                return (read, write, caller.isCurrentThread)
            }.value
            #expect(read.0 == false && read.1 == "sqlite-readers", "read on \(read)")
            #expect(write.0 == false && write.1 == "sqlite-writer", "write on \(write)")
            #expect(backOnCaller, "the task went on elsewhere than on its executor")
        }
    }

    /// The calling thread's name, as `top -H` shows it.
    static func threadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func preparedStatementsAreReusedAcrossTransactions() async throws {
        var options = SQLiteDatabase.Options()
        options.readers = 1
        try await withSQLiteDatabase(options: options) { database, _ in
            let users = UserRepository(database: database)
            for _ in 0..<3 { _ = try await users.find(email: "nobody@example.com") }
            let runs = try await database.read { connection -> Int64? in
                // sqlite_stmt lists this connection's prepared statements (Debian and Ubuntu build it in).
                guard
                    try connection.queryFirst(
                        "SELECT 1 FROM pragma_compile_options WHERE compile_options = ?", [.text("ENABLE_STMTVTAB")],
                        { _ in }) != nil
                else { return nil }
                return try connection.queryFirst(
                    "SELECT max(run) AS runs FROM sqlite_stmt WHERE sql LIKE ?", [.text("% WHERE email = ?")]
                ) { try $0.optionalInteger("runs") } ?? 0
            }
            #expect(runs == nil || runs == 3)  // nil only where SQLite lacks sqlite_stmt
        }
    }

    @Test func moreConcurrentReadsThanReaderConnectionsAllComplete() async throws {
        var options = SQLiteDatabase.Options()
        options.readers = 1
        try await withSQLiteDatabase(options: options) { database, _ in
            let results = try await withThrowingTaskGroup(of: Int64.self) { group in
                for number in Int64(0)..<20 {
                    group.addTask {
                        try await database.read {
                            try $0.queryFirst("SELECT ? AS n", [.integer(number)]) { try $0.integer("n") } ?? -1
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.sorted() == Array(0..<20))
        }
    }

    @Test func aSecondWriterOnTheSameFileWaitsForTheFirst() async throws {
        try await withSQLiteDatabase { first, directory in
            // Like a second process (prestart next to a running server): its own connections to the same file.
            let second = try await SQLiteDatabase.open(path: directory.path + "/app.db")
            let firstHoldsLock = DispatchSemaphore(value: 0)
            async let firstWrite: Void = first.write { connection in
                try connection.execute(Self.insertUser + "VALUES (?, 'first', 1, 0, '-')", [.text(UUID().uuidString)])
                firstHoldsLock.signal()
                usleep(200_000)
            }
            let waiter = BlockingPool(name: "waiter", threads: 1, queueCapacity: 1)
            defer { waiter.shutdown() }
            try await waiter.run { firstHoldsLock.wait() }
            _ = try await second.write { connection in
                try connection.execute(Self.insertUser + "VALUES (?, 'second', 1, 0, '-')", [.text(UUID().uuidString)])
            }
            try await firstWrite
            let emails = try await second.read {
                try $0.query("SELECT email FROM \"user\" ORDER BY rowid", []) { try $0.text("email") }
            }
            #expect(emails == ["first", "second"])
            await second.close()
        }
    }

    @Test func theWALIsCheckpointedInTheBackgroundOncePastTheThreshold() async throws {
        var options = SQLiteDatabase.Options()
        options.checkpointFrames = 8
        try await withSQLiteDatabase(options: options) { database, directory in
            func databaseFileSize() throws -> Int { try directory.fileSize("app.db") ?? 0 }
            let before = try databaseFileSize()
            for index in 0..<200 {
                _ = try await database.write { connection in
                    try connection.execute(
                        Self.insertUser + "VALUES (?, ?, 1, 0, ?)",
                        [
                            .text("id-\(index)"), .text("user\(index)@example.com"),
                            .text(String(repeating: "h", count: 200)),
                        ])
                }
            }
            // The writer's own automatic checkpoints are off: only the background checkpointer
            // copies the WAL's pages into the database file.
            var grown = false
            for _ in 0..<500 where !grown {  // up to 10 s, for a machine busy with other tests
                grown = try databaseFileSize() > before + 40_000
                if !grown { try await Task.sleep(for: .milliseconds(20)) }
            }
            let after = try databaseFileSize()
            #expect(grown, "the database file stayed at \(after) bytes (\(before) before)")
            let count = try await database.read {
                try $0.queryFirst("SELECT count(*) AS n FROM \"user\"", []) { try $0.integer("n") }
            }
            #expect(count == 200)
        }
    }

    /// Readers that never pause keep some reader on the WAL at every commit, so SQLite never starts
    /// the WAL over by itself (checkpoint starvation): under a steady load it grew by some 75 MB a
    /// second until the disk was full. The writer now starts it over once it is past its limit.
    @Test func theWALStartsOverWhileReadsNeverPause() async throws {
        var options = SQLiteDatabase.Options()
        options.checkpointFrames = 8
        options.walLimitFrames = 32
        try await withSQLiteDatabase(options: options) { database, directory in
            let writing = Flag(true)
            let readers = (0..<4).map { _ in
                Task {
                    var reads = 0
                    while writing.isSet {
                        _ = try await database.read {
                            try $0.queryFirst("SELECT count(*) AS n FROM \"user\"", []) { try $0.integer("n") }
                        }
                        reads += 1
                    }
                    return reads
                }
            }
            for index in 0..<600 {
                _ = try await database.write { connection in
                    try connection.execute(
                        Self.insertUser + "VALUES (?, ?, 1, 0, ?)",
                        [.text("id-\(index)"), .text("user\(index)@example.com"), .text("-")])
                }
            }
            writing.isSet = false
            for reader in readers { #expect(try await reader.value > 0) }
            // Whether a restart found a moment without readers meanwhile is up to the scheduler.
            // What the writer guarantees: once readers pause, the next writes past the limit
            // start the WAL over, and the file is cut back to its size limit (twice 32 frames).
            let restartsBefore = database.walRestarts
            var index = 600
            while database.walRestarts == restartsBefore && index < 5600 {
                _ = try await database.write { [index] connection in
                    try connection.execute(
                        Self.insertUser + "VALUES (?, ?, 1, 0, ?)",
                        [.text("id-\(index)"), .text("user\(index)@example.com"), .text("-")])
                }
                index += 1
            }
            #expect(database.walRestarts > restartsBefore, "no restart in \(index - 600) writes without readers")
            // The first commit after a restart writes the WAL from its start and cuts the file
            // to its limit (64 frames); a few commits may have come between.
            _ = try await database.write { [index] connection in
                try connection.execute(
                    Self.insertUser + "VALUES (?, ?, 1, 0, ?)",
                    [.text("id-\(index)"), .text("user\(index)@example.com"), .text("-")])
            }
            index += 1
            let walBytes = try directory.fileSize("app.db-wal")
            #expect((walBytes ?? .max) < 200 * 4120, "the WAL file has \(walBytes ?? -1) bytes")
            let count = try await database.read {
                try $0.queryFirst("SELECT count(*) AS n FROM \"user\"", []) { try $0.integer("n") }
            }
            #expect(count == Int64(index))
        }
    }

    /// A WAL that writes made large does not stay so once they stop: it is cut to nothing, and
    /// writes after that go on as before.
    @Test func theWALFileIsCutOnceWritesStop() async throws {
        var options = SQLiteDatabase.Options()
        options.idleTruncateAfter = .milliseconds(300)
        try await withSQLiteDatabase(options: options) { database, directory in
            func walBytes() throws -> Int { try directory.fileSize("app.db-wal") ?? -1 }
            func insert(_ index: Int) async throws {
                _ = try await database.write { connection in
                    try connection.execute(
                        Self.insertUser + "VALUES (?, ?, 1, 0, '-')",
                        [.text("id-\(index)"), .text("u\(index)@example.com")])
                }
            }
            for index in 0..<50 { try await insert(index) }
            #expect(try walBytes() > 0)
            var cut = false
            for _ in 0..<250 where !cut {  // up to 5 s, for a machine busy with other tests
                try await Task.sleep(for: .milliseconds(20))
                cut = try walBytes() == 0
            }
            let left = try walBytes()
            #expect(cut, "the WAL file still has \(left) bytes")
            try await insert(50)
            let count = try await database.read {
                try $0.queryFirst("SELECT count(*) AS n FROM \"user\"", []) { try $0.integer("n") }
            }
            #expect(count == 51)
        }
    }

    @Test func aThrowingWriteIsRolledBack() async throws {
        struct Abort: Error {}
        try await withSQLiteDatabase { database, _ in
            await #expect(throws: Abort.self) {
                try await database.write { connection in
                    try connection.execute(
                        Self.insertUser + "VALUES (?, ?, 1, 0, ?)",
                        [.text("id"), .text("e"), .text("h")])
                    throw Abort()
                }
            }
            let users = try await UserRepository(database: database).list(skip: 0, limit: 10)
            #expect(users.count == 0)
        }
    }

    @Test func valuesRoundTripThroughEveryType() async throws {
        try await withSQLiteDatabase { database, _ in
            let values: [SQLValue] = [
                .null, .integer(.min), .integer(.max), .real(-1.5), .text("héllo\u{0}wörld"), .blob([0, 1, 255]),
                .blob([]), .text(""),
            ]
            let row = try await database.read { connection in
                try connection.queryFirst("SELECT ?, ?, ?, ?, ?, ?, ?, ?", values) { try $0.values }
            }
            #expect(row == values)
        }
    }

    /// A row is a view of the statement's current row: reading it after its callback throws instead
    /// of reading whatever the statement is on, and a statement cannot be rerun from its own rows.
    @Test func rowsAreReadOnlyWhileCurrent() async throws {
        try await withSQLiteDatabase { database, _ in
            let readAfterwards = try await database.read { connection -> String in
                let escaped = try connection.queryFirst("SELECT 1 AS n", []) { $0 }
                do { return "read \(try escaped?.integer("n") ?? 0)" } catch { return "\(error)" }
            }
            #expect(readAfterwards.contains("row read after its query moved on"), "\(readAfterwards)")
            await #expect {
                try await database.read { connection in
                    try connection.query("SELECT 1 AS n UNION ALL SELECT 2", []) { _ in
                        try connection.query("SELECT 1 AS n UNION ALL SELECT 2", []) { try $0.integer("n") }
                    }
                }
            } throws: { "\($0)".contains("run again while its rows are being read") }
            // Another statement may run from a row; a statement stopped early runs again from its start.
            let nested = try await database.read { connection in
                try connection.query("SELECT 1 AS n UNION ALL SELECT 2", []) { row in
                    try row.integer("n") * 10
                        + (connection.queryFirst("SELECT 1 AS n UNION ALL SELECT 2 ORDER BY n DESC", []) {
                            try $0.integer("n")
                        } ?? 0)
                }
            }
            #expect(nested == [12, 22])
        }
    }

    @Test func misuseGetsClearErrors() async throws {
        try await withSQLiteDatabase { database, _ in
            await #expect {
                try await database.read { try $0.query("SELECT ?", []) { try $0.values } }
            } throws: { "\($0)".contains("0 parameters given, 1 expected") }
            await #expect {
                try await database.read { try $0.query("SELECT 1; SELECT 2", []) { try $0.values } }
            } throws: { "\($0)".contains("one statement expected") }
            await #expect {
                try await database.read { try $0.query("SELEKT 1", []) { try $0.values } }
            } throws: { "\($0)".contains("syntax error") }
            await #expect {
                try await database.read { try $0.queryFirst("SELECT 'text' AS n", []) { try $0.integer("n") } }
            } throws: { "\($0)".contains("column 'n': expected an integer") }
            await #expect {
                try await database.read { try $0.queryFirst("SELECT 1 AS n", []) { try $0.text("missing") } }
            } throws: { "\($0)".contains("no column 'missing'") }
            await #expect {
                try await database.read { try $0.execute("DELETE FROM \"user\"", []) }
            } throws: { "\($0)".contains("readonly") }
        }
    }

    @Test func aClosedDatabaseRefusesWork() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let database = try await SQLiteDatabase.open(path: directory.path + "/app.db")
        await database.close()
        await #expect(throws: StorageError.closed) { try await database.read { _ in 1 } }
        await #expect(throws: StorageError.closed) { try await database.write { _ in 1 } }
    }

    /// Closing from several tasks at once, while reads are queued, closes each connection once:
    /// the queued reads finish or are refused, and nothing crashes.
    @Test func concurrentClosesCloseOnce() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let database = try await SQLiteDatabase.open(path: directory.path + "/app.db")
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    do {
                        return
                            "\(try await database.read { try $0.queryFirst("SELECT 1 AS n", []) { try $0.integer("n") } } ?? 0)"
                    } catch StorageError.closed {
                        return "closed"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    await database.close(); return "closed"
                }
            }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(outcomes.isSubset(of: ["1", "closed"]), "\(outcomes)")
        await #expect(throws: StorageError.closed) { try await database.read { _ in 1 } }
    }
}

/// A task executor with a thread of its own, which runs its jobs in order until stopped.
private final class OneThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false
    private var thread: pthread_t?

    init() {
        Thread { [self] in
            condition.lock()
            thread = pthread_self()
            condition.unlock()
            while let job = next() { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }.start()
    }

    var isCurrentThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return thread.map { pthread_equal(pthread_self(), $0) != 0 } ?? false
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        precondition(!stopped, "a job for a stopped executor would never run")
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func next() -> UnownedJob? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !stopped { condition.wait() }
        return jobs.isEmpty ? nil : jobs.removeFirst()
    }
}

/// A flag one task lowers and others watch.
private final class Flag: Sendable {
    private let value: Atomic<Bool>
    init(_ value: Bool) { self.value = Atomic(value) }
    var isSet: Bool {
        get { value.load(ordering: .relaxed) }
        set { value.store(newValue, ordering: .relaxed) }
    }
}
