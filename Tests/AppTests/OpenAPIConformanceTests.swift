// The OpenAPI document the running app serves against the one the reference serves (CONTRACT
// F.1, A.1): paths, methods, operation ids, parameters, request bodies, responses and component
// schemas, every value and each schema's property order, compared fact by fact so that any
// difference names itself. The production app serves it without the development-only route.

import Foundation
import JSON
import Testing
import Web

/// The facts of a JSON document: each leaf as `path == value` (objects' key order aside), and
/// the order of each schema's `properties`, which the template's generated client follows.
enum DocumentFacts {
    static func of(_ value: JSONValue, at path: String = "") -> Set<String> {
        switch value {
        case .object(let object) where !object.isEmpty:
            var facts: Set<String> = []
            for (key, member) in object.members { facts.formUnion(of(member, at: path + step(key))) }
            if path.hasSuffix(".properties") { facts.insert("\(path) order \(object.members.map(\.key))") }
            return facts
        case .array(let elements) where !elements.isEmpty:
            return Set(elements.enumerated().flatMap { of($1, at: "\(path)[\($0)]") })
        default:
            return ["\(path) == \(value.serialized)"]
        }
    }

    private static func step(_ key: String) -> String {
        key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? ".\(key)" : "[\"\(key)\"]"
    }
}

@Suite struct OpenAPIConformanceTests {
    /// The reference document, a copy of `../shared/reference/fastapi-template.openapi.json`, kept
    /// outside every target (read by path, not bundled).
    static let referenceURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Reference/fastapi-template.openapi.json")

    /// The reference's title, so that `info` compares too.
    static let environment = ["PROJECT_NAME": "Full Stack FastAPI Project"]

    func reference() throws -> Set<String> {
        DocumentFacts.of(try JSONValue.parse(String(decoding: try Data(contentsOf: Self.referenceURL), as: UTF8.self)))
    }

    func facts(servedBy app: AppServer) async throws -> Set<String> {
        let reply = try await app.call(.get, "/api/v1/openapi.json").requireStatus(200)
        #expect(reply.headers["content-type"] == "application/json")
        return DocumentFacts.of(try JSONValue.parse(reply.text))
    }

    /// In development (the reference document's mode) the app serves the reference document.
    @Test func developmentDocumentIsTheReference() async throws {
        let reference = try reference()
        #expect(reference.contains(#".paths["/api/v1/private/users/"].post.operationId == "private-create_user""#))
        let served = try await AppServer.with(environment: Self.environment) { app in try await facts(servedBy: app) }
        #expect(served.subtracting(reference).sorted() == [], "ours only")
        #expect(reference.subtracting(served).sorted() == [], "the reference's only")
    }

    /// What the facts leave out, as the reference orders it: the top-level keys, the paths and
    /// each path's methods, the components and their schemas, and every key of every schema.
    /// One known difference, `/users/me`: its PATCH is declared first, so that `PUT /users/me`
    /// gets `Allow: PATCH` as CONTRACT A.2 observed (Starlette allows the first route's method),
    /// which makes its methods `patch, get, delete` (the reference lists `get, delete, patch`);
    /// and the generator moves a path to the end of `paths` each time it adds a method to it
    /// (FastAPI keeps a path where its first route put it), so `/users/me` follows
    /// `/users/me/password`. Any other difference fails.
    @Test func developmentDocumentKeepsTheReferencesOrder() async throws {
        let reference = try JSONValue.parse(String(decoding: try Data(contentsOf: Self.referenceURL), as: UTF8.self))
        let served = try await AppServer.with(environment: Self.environment) { app in
            try JSONValue.parse(try await app.call(.get, "/api/v1/openapi.json").requireStatus(200).text)
        }
        func members(_ value: JSONValue?) -> [(key: String, value: JSONValue)] {
            if case .object(let object)? = value { object.members } else { [] }
        }
        func member(_ value: JSONValue?, _ keys: String...) -> JSONValue? {
            keys.reduce(value) { value, key in members(value).first { $0.key == key }?.value }
        }
        let me = "/api/v1/users/me"
        var paths = members(member(reference, "paths")).map(\.key)
        #expect(paths.firstIndex(of: me).map { paths[$0 + 1] } == me + "/password")
        paths.removeAll { $0 == me }
        paths.insert(me, at: (paths.firstIndex(of: me + "/password") ?? 0) + 1)
        #expect(members(served).map(\.key) == members(reference).map(\.key))
        #expect(members(member(served, "paths")).map(\.key) == paths)
        for (path, operations) in members(member(reference, "paths")) {
            let methods = path == me ? ["patch", "get", "delete"] : members(operations).map(\.key)
            #expect(members(member(served, "paths", path)).map(\.key) == methods, "\(path)")
        }
        #expect(members(member(reference, "paths", me)).map(\.key) == ["get", "delete", "patch"])
        #expect(
            members(member(served, "components")).map(\.key) == members(member(reference, "components")).map(\.key))
        let servedSchemas = members(member(served, "components", "schemas"))
        let referenceSchemas = members(member(reference, "components", "schemas"))
        #expect(servedSchemas.map(\.key) == referenceSchemas.map(\.key))
        for (name, schema) in referenceSchemas {
            let mine = servedSchemas.first { $0.key == name }?.value
            #expect(mine?.serialized == schema.serialized, "schema \(name), key order included")
        }
    }

    /// Outside development the private route and its body's schema are gone, and nothing else changes.
    @Test func productionDocumentLacksOnlyThePrivateRoute() async throws {
        let development = try reference().filter {
            !$0.hasPrefix(#".paths["/api/v1/private/users/"]"#)
                && !$0.hasPrefix(".components.schemas.PrivateUserCreate")
        }
        var environment = Self.environment
        environment["FASTAPI_ENV"] = ""
        try await AppServer.with(environment: environment) { app in
            let served = try await facts(servedBy: app)
            #expect(served.subtracting(development).sorted() == [], "ours only")
            #expect(development.subtracting(served).sorted() == [], "the reference's only")
            let privateRoute = try await app.call(
                .post, "/api/v1/private/users/", json: ["email": "a@example.com", "password": "x", "full_name": "A"])
            #expect(privateRoute.status == 404)
            #expect(privateRoute.detail == "Not Found")
        }
    }
}
