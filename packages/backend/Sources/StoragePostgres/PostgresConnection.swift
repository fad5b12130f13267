// One libpq connection: connecting with the URL's parameters, prepared statements cached per
// connection, parameters sent as text (PostgreSQL infers each one's type from its place), results
// read in binary, errors mapped by SQLSTATE, and every wait for the server bounded by a deadline.

import CLibPQ
import FoundationEssentials
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// Used by one thread at a time (each is owned by a thread of the engine's pool), which is what
/// makes the unchecked `Sendable` sound.
final class PostgresConnection: SQLConnection, @unchecked Sendable {
    /// More distinct statements than this and the cache starts over (only generated SQL varies).
    private static let statementCacheLimit = 256

    private let parameters: PostgresConnectionParameters
    /// How long one statement may wait for the server before the connection is dropped.
    private let timeout: Duration
    /// Run on each new connection (the session's lock timeout).
    private let setup: String
    /// nil once closed or dropped after a failure; the next transaction connects again.
    private var handle: OpaquePointer?
    /// Prepared statements by SQL text: their server-side name and the view of their rows.
    private var statements: [StatementKey: PreparedStatement] = [:]
    private var preparedCount = 0

    /// Connects; throws `.unavailable` when the server cannot be reached, `.engine` when it refuses.
    /// A statement that waits for another session's lock for `lockTimeout` fails with `.busy`.
    init(parameters: PostgresConnectionParameters, timeout: Duration, lockTimeout: Duration) throws(StorageError) {
        self.parameters = parameters
        self.timeout = timeout
        let lock = lockTimeout.components
        setup = "SET lock_timeout = \(lock.seconds * 1000 + lock.attoseconds / 1_000_000_000_000_000)"
        try connect()
    }

    deinit { close() }

    func close() {
        statements.removeAll()
        if let handle { PQfinish(handle) }
        handle = nil
    }

