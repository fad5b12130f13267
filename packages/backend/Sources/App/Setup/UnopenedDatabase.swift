// The database of a process that only describes the API (`backend openapi`): declaring the
// routes needs the services they capture, not a database, so none is opened or created, and
// a transaction, should one ever be asked for, fails with `.closed`.

import Storage

struct UnopenedDatabase: Database {
    var engine: DatabaseEngine { .sqlite }
    var migrations: [Migration] { [] }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        throw StorageError.closed
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        throw StorageError.closed
    }

    func close() async {}
}
