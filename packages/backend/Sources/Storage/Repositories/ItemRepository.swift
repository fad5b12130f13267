// Items: create, look up by id, list all or one owner's newest first with a total count, update, delete.

public import FoundationEssentials

public struct ItemRepository: Sendable {
    private let database: any Database
    static let table = Table(name: "item", columns: ["id", "title", "description", "owner_id", "created_at"]) { row in
        Item(
            id: try row.uuid("id"), title: try row.text("title"), description: try row.optionalText("description"),
            ownerID: try row.uuid("owner_id"), createdAt: try row.optionalTimestamp("created_at"))
    }

    public init(database: any Database) { self.database = database }

    /// Inserts an item with a new id, created now. An unknown owner fails with `StorageError.constraint`.
    public func create(_ new: NewItem) async throws -> Item {
        let item = Item(
            id: .random(), title: new.title, description: new.description, ownerID: new.ownerID, createdAt: .now())
        return try await database.write { try Self.insert($0, item) }
    }

    /// Inserts `item` as it is (its id and time included).
    static func insert(_ connection: any SQLConnection, _ item: Item) throws -> Item {
        let values: KeyValuePairs<String, SQLValue> = [
            "id": .uuid(item.id), "title": .text(item.title), "description": .optionalText(item.description),
            "owner_id": .uuid(item.ownerID), "created_at": .optionalTimestamp(item.createdAt),
        ]
        return try table.insert(connection, values, as: item)
    }

    public func find(id: UUID) async throws -> Item? {
        try await database.read { try Self.table.find($0, "id", .uuid(id)) }
    }

    /// All items, or only `ownerID`'s, newest first; a negative skip counts as 0 and a negative limit as no limit.
    public func list(ownerID: UUID? = nil, skip: Int, limit: Int) async throws -> Page<Item> {
        let filter = ownerID.map { (column: "owner_id", value: SQLValue.uuid($0)) }
        return try await database.read { try Self.table.page($0, where: filter, skip: skip, limit: limit) }
    }

    /// Applies `changes` and returns the updated item, or nil when there is no such item.
    public func update(id: UUID, _ changes: ItemChanges) async throws -> Item? {
        var assignments: [(column: String, value: SQLValue)] = []
        if let title = changes.title { assignments.append(("title", .text(title))) }
        if let description = changes.description { assignments.append(("description", .optionalText(description))) }
        let changed = assignments
        return try await database.write { try Self.table.update($0, id: id, changed) }
    }

    /// False when there was no such item.
    public func delete(id: UUID) async throws -> Bool {
        try await database.write { try Self.table.delete($0, id: id) }
    }
}
