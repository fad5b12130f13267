// Users and items repositories on the selected engine (a real SQLite file or PostgreSQL database):
// CRUD, constraints, cascade, ordering, paging, counts.

import Foundation
import Storage
import StorageSQLite
import Testing

struct RepositoryTests {
    @Test func usersRoundTrip() async throws {
        try await withTestDatabase { database in
            let users = UserRepository(database: database)
            let before = Timestamp.now()
            let alice = try await users.create(newUser("Alice"))
            #expect(alice.email == "Alice@example.com" && alice.fullName == "Alice" && alice.isActive)
            #expect(!alice.isSuperuser && alice.hashedPassword == "hash-of-Alice")
            #expect(try #require(alice.createdAt) >= before)
            #expect(try await users.find(id: alice.id) == alice)
            #expect(try await users.find(email: "Alice@example.com") == alice)
            #expect(try await users.find(email: "alice@example.com") == nil)
            #expect(try await users.find(id: UUID()) == nil)
        }
    }

    @Test func idsAreStoredAsLowerCaseText() async throws {
        try await withTestDatabase { database in
            let user = try await UserRepository(database: database).create(newUser("bob"))
            let stored = try await database.read { try $0.query("SELECT id FROM \"user\"", []) { try $0.text("id") } }
            #expect(stored == [user.id.uuidString.lowercased()])
        }
    }

