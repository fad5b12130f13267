// The SQLite engine of `Database`: one writer connection and a few reader connections on a WAL
// database file, every sqlite call on the engine's own threads.
//
// With WAL, readers see the last committed snapshot and never wait for the writer, and every
// connection has a thread of its own, so a long write never delays a read, and a read that waits
// for the disk never holds up an event loop. Each reader thread owns its connection: a read waits
// in the reader pool's queue and runs on the first thread free. Writes go straight to the writer's
// thread, serialised by the single writer connection, and those that queue up behind it commit
// together (GroupCommit); across processes the busy timeout makes writers wait their turn.
// Checkpoints run in the background on a connection of their own (BackgroundCheckpoints), and
// once writes have stopped for a while, the WAL file is cut to nothing.
//
// Reads were once run on the caller's thread instead (an event loop, with a free reader
// connection): that saved two thread wake-ups a read, yet on two cores `GET /users/me` went about
// 12% slower, with `POST /items/` about 7% faster and listings no different; and it let a read
// that waits for the disk stall every connection of its loop.

import FoundationEssentials
import Storage
import Synchronization
import Workers

public final class SQLiteDatabase: Database {
    public struct Options: Sendable {
        /// Reader connections (each with a thread of its own) besides the writer; at least 1.
        public var readers = 3
        /// How long a connection waits for a lock held by another process before failing with SQLITE_BUSY.
        public var busyTimeout = Duration.seconds(5)
        /// Reads that may wait for a reader thread before callers get `BlockingPoolError.queueFull`.
        public var queueCapacity = 4096
        /// WAL size, in frames (pages), past which a background checkpoint starts (SQLite's default is 1000).
        public var checkpointFrames: Int32 = 1000
        /// WAL size, in frames, past which the writer starts the WAL over between two commits
        /// (64 MiB of 4 KiB pages; the file is cut back to twice this when it starts over). Writes
        /// wait for it, for milliseconds under load: only a steady load that never lets SQLite
        /// start over by itself gets there.
        public var walLimitFrames: Int32 = 16_384
        /// The most queued writes one transaction commits together.
        public var writeBatchLimit = 128
        /// After writes have stopped for this long (between this and twice this), the WAL file is
        /// checkpointed whole and cut to nothing.
        public var idleTruncateAfter = Duration.seconds(30)

        public init() {}

        /// The WAL limit in effect: never below the checkpoint threshold.
        var walLimit: Int32 { max(walLimitFrames, checkpointFrames, 1) }
    }

    public var engine: DatabaseEngine { .sqlite }
    public let path: String
    /// The checkpointer's thread, which also opens and closes the connections.
    private let pool: BlockingPool
    private let checkpointer: SQLiteConnection
    /// The writer's thread, which owns the writer connection.
    private let writer: BlockingPool
    private let writerConnection: SQLiteConnection
    private let writes: GroupCommit
    private let checkpoints: BackgroundCheckpoints
    /// A thread per reader connection, which owns it.
    private let readers: BlockingPool
    private let readerConnections: [SQLiteConnection]
    private let closing = Atomic<Bool>(false)
    /// Cuts the WAL file once writes have stopped for a while.
    private let idleTruncation: Task<Void, Never>

    private init(
        path: String, pool: BlockingPool,
        connections: (
            writer: SQLiteConnection, readers: [SQLiteConnection],
            checkpointer: SQLiteConnection
        ), options: Options
    ) {
        self.path = path
        self.pool = pool
        // Its jobs are drains of the write queue, one at a time (GroupCommit): a second may be
        // queued while the first finishes.
        let writer = BlockingPool(name: "sqlite-writer", owning: [connections.writer], queueCapacity: 4)
        let checkpoints = BackgroundCheckpoints(
            connection: connections.checkpointer, thread: pool, frames: options.checkpointFrames,
            limitFrames: options.walLimit)
        self.checkpoints = checkpoints
        checkpointer = connections.checkpointer
        self.writer = writer
        writerConnection = connections.writer
        readers = BlockingPool(
            name: "sqlite-readers", owning: connections.readers, queueCapacity: max(1, options.queueCapacity))
        readerConnections = connections.readers
        writes = GroupCommit(
            batchLimit: options.writeBatchLimit,
            onWriter: { work in
                do { try writer.execute(using: SQLiteConnection.self, work) } catch BlockingPoolError.shutDown(_) {
                    throw StorageError.closed
                }
            },
            afterCommit: checkpoints.afterCommit)
        // At least 10 ms: Task.sleep returns at once for less, and the loop would spin.
        idleTruncation = Task { [checkpoints, period = max(options.idleTruncateAfter, .milliseconds(10))] in
            // Commits counted at the last look, and when the WAL was last cut.
            var seen = 0
            var truncatedAt = 0
            while (try? await Task.sleep(for: period)) != nil {
                let commits = checkpoints.commitCount
                if commits == seen && commits != truncatedAt {
                    let truncated = try? await writer.run(using: SQLiteConnection.self) { checkpoints.truncateWAL($0) }
                    if truncated == true { truncatedAt = commits }
                }
                seen = commits
            }
        }
    }

