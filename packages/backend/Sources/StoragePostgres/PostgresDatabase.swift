// The PostgreSQL engine of `Database`: a pool of libpq connections, each owned by a thread of its
// own, so that no query ever blocks an event loop or Swift's cooperative threads.
//
// A transaction waits in the pool's bounded queue and runs on the first connection free: reads in
// a read-only REPEATABLE READ transaction (one snapshot, as on SQLite), writes in a READ COMMITTED
// one that is committed, with PostgreSQL's default synchronous commit, before `write` returns. A
// connection the server dropped is replaced at its next transaction; while the server cannot be
// reached, transactions fail at once, or within the statement timeout, with `.unavailable`.

import Logging
import Storage
import Synchronization
import Workers

public final class PostgresDatabase: Database {
    public struct Options: Sendable {
        /// Connections, each with a thread of its own (DATABASE_POOL_SIZE).
        public var connections = 8
        /// Transactions that may wait for a connection before callers get `BlockingPoolError.queueFull`.
        public var queueCapacity = 4096
        /// How long a statement may wait for the server before its connection is dropped and the
        /// transaction fails with `.unavailable`.
        public var statementTimeout = Duration.seconds(5)
        /// How long a statement waits for another session's lock before the transaction fails
        /// with `.busy` (PostgreSQL's lock_timeout; SQLite's busy timeout is 5 s): below the
        /// statement timeout, so that a lock wait never costs the connection.
        public var lockTimeout = Duration.seconds(3)
        /// How long `open` keeps trying while the server cannot be reached (it logs each attempt).
        public var startupWait = Duration.seconds(60)

        public init() {}
    }

    public var engine: DatabaseEngine { .postgresql }
    public let url: PostgresURL
    private let pool: BlockingPool
    private let connections: [PostgresConnection]
    private let closing = Atomic<Bool>(false)

    /// The advisory lock key migrations hold ("backend" in ASCII).
    static let migrationLockKey: Int64 = 0x6261_636b_656e_64

    public var migrationLockSQL: String? { "SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))" }

    private init(url: PostgresURL, connections: [PostgresConnection], options: Options) {
        self.url = url
        self.connections = connections
        pool = BlockingPool(name: "postgres", owning: connections, queueCapacity: max(1, options.queueCapacity))
    }

    /// Connects `options.connections` times to the server `url` names. While the server cannot be
    /// reached it tries again every second, for `options.startupWait`, logging each failure; a
    /// server that refuses the connection (a wrong password, an unknown database) fails at once.
    public static func open(url: PostgresURL, options: Options = Options(), logger: Logger = Logger()) async throws
        -> PostgresDatabase
    {
        let parameters = PostgresConnectionParameters(url)
        let deadline = ContinuousClock.now + options.startupWait
        let opener = BlockingPool(name: "postgres-connect", threads: 1, queueCapacity: 1)
        defer { opener.shutdown() }
        var attempt = 1
        while true {
            do {
                let connections = try await opener.run {
                    try (0..<max(1, options.connections)).map { _ in
                        try PostgresConnection(
                            parameters: parameters, timeout: options.statementTimeout, lockTimeout: options.lockTimeout)
                    }
                }
                return PostgresDatabase(url: url, connections: connections, options: options)
            } catch StorageError.unavailable(let message) where ContinuousClock.now < deadline {
                logger.warning("waiting for PostgreSQL at \(url) (attempt \(attempt)): \(message)")
                attempt += 1
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    deinit { pool.shutdown() }

    // Through `any Sendable`, as in the SQLite engine: `read` and `write` are called unspecialized.

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await transaction(readOnly: true) { try body($0) } as! T
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await transaction(readOnly: false) { try body($0) } as! T
    }

    private func transaction(
        readOnly: Bool, _ body: @escaping @Sendable (any SQLConnection) throws -> any Sendable
    ) async throws -> any Sendable {
        do {
            return try await pool.run(using: PostgresConnection.self) { connection in
                try connection.transaction(readOnly: readOnly) { try body($0) }
            }
        } catch BlockingPoolError.shutDown(_) {
            throw StorageError.closed
        }
    }

    public func close() async {
        guard !closing.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await pool.shutdownAndWait()
        for connection in connections { connection.close() }
    }
}