    private func connect() throws(StorageError) {
        close()
        let connection = parameters.withCArrays { keywords, values in PQconnectdbParams(keywords, values, 0) }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { Self.errorMessage($0) } ?? "out of memory"
            PQfinish(connection)
            throw parameters.serverAcceptsConnections() ? .engine(code: 0, message: message) : .unavailable(message)
        }
        handle = connection
        try command(setup)
    }

    // MARK: Transactions

    /// Runs `body` in a transaction, committed when it returns and rolled back when it throws. A
    /// connection the server dropped since its last use (a restart) is replaced first: its failure
    /// shows at BEGIN, before anything was done, so the transaction starts again on a new one.
    func transaction<T>(readOnly: Bool, _ body: (PostgresConnection) throws -> T) throws -> T {
        let begin = readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN"
        do {
            if handle == nil { try connect() }
            try command(begin)
        } catch StorageError.unavailable {
            try connect()
            try command(begin)
        }
        let result: T
        do {
            result = try body(self)
        } catch {
            if handle != nil { try? command("ROLLBACK") }
            throw error
        }
        try command("COMMIT")
        return result
    }

    /// Runs a statement without parameters or rows (BEGIN, COMMIT) over the simple protocol.
    private func command(_ sql: String) throws(StorageError) {
        let result = try perform(sql) { PQsendQuery($0, sql) }
        PQclear(result)
    }

    // MARK: SQLConnection

    func forEachRow(_ sql: String, _ parameters: [SQLValue], _ body: (SQLRow) throws -> Bool) throws {
        let (result, statement) = try run(sql, parameters)
        defer { PQclear(result) }
        let row = statement.row(for: result)
        let source = statement.columns
        defer {
            row.setCurrent(false)
            source.result = nil
        }
        source.result = result
        for index in 0..<Int(PQntuples(result)) {
            source.row = Int32(index)
            row.setCurrent(true)
            let more = try body(row)
            row.setCurrent(false)
            if !more { break }
        }
    }

    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
        let (result, _) = try run(sql, parameters)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    func executeScript(_ sql: String) throws(StorageError) {
        PQclear(try perform(sql) { PQsendQuery($0, sql) })
    }

    // MARK: Statements

    /// Runs the prepared statement for `sql` (preparing it on first use) with `parameters`.
    private func run(_ sql: String, _ parameters: [SQLValue]) throws(StorageError) -> (
        OpaquePointer, PreparedStatement
    ) {
        let statement = try prepared(sql)
        guard statement.parameterCount == parameters.count else {
            throw .engine(
                code: 0, message: "\(parameters.count) parameters given, \(statement.parameterCount) expected: \(sql)")
        }
        let texts = parameters.map(\.postgresText)
        let result = try withCStrings(texts) { (values) throws(StorageError) in
            try perform(sql) { connection in
                PQsendQueryPrepared(connection, statement.name, Int32(values.count), values, nil, nil, 1)
            }
        }
        return (result, statement)
    }

    private func prepared(_ sql: String) throws(StorageError) -> PreparedStatement {
        if let found = statements[StatementKey(sql)] { return found }
        if statements.count >= Self.statementCacheLimit {
            PQclear(try perform("DEALLOCATE ALL") { PQsendQuery($0, "DEALLOCATE ALL") })
            statements.removeAll()
        }
        preparedCount += 1
        let (text, count) = PostgresPlaceholders.numbered(sql)
        let statement = PreparedStatement(name: "s\(preparedCount)", parameterCount: count)
        PQclear(try perform(sql) { PQsendPrepare($0, statement.name, text, 0, nil) })
        statements[StatementKey(sql)] = statement
        return statement
    }

    // MARK: Talking to the server

    /// Sends a query with `send` and waits, at most `timeout`, for its one result, which the
    /// caller clears. A connection that fails or times out is dropped (the next transaction
    /// connects again), and the error says so.
    private func perform(_ sql: String, _ send: (OpaquePointer) -> Int32) throws(StorageError) -> OpaquePointer {
        guard let connection = handle else { throw .unavailable("the connection to PostgreSQL was lost") }
        guard send(connection) == 1 else { throw dropped(connection) }
        let deadline = ContinuousClock.now + timeout
        var last: OpaquePointer?
        while true {
            while PQisBusy(connection) == 1 {
                guard wait(for: connection, until: deadline) else {
                    PQclear(last)
                    close()
                    throw .unavailable("PostgreSQL did not answer within \(timeout)")
                }
                guard PQconsumeInput(connection) == 1 else {
                    PQclear(last)
                    throw dropped(connection)
                }
            }
            guard let result = PQgetResult(connection) else { break }
            PQclear(last)
            last = result
        }
        guard let result = last else { throw dropped(connection) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY: return result
        default:
            defer { PQclear(result) }
            if PQstatus(connection) != CONNECTION_OK { throw dropped(connection) }
            throw Self.error(result, sql)
        }
    }

    /// Waits until the connection's socket is readable; false at the deadline.
    private func wait(for connection: OpaquePointer, until deadline: ContinuousClock.Instant) -> Bool {
        var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        while true {
            let left = deadline - .now
            guard left > .zero else { return false }
            let milliseconds = Int32(
                clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }  // PQconsumeInput reports the error
        }
    }

    /// The error for a connection that broke, which is dropped.
    private func dropped(_ connection: OpaquePointer) -> StorageError {
        let message = Self.errorMessage(connection)
        close()
        return .unavailable(message.isEmpty ? "the connection to PostgreSQL was lost" : message)
    }

    private static func errorMessage(_ connection: OpaquePointer) -> String {
        trimmed(String(cString: PQerrorMessage(connection)))
    }

    /// A failed statement's error, by its SQLSTATE.
    private static func error(_ result: OpaquePointer, _ sql: String) -> StorageError {
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
        let message = trimmed(String(cString: PQresultErrorMessage(result)))
        return PostgresErrorClass(sqlState: state).error("\(message) (SQLSTATE \(state)) in: \(sql)")
    }
}

/// A statement prepared on one connection, with the view of its rows that `forEachRow` hands out
/// (made from its first result: a statement's columns do not change).
private final class PreparedStatement {
    let name: String
    let parameterCount: Int
    let columns = PostgresColumns()
    private var cachedRow: SQLRow?

    init(name: String, parameterCount: Int) {
        self.name = name
        self.parameterCount = parameterCount
    }

    func row(for result: OpaquePointer) -> SQLRow {
        if let cachedRow { return cachedRow }
        let names = (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
        let row = SQLRow(columns: names, source: columns)
        cachedRow = row
        return row
    }
}

extension SQLValue {
    /// The parameter as PostgreSQL's text input reads it for the column's type (nil: NULL).
    fileprivate var postgresText: String? {
        switch self {
        case .null: nil
        case .integer(let number): String(number)
        case .real(let number): "\(number)"
        case .text(let text): text
        case .blob(let bytes): "\\x" + bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        case .timestamp(let time): time.rfc3339
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// libpq's messages end with a newline, and some span lines (DETAIL, HINT): one line.
private func trimmed(_ message: String) -> String {
    message.split(whereSeparator: \.isNewline).map { $0.trimmingPrefix(while: \.isWhitespace) }.joined(separator: " ")
}

/// Calls `body` with C strings for `texts` (NULL for nil), valid during the call.
private func withCStrings<T>(
    _ texts: [String?], _ body: ([UnsafePointer<CChar>?]) throws(StorageError) -> T
) throws(StorageError) -> T {
    let copies = texts.map { $0.map { strdup($0)! } }
    defer { for copy in copies { free(copy) } }
    return try body(copies.map { $0.map { UnsafePointer($0) } })
}
