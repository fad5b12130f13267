// /items: each user's items; a superuser sees and manages everyone's.

import FoundationEssentials
import Storage
import Web

extension AppServices {
    func registerItemRoutes(on api: RouteGroup) {
        let items = api.group("/items", tags: ["items"])

        items.get(
            "/", name: "read_items", description: "Retrieve items.", self.currentUser,
            Query("skip", default: 0), Query("limit", default: 100)
        ) { current, skip, limit in
            let owner = current.user.isSuperuser ? nil : current.user.id
            let page = try await self.items.list(ownerID: owner, skip: skip, limit: limit)
            return ItemsPublic(data: page.data.map(ItemPublic.init), count: page.count)
        }

        items.post(
            "/", name: "create_item", description: "Create new item.", self.currentUser, Body(ItemCreate.self)
        ) {
            current, body in
            do {
                return ItemPublic(
                    try await self.items.create(
                        NewItem(title: body.title, description: body.description, ownerID: current.user.id)))
            } catch StorageError.constraint {
                // The owner was deleted after the token was checked: as if the check had found so.
                throw HTTPError.userNotFound
            }
        }

        items.get(
            "/{id}", name: "read_item", description: "Get item by ID.", self.currentUser, Path<UUID>("id")
        ) {
            current, id in
            ItemPublic(try await self.item(id, for: current.user))
        }

        items.put(
            "/{id}", name: "update_item", description: "Update an item.", self.currentUser, Path<UUID>("id"),
            Body(ItemUpdate.self)
        ) { current, id, body in
            _ = try await self.item(id, for: current.user)
            var changes = ItemChanges()
            if case .value(let title) = body.title { changes.title = try required(title, "title") }
            if case .value(let description) = body.description { changes.description = .some(description) }
            // nil: deleted since it was read.
            guard let updated = try await self.items.update(id: id, changes) else { throw HTTPError.itemNotFound }
            return ItemPublic(updated)
        }

        items.delete(
            "/{id}", name: "delete_item", description: "Delete an item.", self.currentUser, Path<UUID>("id")
        ) {
            current, id in
            _ = try await self.item(id, for: current.user)
            // Of requests deleting it at once, only the one that did says so.
            guard try await self.items.delete(id: id) else { throw HTTPError.itemNotFound }
            return Message("Item deleted successfully")
        }
    }

    /// The item, if it exists (404 first) and `user` may see it (403 second), as the template checks.
    private func item(_ id: UUID, for user: User) async throws -> Item {
        guard let item = try await items.find(id: id) else { throw HTTPError.itemNotFound }
        guard user.isSuperuser || item.ownerID == user.id else {
            throw HTTPError(.forbidden, detail: "Not enough permissions")
        }
        return item
    }
}

extension HTTPError {
    static let itemNotFound = HTTPError(.notFound, detail: "Item not found")
}
