// Moving a deployment from one database to another (a SQLite file to PostgreSQL, say): every user
// and item with its id, password hash and creation time, read from one snapshot of the source
// and written in one transaction on the target, so that a failure leaves the target as it was.

public enum DatabaseCopy {
    public struct Copied: Equatable, Sendable {
        public let users: Int
        public let items: Int
    }

    /// Migrates `target`, then copies `source`'s users and items into it. A target that already
    /// has users is refused (`StorageError.targetNotEmpty`), before anything is written.
    public static func copy(from source: any Database, to target: any Database) async throws -> Copied {
        try await Migrator.migrate(target)
        let (users, items) = try await source.read { connection in
            (
                try UserRepository.table.page(connection, skip: 0, limit: -1).data,
                try ItemRepository.table.page(connection, skip: 0, limit: -1).data
            )
        }
        return try await target.write { connection in
            let present =
                try connection.queryFirst("SELECT count(*) AS users FROM \"user\"", []) { try $0.integer("users") } ?? 0
            guard present == 0 else { throw StorageError.targetNotEmpty(users: Int(present)) }
            for user in users { _ = try UserRepository.insert(connection, user) }
            for item in items { _ = try ItemRepository.insert(connection, item) }
            return Copied(users: users.count, items: items.count)
        }
    }
}
