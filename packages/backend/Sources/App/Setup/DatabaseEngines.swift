// The one place that picks the database engine: DATABASE_URL's scheme names it, and the
// engine's module opens it.

import Storage
import StorageSQLite

/// Opens the database that DATABASE_URL names (SQLite only for now).
public func openDatabase(url: String?, sqlite options: SQLiteDatabase.Options = .init()) async throws -> any Database {
    switch try DatabaseLocation(url: url) {
    case .sqlite(let path):
        return try await SQLiteDatabase.open(path: path, options: options)
    case .postgresql:
        throw StorageError.unsupportedEngine(
            "PostgreSQL (postgresql://) is not supported yet; set DATABASE_URL=sqlite:///data/app.db or leave it unset")
    }
}
