// One libpq connection in pipeline mode: connecting with the URL's parameters, transactions whose
// BEGIN and COMMIT travel with their statements, prepared statements cached per connection,
// parameters sent as text (PostgreSQL infers each one's type from its place), results read in
// binary, errors mapped by SQLSTATE, and every wait for the server bounded by a deadline.

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
    /// How long one wait for the server may last before the connection is dropped.
    private let timeout: Duration
    /// Run on each new connection (the session's lock timeout).
    private let setup: String
    /// nil once closed or dropped after a failure; the next transaction connects again.
    private var handle: OpaquePointer?
    /// Prepared statements by SQL text: their server-side name and the view of their rows.
    private var statements: [StatementKey: PreparedStatement] = [:]
    private var preparedCount = 0
    /// What the server still owes, in the order it answers: a result per command sent, and the
    /// end of each pipeline segment (a sync).
    private var owed: [Owed] = []
    /// Statements of the current transaction the server has answered.
    private var answered = 0

    private enum Owed {
        case command(sql: String)
        /// A statement being prepared: a failure takes it out of the cache.
        case prepare(sql: String)
        case sync
    }

    /// Connects; throws `.unavailable` when the server cannot be reached, `.engine` when it refuses.
    /// A statement that waits for another session's lock for `lockTimeout` fails with `.busy`.
    init(parameters: PostgresConnectionParameters, timeout: Duration, lockTimeout: Duration) throws(StorageError) {
        self.parameters = parameters
        self.timeout = timeout
        let lock = lockTimeout.components
        // A transaction without BEGIN (a read: the statements up to a sync) is a read-only
        // snapshot; writes say what they are.
        setup = """
            SET lock_timeout = \(lock.seconds * 1000 + lock.attoseconds / 1_000_000_000_000_000);
            SET default_transaction_isolation = 'repeatable read';
            SET default_transaction_read_only = on
            """
        try connect(first: true)
    }

    deinit { close() }

    func close() {
        statements.removeAll()
        owed.removeAll()
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Connects. A failed first connection is `.engine` when the server accepts connections (it
    /// refused this one for good: a wrong password, an unknown database) and `.unavailable` when
    /// it cannot be reached; a failed reconnection is always `.unavailable` (a server restarting
    /// refuses and accepts by turns, and a ping would race it).
    private func connect(first: Bool = false) throws(StorageError) {
        close()
        let connection = parameters.withCArrays { keywords, values in PQconnectdbParams(keywords, values, 0) }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { Self.errorMessage($0) } ?? "out of memory"
            PQfinish(connection)
            throw first && parameters.serverAcceptsConnections()
                ? .engine(code: 0, message: message) : .unavailable(message)
        }
        handle = connection
        PQclear(try perform(setup) { PQsendQuery($0, setup) })
        guard PQenterPipelineMode(connection) == 1 else { throw dropped(connection) }
    }

    // MARK: Transactions

    /// Runs `body` in a transaction, committed when it returns and rolled back when it throws.
    ///
    /// Commands go out in pipeline mode. A read is the implicit transaction of the statements
    /// up to a sync, in the session's default REPEATABLE READ, READ ONLY mode: no BEGIN or
    /// COMMIT to run, and its sync goes out unanswered (the answer is read at the connection's
    /// next use), so that a one-statement read costs the server one statement and one round
    /// trip. A write's BEGIN travels with its first statement, and it waits for its COMMIT.
    ///
    /// A connection the server dropped while it was idle (a restart between two requests) shows
    /// it before the server has answered any statement: nothing was committed then, and the
    /// transaction runs again, once, on a new connection.
    func transaction<T>(readOnly: Bool, _ body: (PostgresConnection) throws -> T) throws -> T {
        let reused = handle != nil
        do {
            return try attempt(readOnly: readOnly, body)
        } catch StorageError.unavailable where reused && answered == 0 {
            return try attempt(readOnly: readOnly, body)
        }
    }

    private func attempt<T>(readOnly: Bool, _ body: (PostgresConnection) throws -> T) throws -> T {
        if handle == nil { try connect() }
        answered = 0
        try settle()
        if !readOnly {
            try sendCommand(Self.beginWrite)
        }
        let result: T
        do {
            result = try body(self)
        } catch {
            rollBack()
            throw error
        }
        if readOnly {
            try sendSync()
        } else {
            try sendCommand("COMMIT")
            try sendSync()
            try settle(failingOnError: true)
        }
        return result
    }

    private static let beginWrite = "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE"

    /// Ends a transaction that failed: the sync ends the pipeline segment the server skipped
    /// after an error (and a read's implicit transaction), the ROLLBACK a write's. A connection
    /// that fails meanwhile is dropped.
    private func rollBack() {
        guard handle != nil else { return }
        do {
            try sendSync()
            try sendCommand("ROLLBACK")
            try sendSync()
            try settle()
        } catch {
            close()
        }
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
        for index in 0..<PQntuples(result) {
            source.row = index
            guard try row.handOut(to: body) else { break }
        }
    }

    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
        let (result, _) = try run(sql, parameters)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Scripts (migrations) go over the simple protocol, which pipeline mode does not allow: the
    /// pipeline is ended (the transaction goes on), and taken up again afterwards.
    func executeScript(_ sql: String) throws(StorageError) {
        let connection = try liveHandle()
        try sendSync()
        try settle(failingOnError: true)
        guard PQexitPipelineMode(connection) == 1 else { throw dropped(connection) }
        defer { if let handle { PQenterPipelineMode(handle) } }
        PQclear(try perform(sql) { PQsendQuery($0, sql) })
    }

    // MARK: Statements

    /// Runs the prepared statement for `sql` (preparing it on first use, in the same round trip)
    /// with `parameters`, and returns its result once everything sent before it is answered.
    private func run(_ sql: String, _ parameters: [SQLValue]) throws(StorageError) -> (
        OpaquePointer, PreparedStatement
    ) {
        let statement = try prepared(sql)
        guard statement.parameterCount == parameters.count else {
            throw .engine(
                code: 0, message: "\(parameters.count) parameters given, \(statement.parameterCount) expected: \(sql)")
        }
        let texts = parameters.map(\.postgresText)
        // C strings end at a NUL: such a text would be cut short, silently.
        if texts.contains(where: { $0?.utf8.contains(0) == true }) { throw .nulInText }
        try withCStrings(texts) { (values) throws(StorageError) in
            try send(.command(sql: sql)) {
                PQsendQueryPrepared($0, statement.name, Int32(values.count), values, nil, nil, 1)
            }
        }
        guard let connection = handle, PQsendFlushRequest(connection) == 1, PQflush(connection) == 0 else {
            throw handle.map(dropped) ?? Self.lost
        }
        var failure: StorageError?
        while owed.count > 1 {
            if let error = try receive(), failure == nil { failure = error }
        }
        let result = try receiveResult()
        let status = PQresultStatus(result)
        guard failure == nil, status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            defer { PQclear(result) }
            throw failure ?? self.failure(of: result, sql)
        }
        answered += 1
        return (result, statement)
    }

    /// The cached statement for `sql`, or a new one whose preparation is sent (not waited for).
    private func prepared(_ sql: String) throws(StorageError) -> PreparedStatement {
        if let found = statements[StatementKey(sql)] { return found }
        if statements.count >= Self.statementCacheLimit {
            try sendCommand("DEALLOCATE ALL")
            statements.removeAll()
        }
        preparedCount += 1
        let (text, count) = PostgresPlaceholders.numbered(sql)
        let statement = PreparedStatement(name: "s\(preparedCount)", parameterCount: count)
        try send(.prepare(sql: sql)) { PQsendPrepare($0, statement.name, text, 0, nil) }
        statements[StatementKey(sql)] = statement
        return statement
    }

    // MARK: Talking to the server

    private static let lost = StorageError.unavailable("the connection to PostgreSQL was lost")

    /// The connection, or `.unavailable` once it was dropped.
    private func liveHandle() throws(StorageError) -> OpaquePointer {
        guard let handle else { throw Self.lost }
        return handle
    }

    /// Queues a statement without parameters or rows (BEGIN, COMMIT, ROLLBACK) on the pipeline.
    private func sendCommand(_ sql: String) throws(StorageError) {
        try send(.command(sql: sql)) { PQsendQueryParams($0, sql, 0, nil, nil, nil, nil, 1) }
    }

    /// Queues a command on the pipeline (sent at the next flush or sync).
    private func send(_ what: Owed, _ queue: (OpaquePointer) -> Int32) throws(StorageError) {
        let connection = try liveHandle()
        guard queue(connection) == 1 else { throw dropped(connection) }
        owed.append(what)
    }

    /// Ends the pipeline segment (the server answers everything before it) and sends it all.
    private func sendSync() throws(StorageError) {
        let connection = try liveHandle()
        guard PQpipelineSync(connection) == 1 else { throw dropped(connection) }
        owed.append(.sync)
    }

    /// Reads everything the server owes; with `failingOnError`, the first failure is thrown.
    private func settle(failingOnError: Bool = false) throws(StorageError) {
        var failure: StorageError?
        while !owed.isEmpty {
            if let error = try receive(), failure == nil { failure = error }
        }
        if failingOnError, let failure { throw failure }
    }

    /// Reads the next answer owed, and returns the error it reports, if any.
    private func receive() throws(StorageError) -> StorageError? {
        if case .sync = owed.first {
            owed.removeFirst()
            let result = try nextResult()
            PQclear(result)
            return nil
        }
        let result = try receiveResult()
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_PIPELINE_ABORTED: return nil
        default:
            let error = failure(of: result, "")
            if handle == nil { throw error }  // dropped: nothing more is owed
            return error
        }
    }

    /// The result of the next command owed (the caller clears it); a failed preparation takes
    /// its statement out of the cache.
    private func receiveResult() throws(StorageError) -> OpaquePointer {
        let what = owed.removeFirst()
        guard let result = try nextResult() else { throw handle.map(dropped) ?? .closed }
        // The command's results end with a NULL.
        while let extra = try nextResult() { PQclear(extra) }
        if case .prepare(let sql) = what, PQresultStatus(result) != PGRES_COMMAND_OK {
            statements[StatementKey(sql)] = nil
        }
        return result
    }

    /// PQgetResult, waiting at most `timeout` for the server.
    private func nextResult() throws(StorageError) -> OpaquePointer? {
        let connection = try liveHandle()
        let deadline = ContinuousClock.now + timeout
        while PQisBusy(connection) == 1 {
            guard wait(for: connection, until: deadline) else {
                close()
                throw .unavailable("PostgreSQL did not answer within \(timeout)")
            }
            guard PQconsumeInput(connection) == 1 else { throw dropped(connection) }
        }
        return PQgetResult(connection)
    }

    /// Outside pipeline mode: sends a query with `send` and waits, at most `timeout`, for its
    /// results; returns the last, which the caller clears.
    private func perform(_ sql: String, _ send: (OpaquePointer) -> Int32) throws(StorageError) -> OpaquePointer {
        let connection = try liveHandle()
        guard send(connection) == 1 else { throw dropped(connection) }
        var last: OpaquePointer?
        while let result = try nextResult() {
            PQclear(last)
            last = result
        }
        guard let result = last else { throw dropped(connection) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY: return result
        default:
            defer { PQclear(result) }
            throw failure(of: result, sql)
        }
    }

    /// Waits until the connection's socket is readable; false at the deadline.
    private func wait(for connection: OpaquePointer, until deadline: ContinuousClock.Instant) -> Bool {
        var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        while true {
            let left = (deadline - .now).components
            guard left.seconds >= 0, left.seconds > 0 || left.attoseconds > 0 else { return false }
            let milliseconds = Int32(clamping: left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000 + 1)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }  // PQconsumeInput reports the error
        }
    }

    /// The error for a connection that broke, which is dropped.
    private func dropped(_ connection: OpaquePointer) -> StorageError {
        let message = Self.errorMessage(connection)
        close()
        return message.isEmpty ? Self.lost : .unavailable(message)
    }

    private static func errorMessage(_ connection: OpaquePointer) -> String {
        trimmed(String(cString: PQerrorMessage(connection)))
    }

    /// A failed command's error: the connection's loss when it broke (libpq's own errors have no
    /// SQLSTATE), else the server's error by its SQLSTATE.
    private func failure(of result: OpaquePointer, _ sql: String) -> StorageError {
        if let handle, PQstatus(handle) != CONNECTION_OK { return dropped(handle) }
        return Self.error(result, sql)
    }

    /// A failed statement's error, by its SQLSTATE.
    private static func error(_ result: OpaquePointer, _ sql: String) -> StorageError {
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
        let message = trimmed(String(cString: PQresultErrorMessage(result)))
        let statement = sql.isEmpty ? "" : " in: \(sql)"
        return PostgresErrorClass(sqlState: state).error("\(message) (SQLSTATE \(state))\(statement)")
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
func withCStrings<T, Failure: Error>(
    _ texts: [String?], _ body: ([UnsafePointer<CChar>?]) throws(Failure) -> T
) throws(Failure) -> T {
    let copies = texts.map { $0.map { strdup($0)! } }
    defer { for copy in copies { free(copy) } }
    return try body(copies.map { $0.map { UnsafePointer($0) } })
}
