// Declaring routes: a router and route groups with a path prefix and tags. A route is declared
// once, with typed inputs, and that declaration drives parsing, validation, dependencies, the
// response and the OpenAPI document:
//
//     let items = router.group("/api/v1/items", tags: ["items"])
//     items.get("/{id}", name: "read_item", Path<UUID>("id"), Depends(CurrentUser.self)) { id, user in
//         try await loadItem(id, for: user)
//     }

import HTTPServer

/// Collects routes while the application is set up; `WebApplication` then freezes them.
public final class Router {
    public private(set) var routes: [Route] = []

    public init() {}

    public func group(_ prefix: String, tags: [String] = []) -> RouteGroup {
        RouteGroup(router: self, prefix: prefix, tags: tags)
    }

    /// The group with no prefix and no tags.
    public var root: RouteGroup { group("") }

    func add(_ route: Route) { routes.append(route) }
}

public struct RouteGroup {
    let router: Router
    public let prefix: String
    public let tags: [String]

    public func group(_ prefix: String, tags: [String] = []) -> RouteGroup {
        RouteGroup(router: router, prefix: self.prefix + prefix, tags: self.tags + tags)
    }

    /// Declares a route. `handler` receives the inputs' values, in order.
    public func on<each Input: RouteInput, Output: ResponseEncodable>(
        _ method: HTTPMethod, _ path: String, name: String, summary: String? = nil, description: String? = nil,
        status: HTTPStatus = .ok, includeInSchema: Bool = true, _ inputs: repeat each Input,
        handler: @escaping @Sendable (repeat (each Input).Value) async throws -> Output
    ) {
        let endpoint = TypedEndpoint(inputs: (repeat each inputs), status: status, handler: handler)
        router.add(
            Route(
                method: method, path: prefix + path, name: name, tags: tags, summary: summary,
                description: description, status: status, includeInSchema: includeInSchema, endpoint: endpoint))
    }

    public func get<each Input: RouteInput, Output: ResponseEncodable>(
        _ path: String, name: String, summary: String? = nil, description: String? = nil, status: HTTPStatus = .ok,
        includeInSchema: Bool = true, _ inputs: repeat each Input,
        handler: @escaping @Sendable (repeat (each Input).Value) async throws -> Output
    ) {
        on(
            .get, path, name: name, summary: summary, description: description, status: status,
            includeInSchema: includeInSchema, repeat each inputs, handler: handler)
    }

    public func post<each Input: RouteInput, Output: ResponseEncodable>(
        _ path: String, name: String, summary: String? = nil, description: String? = nil, status: HTTPStatus = .ok,
        includeInSchema: Bool = true, _ inputs: repeat each Input,
        handler: @escaping @Sendable (repeat (each Input).Value) async throws -> Output
    ) {
        on(
            .post, path, name: name, summary: summary, description: description, status: status,
            includeInSchema: includeInSchema, repeat each inputs, handler: handler)
    }

    public func put<each Input: RouteInput, Output: ResponseEncodable>(
        _ path: String, name: String, summary: String? = nil, description: String? = nil, status: HTTPStatus = .ok,
        includeInSchema: Bool = true, _ inputs: repeat each Input,
        handler: @escaping @Sendable (repeat (each Input).Value) async throws -> Output
    ) {
        on(
            .put, path, name: name, summary: summary, description: description, status: status,
            includeInSchema: includeInSchema, repeat each inputs, handler: handler)
    }

    public func patch<each Input: RouteInput, Output: ResponseEncodable>(
        _ path: String, name: String, summary: String? = nil, description: String? = nil, status: HTTPStatus = .ok,
        includeInSchema: Bool = true, _ inputs: repeat each Input,
        handler: @escaping @Sendable (repeat (each Input).Value) async throws -> Output
    ) {
        on(
            .patch, path, name: name, summary: summary, description: description, status: status,
            includeInSchema: includeInSchema, repeat each inputs, handler: handler)
    }

    public func delete<each Input: RouteInput, Output: ResponseEncodable>(
        _ path: String, name: String, summary: String? = nil, description: String? = nil, status: HTTPStatus = .ok,
        includeInSchema: Bool = true, _ inputs: repeat each Input,
        handler: @escaping @Sendable (repeat (each Input).Value) async throws -> Output
    ) {
        on(
            .delete, path, name: name, summary: summary, description: description, status: status,
            includeInSchema: includeInSchema, repeat each inputs, handler: handler)
    }
}
