// Which `StorageError` a PostgreSQL error is, by its SQLSTATE (Appendix A of PostgreSQL's manual).

import Storage

enum PostgresErrorClass {
    /// 23505: a unique index or primary key refused the value.
    case duplicate
    /// Class 23 otherwise (not null, foreign key, check) and 22001 (a value longer than its column).
    case constraint
    /// Serialization failures, deadlocks, lock timeouts, too many connections: try again.
    case busy
    /// The server is shutting down, starting up or gone (class 08, 57P01–57P03).
    case unavailable
    case other

    init(sqlState state: String) {
        switch state {
        case "23505": self = .duplicate
        case "22001": self = .constraint
        case _ where state.hasPrefix("23"): self = .constraint
        case "40001", "40P01", "55P03", "53300", "53400": self = .busy
        case "57P01", "57P02", "57P03": self = .unavailable
        case _ where state.hasPrefix("08"): self = .unavailable
        default: self = .other
        }
    }

    func error(_ message: String) -> StorageError {
        switch self {
        case .duplicate: .duplicate(message)
        case .constraint: .constraint(message)
        case .busy: .busy(message)
        case .unavailable: .unavailable(message)
        case .other: .engine(code: 0, message: message)
        }
    }
}
