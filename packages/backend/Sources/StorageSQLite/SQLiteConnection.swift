// One libsqlite3 connection: opening with our pragmas, a cache of prepared statements reused per
// connection, parameter binding, row reading, error mapping, and the checkpoints and fsync that
// the engine's WAL upkeep asks of it.

import CSQLite
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// Used by one thread at a time: the writer and each reader connection are owned by a thread of
/// their own, and the checkpointer's is used only on the checkpointer's single thread, which is
/// what makes the unchecked `Sendable` sound.
final class SQLiteConnection: SQLConnection, @unchecked Sendable {
    /// More distinct statements than this and the cache starts over (only generated SQL varies).
    private static let statementCacheLimit = 256
    /// SQLITE_TRANSIENT: SQLite copies bound text and blobs before the bind call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private let handle: OpaquePointer
    private let busyTimeoutMilliseconds: Int32
    /// Prepared statements by SQL text, each with the view of its current row that `forEachRow` hands out.
    private var statements: [StatementKey: (statement: OpaquePointer, row: SQLRow)] = [:]
    private var isClosed = false
    /// Frames in the WAL file after this connection's last commit, once `reportWALSize()` is on.
    private(set) var walFrames: Int32 = 0

    /// False in autocommit mode: no transaction is open (none was begun, or an error rolled it back).
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Opens (creating if needed) the database file at `path`. Reader connections are `query_only`.
    init(path: String, readOnly: Bool, busyTimeoutMilliseconds: Int32) throws(StorageError) {
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        guard let opened, status == SQLITE_OK else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(opened)
            throw .engine(code: status, message: "cannot open '\(path)': \(message)")
        }
        handle = opened
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        do {
            // synchronous=NORMAL is safe with WAL against process crashes, kill -9 included: a commit has
            // been written into the WAL file (the OS page cache) before it returns, and the kernel keeps
            // that data when the process dies. Only an OS crash or power loss can lose the last commits,
            // and even then the database stays consistent. FULL would fsync the WAL on every commit.
            try executeScript(
                """
                PRAGMA foreign_keys = ON;
                PRAGMA synchronous = NORMAL;
                PRAGMA query_only = \(readOnly ? "ON" : "OFF");
                """)
        } catch {
            sqlite3_close_v2(handle)
            throw error
        }
    }

    deinit { close() }

    /// Finalizes the cached statements and closes the connection; it must not be used afterwards.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        for cached in statements.values { sqlite3_finalize(cached.statement) }
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Records the WAL's size after each commit in `walFrames`, and so turns off SQLite's automatic
    /// checkpoints on this connection (they share the hook): whoever reads `walFrames` checkpoints.
    func reportWALSize() {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_wal_hook(
            handle,
            { context, _, _, frames in
                Unmanaged<SQLiteConnection>.fromOpaque(context!).takeUnretainedValue().walFrames = frames
                return SQLITE_OK
            }, context)
    }

    /// Copies committed WAL frames into the database file as far as readers allow, without
    /// waiting for or blocking anyone (a PASSIVE checkpoint); returns how many frames the WAL now
    /// has in the database file.
    func checkpoint() throws(StorageError) -> Int32 {
        var walFrames: Int32 = 0
        var checkpointed: Int32 = 0
        let status = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &walFrames, &checkpointed)
        guard status == SQLITE_OK else { throw error(status, "checkpoint: \(String(cString: sqlite3_errmsg(handle)))") }
        return checkpointed
    }

    /// Copies the whole WAL into the database file and waits for the readers still reading from it
    /// (a RESTART checkpoint), so that the next commit writes the WAL from its beginning again;
    /// `truncating`, also cuts the WAL file to nothing (a TRUNCATE checkpoint). Readers mostly
    /// finish in microseconds: they are waited for in steps of 50 µs (not the busy timeout's steps
    /// of milliseconds), for about `wait` in all. False when a reader, a checkpoint running
    /// elsewhere, another connection's write or an I/O error kept it from finishing.
    func checkpointWholeWAL(truncating: Bool = false, waitingUpTo wait: Duration) -> Bool {
        let attempts = Int32(clamping: Int64(wait / .microseconds(50)))
        let context = UnsafeMutableRawPointer(bitPattern: Int(attempts))
        // The context is the number of attempts itself, not a pointer to anything.
        sqlite3_busy_handler(
            handle, { context, tried in tried < Int32(Int(bitPattern: context)) && usleep(50) == 0 ? 1 : 0 },
            context)
        defer { sqlite3_busy_timeout(handle, busyTimeoutMilliseconds) }
        let mode = truncating ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_RESTART
        return sqlite3_wal_checkpoint_v2(handle, nil, mode, nil, nil) == SQLITE_OK
    }

    /// Writes the database file's changed pages to the disk (an fdatasync), through SQLite's own
    /// handle of the file: closing a descriptor of our own would drop this process's locks on it.
    func syncDatabaseFile() {
        var file: UnsafeMutablePointer<sqlite3_file>?
        guard sqlite3_file_control(handle, "main", SQLITE_FCNTL_FILE_POINTER, &file) == SQLITE_OK, let file,
            let sync = file.pointee.pMethods?.pointee.xSync
        else { return }
        // An error is not lost: the kernel reports it to SQLite's own next sync of the file too.
        _ = sync(file, SQLITE_SYNC_NORMAL)
    }

    func forEachRow(_ sql: String, _ parameters: [SQLValue], _ body: (SQLRow) throws -> Bool) throws {
        let (statement, row) = try prepared(sql, parameters)
        defer {
            row.setCurrent(false)
            sqlite3_reset(statement)
        }
        while try step(statement, sql) {
            guard try row.handOut(to: body) else { break }
        }
    }

    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
        let statement = try prepared(sql, parameters).statement
        defer { sqlite3_reset(statement) }
        while try step(statement, sql) {}
        return Int(sqlite3_changes64(handle))
    }

    func executeScript(_ sql: String) throws(StorageError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard status == SQLITE_OK else {
            throw error(status, message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle)))
        }
    }

    /// The cached statement for `sql` (prepared on first use), reset and bound to `parameters`.
    private func prepared(
        _ sql: String, _ parameters: [SQLValue]
    ) throws(StorageError) -> (statement: OpaquePointer, row: SQLRow) {
        let cached: (statement: OpaquePointer, row: SQLRow)
        if let found = statements[StatementKey(sql)] { cached = found } else { cached = try prepare(sql) }
        let statement = cached.statement
        // Re-binding would restart it under the caller that is stepping it (a query run from its own row callback).
        guard sqlite3_stmt_busy(statement) == 0 else {
            throw .engine(code: SQLITE_MISUSE, message: "statement run again while its rows are being read: \(sql)")
        }
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == parameters.count else {
            throw .engine(
                code: SQLITE_RANGE, message: "\(parameters.count) parameters given, \(expected) expected: \(sql)")
        }
        sqlite3_clear_bindings(statement)
        for (offset, value) in parameters.enumerated() {
            let status = bind(value, to: statement, at: Int32(offset + 1))
            guard status == SQLITE_OK else { throw error(status, "binding parameter \(offset + 1) of: \(sql)") }
        }
        return cached
    }

    private func prepare(_ sql: String) throws(StorageError) -> (statement: OpaquePointer, row: SQLRow) {
        var statement: OpaquePointer?
        // The tail points into the C string, so it is read while that string is alive.
        let (status, trailingText) = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            return (status, tail.map { String(cString: $0) } ?? "")
        }
        guard status == SQLITE_OK, let statement else {
            throw error(status, "\(String(cString: sqlite3_errmsg(handle))) in: \(sql)")
        }
        if !trailingText.allSatisfy(\.isWhitespace) {
            sqlite3_finalize(statement)
            throw .engine(code: SQLITE_MISUSE, message: "one statement expected (use executeScript): \(sql)")
        }
        if statements.count >= Self.statementCacheLimit {  // statements being stepped stay
            for (text, cached) in statements where sqlite3_stmt_busy(cached.statement) == 0 {
                sqlite3_finalize(cached.statement)
                statements[text] = nil
            }
        }
        let columns = (0..<sqlite3_column_count(statement)).map { String(cString: sqlite3_column_name(statement, $0)) }
        let row = SQLRow(columns: columns, source: SQLiteColumns(statement))
        statements[StatementKey(sql)] = (statement, row)
        return (statement, row)
    }

    private func bind(_ value: SQLValue, to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch value {
        case .null: sqlite3_bind_null(statement, index)
        case .integer(let number): sqlite3_bind_int64(statement, index, number)
        case .real(let number): sqlite3_bind_double(statement, index, number)
        case .text(let text):
            sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
        case .blob(let bytes):
            bytes.withUnsafeBytes {
                sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), Self.transient)
            }
        case .timestamp(let time): sqlite3_bind_int64(statement, index, time.microsecondsSinceEpoch)
        }
    }

    /// True when a row is ready, false when the statement is done.
    private func step(_ statement: OpaquePointer, _ sql: String) throws(StorageError) -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let status: throw error(status, "\(String(cString: sqlite3_errmsg(handle))) in: \(sql)")
        }
    }

    private func error(_ status: Int32, _ message: String) -> StorageError {
        if status & 0xFF == SQLITE_BUSY || status & 0xFF == SQLITE_LOCKED { return .busy(message) }
        guard status & 0xFF == SQLITE_CONSTRAINT else { return .engine(code: status, message: message) }
        // SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE (macros Swift does not import).
        let isDuplicate = [1555, 2067].contains(sqlite3_extended_errcode(handle))
        return isDuplicate ? .duplicate(message) : .constraint(message)
    }
}

