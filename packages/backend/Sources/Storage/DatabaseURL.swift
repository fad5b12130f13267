// DATABASE_URL: which engine and which file or server (App opens the matching `Database`).
//
// sqlite:///relative/path.db   a file relative to the working directory
// sqlite:////absolute/path.db  an absolute path (SQLAlchemy's convention: the fourth slash starts it)
// unset or empty               data/app.db under the working directory (the directory is created)
// postgresql://… postgres://… postgresql+psycopg://…  PostgreSQL (PostgresURL)

public enum DatabaseLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgresql(PostgresURL)

    public static let defaultSQLitePath = "data/app.db"

    public init(url: String?) throws(StorageError) {
        let url = url?.trimmingWhitespace ?? ""
        if url.isEmpty {
            self = .sqlite(path: Self.defaultSQLitePath)
            return
        }
        let scheme = url.prefix { $0 != ":" }.lowercased()
        switch scheme {
        case "sqlite":
            self = .sqlite(path: try Self.sqlitePath(url))
        case _ where PostgresURL.schemes.contains(scheme):
            self = .postgresql(try PostgresURL(parsing: url))
        default:
            throw .invalidURL(
                "unknown scheme '\(scheme)'; use sqlite:///relative/path.db, sqlite:////absolute/path.db or "
                    + "postgresql://user:password@host:5432/database")
        }
    }

    /// The location as a URL, without a password.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:///" + path
        case .postgresql(let url): url.description
        }
    }

    private static func sqlitePath(_ url: String) throws(StorageError) -> String {
        guard url.hasPrefix("sqlite:///") else {
            throw .invalidURL("a SQLite URL has no host: use sqlite:///relative/path.db or sqlite:////absolute/path.db")
        }
        let path = String(url.dropFirst("sqlite:///".count).prefix { $0 != "?" })
        guard !path.isEmpty, !path.hasSuffix("/") else { throw .invalidURL("the SQLite URL names no file: \(url)") }
        guard path != ":memory:" else {
            throw .invalidURL("in-memory SQLite is not supported (each connection would see its own database)")
        }
        return path
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
