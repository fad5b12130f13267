// The SQLite engine of `Database`: one writer connection and a few reader connections on a WAL
// database file, every sqlite call on the engine's own BlockingPool.
//
// With WAL, readers see the last committed snapshot and never wait for the writer, and the pool has a
// thread per connection, so a long write never delays a read. Writes are serialised by the single
// writer connection (BEGIN IMMEDIATE); across processes the busy timeout makes writers wait their turn.
// Checkpoints (copying the WAL into the database file, with its fsyncs) run on a connection of their
// own once the WAL passes `checkpointFrames`, so no write waits for one.

import FoundationEssentials
import Synchronization
import Workers

public final class SQLiteDatabase: Database {
    public struct Options: Sendable {
        /// Reader connections (and pool threads) besides the writer; at least 1.
        public var readers = 3
        /// How long a connection waits for a lock held by another process before failing with SQLITE_BUSY.
        public var busyTimeout = Duration.seconds(5)
        /// Jobs that may wait for the engine's threads before callers get `BlockingPoolError.queueFull`.
        public var queueCapacity = 4096
        /// WAL size, in frames (pages), past which a background checkpoint starts (SQLite's default is 1000).
        public var checkpointFrames: Int32 = 1000

        public init() {}
    }

    public var engine: DatabaseEngine { .sqlite }
    public let path: String
    private let pool: BlockingPool
    private let writer: ConnectionQueue<SQLiteConnection>
    private let readers: ConnectionQueue<SQLiteConnection>
    private let checkpointer: ConnectionQueue<SQLiteConnection>
    private let checkpointFrames: Int32
    private let checkpointRunning = Atomic<Bool>(false)
    /// WAL frames already in the database file after the last checkpoint.
    private let checkpointedFrames = Atomic<Int32>(0)

    private init(
        path: String, pool: BlockingPool,
        connections: (
            writer: SQLiteConnection, readers: [SQLiteConnection],
            checkpointer: SQLiteConnection
        ), checkpointFrames: Int32
    ) {
        self.path = path
        self.pool = pool
        writer = ConnectionQueue([connections.writer])
        readers = ConnectionQueue(connections.readers)
        checkpointer = ConnectionQueue([connections.checkpointer])
        self.checkpointFrames = checkpointFrames
    }

    /// Opens the database file at `path`, creating it and its parent directories when missing, in WAL mode.
    public static func open(path: String, options: Options = Options()) async throws -> SQLiteDatabase {
        let readerCount = max(1, options.readers)
        // A thread per connection: the writer, the readers and the checkpointer.
        let pool = BlockingPool(name: "sqlite", threads: readerCount + 2, queueCapacity: max(1, options.queueCapacity))
        let timeout = options.busyTimeout.components
        let milliseconds = Int32(clamping: timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000)
        do {
            let connections = try await pool.run {
                try createParentDirectory(of: path)
                let writer = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: milliseconds)
                // WAL is a property of the file; the writer sets it before any reader opens.
                let mode = try writer.query("PRAGMA journal_mode = WAL", []).first?.optionalText("journal_mode")
                guard mode == "wal" else {
                    throw StorageError.engine(
                        code: 0, message: "'\(path)' cannot use WAL (journal_mode is \(mode ?? "?"))")
                }
                writer.reportWALSize()
                let readers = try (0..<readerCount).map { _ in
                    try SQLiteConnection(path: path, readOnly: true, busyTimeoutMilliseconds: milliseconds)
                }
                let checkpointer = try SQLiteConnection(
                    path: path, readOnly: false, busyTimeoutMilliseconds: milliseconds)
                return (writer, readers, checkpointer)
            }
            return SQLiteDatabase(
                path: path, pool: pool, connections: connections, checkpointFrames: options.checkpointFrames)
        } catch {
            pool.shutdown()
            throw error
        }
    }

    /// Without `close()`, the threads still end; the connections then close on whichever thread releases them.
    deinit { pool.shutdown() }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await inTransaction(readers, begin: "BEGIN", body)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await inTransaction(writer, begin: "BEGIN IMMEDIATE", body) { [self] connection in
            // Past the threshold of new frames since the last checkpoint (or of a WAL that restarted).
            let frames = connection.walFrames
            let done = checkpointedFrames.load(ordering: .relaxed)
            if frames >= checkpointFrames && (frames < done || frames - done >= checkpointFrames) {
                startCheckpoint()
            }
        }
    }

    /// Checkpoints in the background unless a checkpoint is already running.
    private func startCheckpoint() {
        guard !checkpointRunning.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Task { [self] in
            defer { checkpointRunning.store(false, ordering: .releasing) }
            // Fails only when closing (the last connection to close checkpoints anyway) or when another
            // process is checkpointing; the next commit past the threshold tries again.
            let done = try? await checkpointer.withConnection { connection in
                try await pool.run { try connection.checkpoint() }
            }
            if let done { checkpointedFrames.store(done, ordering: .relaxed) }
        }
    }

    public func close() async {
        let connections =
            await writer.closeAndDrain() + readers.closeAndDrain() + checkpointer.closeAndDrain()
        _ = try? await pool.run { for connection in connections { connection.close() } }
        pool.shutdown()
    }

    private func inTransaction<T: Sendable>(
        _ connections: ConnectionQueue<SQLiteConnection>, begin: String,
        _ body: @escaping @Sendable (any SQLConnection) throws -> T,
        afterCommit: @escaping @Sendable (SQLiteConnection) -> Void = { _ in }
    ) async throws -> T {
        try await connections.withConnection { connection in
            try await pool.run {
                // Prepared once per connection, like every statement (executeScript would parse each time).
                try connection.execute(begin, [])
                do {
                    let result = try body(connection)
                    try connection.execute("COMMIT", [])
                    afterCommit(connection)
                    return result
                } catch {
                    _ = try? connection.execute("ROLLBACK", [])
                    throw error
                }
            }
        }
    }
}

/// `mkdir -p` for the directory that will hold the database file.
private func createParentDirectory(of path: String) throws {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
    try FileManager.default.createDirectory(atPath: String(path[..<slash]), withIntermediateDirectories: true)
}