/// The row a prepared statement is on, read with `sqlite3_column_*`.
private final class SQLiteColumns: SQLColumnSource {
    private let statement: OpaquePointer

    init(_ statement: OpaquePointer) { self.statement = statement }

    func type(at column: Int) -> SQLType {
        switch sqlite3_column_type(statement, Int32(column)) {
        case SQLITE_INTEGER: .integer
        case SQLITE_FLOAT: .real
        case SQLITE_TEXT: .text
        case SQLITE_BLOB: .blob
        default: .null
        }
    }

    func integer(at column: Int) -> Int64 { sqlite3_column_int64(statement, Int32(column)) }

    func real(at column: Int) -> Double { sqlite3_column_double(statement, Int32(column)) }

    // The pointer is read before the length, as SQLite asks: the length is of the text as converted.
    func text(at column: Int) -> UnsafeBufferPointer<UInt8> {
        let start = sqlite3_column_text(statement, Int32(column))
        return UnsafeBufferPointer(
            start: start, count: start == nil ? 0 : Int(sqlite3_column_bytes(statement, Int32(column))))
    }

    func blob(at column: Int) -> UnsafeRawBufferPointer {
        let start = sqlite3_column_blob(statement, Int32(column))
        return UnsafeRawBufferPointer(
            start: start, count: start == nil ? 0 : Int(sqlite3_column_bytes(statement, Int32(column))))
    }
}
