// The SQLite engine's schema migrations: the files in Migrations/, embedded in the binary.
// StorageTests checks that this list names every file there.

import Storage

extension SQLiteDatabase {
    public static let migrations = [
        Migration(
            version: 1, name: "create_user_and_item", sql: PackageResources.V0001__create_user_and_item_sqlite_sql),
        Migration(version: 2, name: "order_by_index", sql: PackageResources.V0002__order_by_index_sqlite_sql),
        Migration(
            version: 3, name: "time_indexes_ascending", sql: PackageResources.V0003__time_indexes_ascending_sqlite_sql),
    ]

    public var migrations: [Migration] { Self.migrations }
}
