// The engine-agnostic database interface: values, rows, connections and read/write transactions.
//
// Repositories talk only to these types. SQL uses `?` placeholders and double-quoted identifiers,
// which both SQLite and (after placeholder rewriting by its engine) PostgreSQL understand.

/// A value bound to a statement parameter or read from a result column.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    /// An instant: SQLite stores its microseconds since the Unix epoch, PostgreSQL a `timestamptz`.
    case timestamp(Timestamp)
}

/// The engines behind `Database`; each has its own migrations.
public enum DatabaseEngine: String, Sendable {
    case sqlite
    case postgresql
}

/// One connection, usable only inside the `read`/`write` closure it was passed to.
public protocol SQLConnection {
    /// Runs one statement and calls `body` with each of its result rows, in order; the row is read
    /// in place and valid only during the call (reading it later throws). `body` returning false
    /// stops the statement early. `body` may run other statements, but not this one again.
    func forEachRow(_ sql: String, _ parameters: [SQLValue], _ body: (SQLRow) throws -> Bool) throws
    /// Runs one statement and returns how many rows it inserted, updated or deleted.
    @discardableResult func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int
    /// Runs a script of `;`-separated statements without parameters (migrations).
    func executeScript(_ sql: String) throws
}

/// A database: transactions run on the engine's own threads, never on the caller's.
public protocol Database: Sendable {
    var engine: DatabaseEngine { get }
    /// This engine's schema migrations, in version order.
    var migrations: [Migration] { get }
    /// Runs `body` in a read-only transaction that sees one consistent snapshot; never waits for writers.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    /// Runs `body` atomically: its writes are committed (durably) before this returns, and rolled
    /// back when it throws. Engines may commit several callers' writes in one transaction, each
    /// in a savepoint of its own (SQLite's group commit).
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    /// Waits for running transactions, then closes every connection. Later calls fail with `.closed`.
    func close() async
    /// A statement each migration transaction runs first, to keep other processes' migrations out
    /// until it commits (PostgreSQL's advisory lock); nil where the write lock already does.
    var migrationLockSQL: String? { get }
}

extension Database {
    public var migrationLockSQL: String? { nil }
}

extension SQLConnection {
    /// Every row of `sql`'s result, each decoded by `decode`.
    public func query<Row>(_ sql: String, _ parameters: [SQLValue], _ decode: (SQLRow) throws -> Row) throws -> [Row] {
        var rows: [Row] = []
        try forEachRow(sql, parameters) { row in
            rows.append(try decode(row))
            return true
        }
        return rows
    }

    /// The first row of `sql`'s result decoded by `decode`, or nil when there is none.
    public func queryFirst<Row>(_ sql: String, _ parameters: [SQLValue], _ decode: (SQLRow) throws -> Row) throws
        -> Row?
    {
        var first: Row?
        try forEachRow(sql, parameters) { row in
            first = try decode(row)
            return false
        }
        return first
    }
}
