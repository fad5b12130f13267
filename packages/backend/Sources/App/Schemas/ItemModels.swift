// The item shapes of the API (CONTRACT A.3).

import FoundationEssentials
import Storage
import Web

public struct ItemPublic: Model {
    public var title: String
    public var description: String?
    public var id: UUID
    public var ownerID: UUID
    public var createdAt: Timestamp?

    public static let fields = ModelFields(
        ItemPublic.init,
        Field("title", \.title, .minLength(1), .maxLength(255)),
        Field("description", \.description, .maxLength(255)),
        Field("id", \.id),
        Field("owner_id", \.ownerID),
        Field("created_at", \.createdAt))
}

extension ItemPublic {
    init(_ item: Item) {
        self.init(
            title: item.title, description: item.description, id: item.id, ownerID: item.ownerID,
            createdAt: item.createdAt)
    }
}

public struct ItemsPublic: Model {
    public var data: [ItemPublic]
    public var count: Int

    public static let fields = ModelFields(ItemsPublic.init, Field("data", \.data), Field("count", \.count))
}

public struct ItemCreate: Model {
    public var title: String
    public var description: String?

    public static let fields = ModelFields(
        ItemCreate.init,
        Field("title", \.title, .minLength(1), .maxLength(255)),
        Field("description", \.description, .maxLength(255)))
}

/// Despite the PUT, a partial update: only the keys sent are applied.
public struct ItemUpdate: Model {
    public var title: Omittable<String?>
    public var description: Omittable<String?>

    public static let fields = ModelFields(
        ItemUpdate.init,
        Field("title", \.title, .minLength(1), .maxLength(255)),
        Field("description", \.description, .maxLength(255)))
}
