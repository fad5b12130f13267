// The PostgreSQL engine's schema migrations: the files in Migrations/, embedded in the binary.
// StorageTests checks that this list names every file there.

import Storage

extension PostgresDatabase {
    public static let migrations = [
        Migration(version: 1, name: "template_schema", sql: PackageResources.V0001__template_schema_postgresql_sql),
        Migration(version: 2, name: "listing_indexes", sql: PackageResources.V0002__listing_indexes_postgresql_sql),
    ]

    public var migrations: [Migration] { Self.migrations }
}
