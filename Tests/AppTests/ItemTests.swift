// /items: ownership, listing, partial updates, and the 404-before-403 order (CONTRACT A.2 rows 18-22).

import Foundation
import HTTPServer
import Testing

@Suite struct ItemTests {
    @Test func createReadUpdateDelete() async throws {
        let app = try await AppServer.shared.value
        let user = try await app.newUser()
        let created = try await app.call(
            .post, "/api/v1/items/", token: user.token,
            json: ["title": "First", "description": "d", "owner_id": UUID().uuidString, "id": "x"])
        #expect(created.status == 200)
        #expect(created.text.hasPrefix(#"{"title":"First","description":"d","id":""#))
        #expect(created.object["owner_id"] as? String == user.id)
        let createdAt = try #require(created.object["created_at"] as? String)
        #expect(createdAt.hasSuffix("Z"))
        let id = try #require(created.object["id"] as? String)
        #expect(id == id.lowercased())

        let read = try await app.call(.get, "/api/v1/items/\(id)", token: user.token)
        #expect(read.object["title"] as? String == "First")

        let titleOnly = try await app.call(.put, "/api/v1/items/\(id)", token: user.token, json: ["title": "Second"])
        #expect(titleOnly.object["title"] as? String == "Second")
        #expect(titleOnly.object["description"] as? String == "d", "absent keys are left alone")
        let cleared = try await app.call(
            .put, "/api/v1/items/\(id)", token: user.token, json: ["description": NSNull()])
        #expect(cleared.object["description"] is NSNull)
        let nullTitle = try await app.call(.put, "/api/v1/items/\(id)", token: user.token, json: ["title": NSNull()])
        #expect(nullTitle.status == 422)
        #expect(nullTitle.firstIssue["type"] as? String == "string_type")

        let deleted = try await app.call(.delete, "/api/v1/items/\(id)", token: user.token)
        #expect(deleted.object["message"] as? String == "Item deleted successfully")
        let gone = try await app.call(.get, "/api/v1/items/\(id)", token: user.token)
        #expect(gone.status == 404)
        #expect(gone.detail == "Item not found")
    }

    @Test func usersSeeTheirOwnItemsAndSuperusersSeeAll() async throws {
        let app = try await AppServer.shared.value
        let alice = try await app.newUser()
        let bob = try await app.newUser()
        for title in ["a1", "a2", "a3"] {
            #expect(
                try await app.call(.post, "/api/v1/items/", token: alice.token, json: ["title": title]).status == 200)
        }
        let bobsItem = try await app.call(.post, "/api/v1/items/", token: bob.token, json: ["title": "b1"])
        let bobsID = try #require(bobsItem.object["id"] as? String)

        let page = try await app.call(.get, "/api/v1/items/?skip=1&limit=1&limit=2", token: alice.token)
        #expect(page.object["count"] as? Int == 3, "count is the total, not the page size")
        let titles = (page.object["data"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
        #expect(titles == ["a2", "a1"], "newest first, skip 1, the last limit wins")

        let admin = try await app.superuserToken()
        let all = try await app.call(.get, "/api/v1/items/?limit=-1", token: admin)
        #expect((all.object["count"] as? Int ?? 0) >= 4)
        #expect((all.object["data"] as? [Any])?.count == all.object["count"] as? Int, "a negative limit is no limit")

        // 404 is checked before 403; another user's item is 403.
        let missing = try await app.call(.get, "/api/v1/items/\(UUID())", token: alice.token)
        #expect(missing.status == 404)
        for method in [HTTPMethod.get, .put, .delete] {
            let reply = try await app.call(method, "/api/v1/items/\(bobsID)", token: alice.token, json: ["title": "x"])
            #expect(reply.status == 403)
            #expect(reply.detail == "Not enough permissions")
        }
        #expect(try await app.call(.get, "/api/v1/items/\(bobsID)", token: admin).status == 200)
    }

    @Test func queryAndBodyValidation() async throws {
        let app = try await AppServer.shared.value
        let user = try await app.newUser()
        let skip = try await app.call(.get, "/api/v1/items/?skip=abc", token: user.token)
        #expect(skip.status == 422)
        #expect(skip.firstIssue["type"] as? String == "int_parsing")
        #expect(skip.firstIssue["loc"] as? [String] == ["query", "skip"])
        let huge = try await app.call(.get, "/api/v1/items/?limit=99999999999999999999999", token: user.token)
        #expect(huge.status == 422, "an integer out of range is a 422, not the reference's 500")
        let malformed = try await app.call(
            .post, "/api/v1/items/", token: user.token, rawBody: #"{"title": }"#,
            headers: ["Content-Type": "application/json"])
        #expect(malformed.firstIssue["type"] as? String == "json_invalid")
        #expect((malformed.firstIssue["loc"] as? [Any])?.last as? Int == 10)
        let missing = try await app.call(.post, "/api/v1/items/", token: user.token, json: ["description": "d"])
        #expect(missing.firstIssue["type"] as? String == "missing")
        #expect(missing.firstIssue["loc"] as? [String] == ["body", "title"])
        let long = try await app.call(
            .post, "/api/v1/items/", token: user.token, json: ["title": String(repeating: "x", count: 256)])
        #expect(long.firstIssue["msg"] as? String == "String should have at most 255 characters")
        // Python's parser takes NaN and 1e999 (infinity); the 422 echoing them stays valid JSON.
        let nan = try await app.call(
            .post, "/api/v1/items/", token: user.token, rawBody: #"{"title":1e999,"description":NaN}"#,
            headers: ["Content-Type": "application/json"])
        #expect(nan.status == 422)
        let issues = nan.object["detail"] as? [[String: Any]] ?? []
        #expect(issues.map { $0["loc"] as? [String] } == [["body", "title"], ["body", "description"]], "\(nan.text)")
        #expect(issues.allSatisfy { $0["input"] is NSNull })
    }
}