    @Test func duplicateEmailIsADuplicateError() async throws {
        try await withTestDatabase { database in
            let users = UserRepository(database: database)
            _ = try await users.create(newUser("carol"))
            await #expect {
                try await users.create(newUser("carol"))
            } throws: { error in
                guard case .duplicate(let message) = error as? StorageError else { return false }
                return message.contains("email")
            }
        }
    }

    @Test func partialUserUpdates() async throws {
        try await withTestDatabase { database in
            let users = UserRepository(database: database)
            let dave = try await users.create(newUser("dave"))
            let renamed = try await users.update(id: dave.id, UserChanges(email: "d@example.org", isSuperuser: true))
            #expect(renamed?.email == "d@example.org" && renamed?.isSuperuser == true && renamed?.fullName == "dave")
            let cleared = try await users.update(id: dave.id, UserChanges(fullName: .some(nil)))
            #expect(cleared?.fullName == nil && cleared?.email == "d@example.org")
            #expect(try await users.update(id: dave.id, UserChanges()) == cleared)
            let rehashed = try await users.updatePasswordHash(id: dave.id, to: "new-hash")
            #expect(rehashed?.hashedPassword == "new-hash" && rehashed?.createdAt == dave.createdAt)
            #expect(try await users.update(id: UUID(), UserChanges(isActive: false)) == nil)
        }
    }

    @Test func deletingAUserCascadesToTheirItems() async throws {
        try await withTestDatabase { database in
            let users = UserRepository(database: database)
            let items = ItemRepository(database: database)
            let erin = try await users.create(newUser("erin"))
            let frank = try await users.create(newUser("frank"))
            for title in ["a", "b", "c"] { _ = try await items.create(NewItem(title: title, ownerID: erin.id)) }
            let kept = try await items.create(NewItem(title: "kept", ownerID: frank.id))
            #expect(try await users.delete(id: erin.id))
            #expect(try await !users.delete(id: erin.id))
            #expect(try await items.list(skip: 0, limit: 100) == Page(data: [kept], count: 1))
        }
    }

    @Test func itemsNeedAnExistingOwner() async throws {
        try await withTestDatabase { database in
            await #expect {
                try await ItemRepository(database: database).create(NewItem(title: "orphan", ownerID: UUID()))
            } throws: { error in
                guard case .constraint = error as? StorageError else { return false }
                return true
            }
        }
    }

    @Test func itemsRoundTripAndUpdate() async throws {
        try await withTestDatabase { database in
            let owner = try await UserRepository(database: database).create(newUser("gina"))
            let items = ItemRepository(database: database)
            let item = try await items.create(NewItem(title: "Title", description: "Text", ownerID: owner.id))
            #expect(try await items.find(id: item.id) == item)
            let retitled = try await items.update(id: item.id, ItemChanges(title: "New"))
            #expect(retitled?.title == "New" && retitled?.description == "Text" && retitled?.ownerID == owner.id)
            let cleared = try await items.update(id: item.id, ItemChanges(description: .some(nil)))
            #expect(cleared?.description == nil && cleared?.title == "New")
            #expect(try await items.update(id: UUID(), ItemChanges(title: "x")) == nil)
            #expect(try await items.delete(id: item.id))
            #expect(try await items.find(id: item.id) == nil)
        }
    }

    @Test func listsAreNewestFirstWithTotalCounts() async throws {
        try await withTestDatabase { database in
            let users = UserRepository(database: database)
            let items = ItemRepository(database: database)
            let owner = try await users.create(newUser("hank"))
            let other = try await users.create(newUser("iris"))
            var created: [Item] = []
            for number in 0..<6 {
                created.append(try await items.create(NewItem(title: "\(number)", ownerID: owner.id)))
            }
            _ = try await items.create(NewItem(title: "other", ownerID: other.id))
            let newestFirst = Array(created.reversed())

            let page = try await items.list(ownerID: owner.id, skip: 1, limit: 2)
            #expect(page == Page(data: Array(newestFirst[1...2]), count: 6))
            #expect(try await items.list(skip: 0, limit: 100).count == 7)
            #expect(try await items.list(ownerID: other.id, skip: 0, limit: 100).data.map(\.title) == ["other"])
            #expect(try await users.list(skip: 0, limit: 1) == Page(data: [other], count: 2))
        }
    }

    @Test func equalTimestampsListByIdAndMissingOnesLast() async throws {
        try await withTestDatabase { database in
            let owner = try await UserRepository(database: database).create(newUser("jo"))
            let (five, nine) = (
                SQLValue.timestamp(.init(microsecondsSinceEpoch: 5)),
                SQLValue.timestamp(.init(microsecondsSinceEpoch: 9))
            )
            let rows: [(id: String, createdAt: SQLValue)] = [
                ("00000000-0000-4000-8000-00000000000b", five), ("00000000-0000-4000-8000-00000000000c", .null),
                ("00000000-0000-4000-8000-00000000000a", five),
                ("00000000-0000-4000-8000-00000000000d", nine),
                ("00000000-0000-4000-8000-000000000001", .null),
            ]
            try await database.write { connection in
                for row in rows {
                    try connection.execute(
                        "INSERT INTO item (id, title, owner_id, created_at) VALUES (?, 't', ?, ?)",
                        [.text(row.id), .text(owner.id.uuidString.lowercased()), row.createdAt])
                }
            }
            let expected = ["d", "a", "b", "1", "c"]
            for ownerID in [nil, owner.id] {
                let page = try await ItemRepository(database: database).list(ownerID: ownerID, skip: 0, limit: 10)
                #expect(page.data.map { String($0.id.uuidString.lowercased().suffix(1)) } == expected)
            }
        }
    }

    @Test func outOfRangePagingDoesNotCrash() async throws {
        try await withTestDatabase { database in
            let users = UserRepository(database: database)
            for name in ["j", "k", "l"] { _ = try await users.create(newUser(name)) }
            // A negative limit means no limit and a negative skip counts as 0 (SQLite's LIMIT -1 / OFFSET -1).
            #expect(try await users.list(skip: -5, limit: -1).data.count == 3)
            #expect(try await users.list(skip: 1, limit: -100).data.count == 2)
            #expect(try await users.list(skip: Int.max, limit: Int.max) == Page(data: [], count: 3))
            #expect(try await users.list(skip: Int.min, limit: Int.min).data.count == 3)
            #expect(try await users.list(skip: 0, limit: 0) == Page(data: [], count: 3))
        }
    }
}
