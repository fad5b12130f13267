// The one place that picks the database engine: DATABASE_URL's scheme names it, and the
// engine's module opens it.

import Logging
import Storage
import StoragePostgres
import StorageSQLite

/// Opens the database `location` names with the engine's options.
public func openDatabase(
    _ location: DatabaseLocation, sqlite: SQLiteDatabase.Options = .init(),
    postgres: PostgresDatabase.Options = .init(), logger: Logger = Logger()
) async throws -> any Database {
    switch location {
    case .sqlite(let path): try await SQLiteDatabase.open(path: path, options: sqlite)
    case .postgresql(let url): try await PostgresDatabase.open(url: url, options: postgres, logger: logger)
    }
}
