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

    /// Declares routes of `method`: `group.on(.get)("/path", name: ...) { ... }`.
    public func on(_ method: HTTPMethod) -> RouteDeclarer { RouteDeclarer(group: self, method: method) }

    public var get: RouteDeclarer { on(.get) }
    public var post: RouteDeclarer { on(.post) }
    public var put: RouteDeclarer { on(.put) }
    public var patch: RouteDeclarer { on(.patch) }
    public var delete: RouteDeclarer { on(.delete) }

    /// A page outside the API, as Starlette's plain routes serve FastAPI's docs: it answers GET
    /// and HEAD, and is not in the OpenAPI document.
    public func page(_ path: String, name: String, _ response: @escaping @Sendable () -> HTTPResponse) {
        get.declare(
            path, name: name, summary: nil, description: nil, status: .ok, includeInSchema: false, answersHEAD: true,
            inputs: [], output: HTTPResponse.self
        ) { _ in response() }
    }
}

/// Declares routes of one method in one group (`items.get(...)`, `items.post(...)`).
public struct RouteDeclarer {
    let group: RouteGroup
    let method: HTTPMethod

    /// Declares a route. `handler` receives the inputs' values, in order. Routes of up to three
    /// inputs get an overload from RouteDeclarer+Arity.swift instead, whose endpoint runs no
    /// parameter pack per request (a pack costs its types' metadata at run time). Unlike theirs,
    /// this handler is not `nonisolated(nonsending)`: swiftc 6.3.1 crashes in SILGen on a closure
    /// passed here with it, so calling it costs one executor switch. Disfavoured, or a closure
    /// would rather be converted to this handler type than to the fixed-arity ones'.
    @_disfavoredOverload
    public func callAsFunction<each Input: RouteInput, Output: ResponseEncodable>(
        _ path: String, name: String, summary: String? = nil, description: String? = nil, status: HTTPStatus = .ok,
        includeInSchema: Bool = true, _ inputs: repeat each Input,
        handler: @escaping @Sendable (repeat (each Input).Value) async throws -> Output
    ) {
        var erased: [any RouteInput] = []
        for input in repeat each inputs { erased.append(input) }
        declare(
            path, name: name, summary: summary, description: description, status: status,
            includeInSchema: includeInSchema, inputs: erased, output: Output.self
        ) { context in
            let values = (repeat try (each inputs).extract(context))
            guard context.issues.isEmpty, let arguments = unwrapAll(repeat each values) else {
                throw RequestValidationError(context.issues.all)
            }
            return try await handler(repeat each arguments).makeResponse(status: status)
        }
    }

    /// Adds the route whose endpoint prepares and resolves `inputs`, then runs `call`.
    @usableFromInline
    func declare(
        _ path: String, name: String, summary: String?, description: String?, status: HTTPStatus,
        includeInSchema: Bool, answersHEAD: Bool = false, inputs: [any RouteInput],
        output: any ResponseEncodable.Type,
        call: nonisolated(nonsending) @escaping @Sendable (RequestContext) async throws -> HTTPResponse
    ) {
        let endpoint = Endpoint(inputs: inputs, output: output, call: call)
        let route = Route(
            method: method, path: group.prefix + path, name: name, tags: group.tags, summary: summary,
            description: description, status: status, includeInSchema: includeInSchema, answersHEAD: answersHEAD,
            endpoint: endpoint)
        if let unknown = route.undeclaredPathInputs.first {
            preconditionFailure("\(method) \(route.path): Path(\"\(unknown)\") is not a parameter of the path")
        }
        group.router.add(route)
    }
}