    /// Opens the database file at `path`, creating it and its parent directories when missing, in WAL mode.
    public static func open(path: String, options: Options = Options()) async throws -> SQLiteDatabase {
        let readerCount = max(1, options.readers)
        // The checkpointer's thread (the writer gets its own once open): opening, one checkpoint at
        // a time, closing.
        let pool = BlockingPool(name: "sqlite-ckpt", threads: 1, queueCapacity: 4)
        let timeout = options.busyTimeout.components
        let milliseconds = Int32(clamping: timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000)
        do {
            let connections = try await pool.run {
                try createParentDirectory(of: path)
                let writer = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: milliseconds)
                // WAL is a property of the file; the writer sets it before any reader opens.
                let mode =
                    try writer.queryFirst("PRAGMA journal_mode = WAL", []) { try $0.optionalText("journal_mode") }
                    ?? nil
                guard mode == "wal" else {
                    throw StorageError.engine(
                        code: 0, message: "'\(path)' cannot use WAL (journal_mode is \(mode ?? "?"))")
                }
                // A WAL file that grew to twice the limit (while a long read held it, say) is cut
                // back to that when the WAL starts over. Not less: cutting a file of 1 GiB back to
                // 64 MiB under load stalled writes for over a second; a WAL that starts over
                // writes over pages the page cache already holds. A frame is a page and 24 bytes.
                let pageSize = try writer.queryFirst("PRAGMA page_size", []) { try $0.integer("page_size") } ?? 4096
                let walFileLimit = 2 * Int64(options.walLimit) * (pageSize + 24)
                try writer.executeScript("PRAGMA journal_size_limit = \(walFileLimit)")
                writer.reportWALSize()
                let readers = try (0..<readerCount).map { _ in
                    try SQLiteConnection(path: path, readOnly: true, busyTimeoutMilliseconds: milliseconds)
                }
                let checkpointer = try SQLiteConnection(
                    path: path, readOnly: false, busyTimeoutMilliseconds: milliseconds)
                return (writer, readers, checkpointer)
            }
            return SQLiteDatabase(path: path, pool: pool, connections: connections, options: options)
        } catch {
            pool.shutdown()
            throw error
        }
    }

    /// Without `close()`, the threads still end; the connections then close on whichever thread releases them.
    deinit {
        idleTruncation.cancel()
        readers.shutdown()
        writer.shutdown()
        pool.shutdown()
    }

    // `read` and `write` are called through `any Database`, so they run unspecialized: their
    // results travel as `any Sendable` through code compiled for that one type, instead of through
    // continuations and results of `T`, whose metadata would be looked up on every call.

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await readAny { try body($0) } as! T
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await writes.write { connection -> any Sendable in try body(connection) } as! T
    }

    private func readAny(
        _ body: @escaping @Sendable (any SQLConnection) throws -> any Sendable
    ) async throws -> any Sendable {
        do {
            return try await readers.run(using: SQLiteConnection.self) { connection in
                // Prepared once per connection, like every statement (executeScript would parse each time).
                try connection.execute("BEGIN", [])
                defer { _ = try? connection.execute("COMMIT", []) }
                return try body(connection)
            }
        } catch BlockingPoolError.shutDown(_) {
            throw StorageError.closed
        }
    }

    /// Writes waiting for the writer, and whether new ones are refused (for tests and diagnostics).
    var writeQueue: (queued: Int, closed: Bool) { writes.state }

    /// Times the writer started the WAL over (for tests and diagnostics).
    var walRestarts: Int { checkpoints.restarts.load(ordering: .relaxed) }

    public func close() async {
        // Once: a second caller would close the reader connections again, perhaps at the same time.
        guard !closing.exchange(true, ordering: .acquiringAndReleasing) else { return }
        writes.close()
        // No truncation may start now, nor run after the connections are closed.
        idleTruncation.cancel()
        await idleTruncation.value
        // Every write accepted before `writes.close()` is in a drain already queued for the
        // writer's thread, which commits it, then exits.
        await writer.shutdownAndWait()
        await readers.shutdownAndWait()
        // On the checkpointer's one thread, after a checkpoint that may be running (no commit can
        // start another now).
        let connections = readerConnections + [checkpointer, writerConnection]
        let closeAll: @Sendable () -> Void = { for connection in connections { connection.close() } }
        do { try await pool.run(closeAll) } catch { closeAll() }
        pool.shutdown()
    }
}

/// `mkdir -p` for the directory that will hold the database file.
private func createParentDirectory(of path: String) throws {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
    try FileManager.default.createDirectory(atPath: String(path[..<slash]), withIntermediateDirectories: true)
}
