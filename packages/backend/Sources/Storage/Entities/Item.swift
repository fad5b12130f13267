// The `item` row and the inputs for creating and partially updating one.

public import FoundationEssentials

public struct Item: Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var description: String?
    public var ownerID: UUID
    /// Nullable in the schema; every row this backend writes has one.
    public var createdAt: Timestamp?
}

public struct NewItem: Sendable {
    public var title: String
    public var description: String?
    public var ownerID: UUID

    public init(title: String, description: String? = nil, ownerID: UUID) {
        self.title = title
        self.description = description
        self.ownerID = ownerID
    }
}

/// A partial update: nil leaves a column unchanged. `description: .some(nil)` clears the description.
public struct ItemChanges: Sendable {
    public var title: String?
    public var description: String??

    public init(title: String? = nil, description: String?? = nil) {
        self.title = title
        self.description = description
    }
}
