// The errors of the Storage module, each with a message that names the problem.

public enum StorageError: Error, Equatable, CustomStringConvertible {
    /// DATABASE_URL cannot be used (the message says why and what works).
    case invalidURL(String)
    /// The URL names an engine this build cannot open yet.
    case unsupportedEngine(String)
    /// A UNIQUE or PRIMARY KEY constraint rejected a write: the value is taken (a lost race
    /// between a lookup and the write, say).
    case duplicate(String)
    /// A NOT NULL, CHECK or FOREIGN KEY constraint rejected a write.
    case constraint(String)
    /// The database is locked by another process (SQLite's busy timeout ran out): a moment later
    /// the same request may succeed.
    case busy(String)
    /// The database server cannot be reached or dropped the connection (restarting, say): the
    /// pool reconnects by itself, so a moment later the same request may succeed.
    case unavailable(String)
    /// Any other engine failure: its result code and message.
    case engine(code: Int32, message: String)
    /// A row did not have the expected shape.
    case decoding(String)
    /// A migration failed; its transaction was rolled back.
    case migration(version: Int, name: String, message: String)
    /// The database was closed.
    case closed
    /// A text value with a NUL character, which PostgreSQL's text cannot hold: refused on every
    /// engine alike, before it reaches one.
    case nulInText
    /// A copy's target database already has users (DatabaseCopy fills only an empty one).
    case targetNotEmpty(users: Int)

    public var description: String {
        switch self {
        case .invalidURL(let message): "invalid DATABASE_URL: \(message)"
        case .unsupportedEngine(let message): message
        case .duplicate(let message): "duplicate value: \(message)"
        case .constraint(let message): "constraint violated: \(message)"
        case .busy(let message): "database busy: \(message)"
        case .unavailable(let message): "database unavailable: \(message)"
        case .engine(let code, let message): "database error \(code): \(message)"
        case .decoding(let message): "unexpected database row: \(message)"
        case .migration(let version, let name, let message): "migration \(version) (\(name)) failed: \(message)"
        case .closed: "the database is closed"
        case .nulInText: "text with a NUL character (\\u0000) is not accepted"
        case .targetNotEmpty(let users):
            "the target database already has \(users) user\(users == 1 ? "" : "s"): copy only into an empty database"
        }
    }
}
