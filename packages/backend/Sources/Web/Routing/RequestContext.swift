// Everything one request's inputs and dependencies are resolved from: the request, the path
// parameters the router captured, the query and body (each parsed once, on first use), the
// dependencies resolved so far and the validation issues. The application's own services are
// not here: routes and dependency resolvers hold them, so the compiler checks they are there.

import HTTPServer

public final class RequestContext {
    public let request: HTTPRequest
    let trustedProxies: TrustedProxies
    let pathParameterNames: [String]
    let pathParameterValues: [Substring]
    @usableFromInline let issues = ValidationIssues()
    // A request's inputs are resolved one at a time on its task, and none of these is read from
    // within an access to itself: no run-time exclusivity checks (docs/DEVELOPMENT.md).
    @exclusivity(unchecked) private var dependencies: [ObjectIdentifier: any Sendable] = [:]
    @exclusivity(unchecked) private var parsedQuery: [(name: String, value: String)]?
    @exclusivity(unchecked) var body: RequestBody?

    init(
        request: HTTPRequest, trustedProxies: TrustedProxies = .localhost,
        pathParameterNames: [String], pathParameterValues: [Substring]
    ) {
        self.request = request
        self.trustedProxies = trustedProxies
        self.pathParameterNames = pathParameterNames
        self.pathParameterValues = pathParameterValues
    }

    /// The client's address: the peer's, or the one a trusted proxy names in `X-Forwarded-For`.
    public var clientHost: String { trustedProxies.clientHost(of: request) }

    /// The path parameter `name` (from the percent-decoded path).
    public func pathParameter(_ name: String) -> String? {
        guard let index = pathParameterNames.firstIndex(of: name), index < pathParameterValues.count else {
            return nil
        }
        return String(pathParameterValues[index])
    }

    /// The last value of the query parameter `name` (a repeated key: the last wins).
    public func queryParameter(_ name: String) -> String? {
        if parsedQuery == nil { parsedQuery = FormURLEncoded.parse(request.query ?? "") }
        return parsedQuery?.last { $0.name == name }?.value
    }

    /// The dependency of type `D` if it has been resolved for this request.
    func resolvedDependency<D: Sendable>(_ type: D.Type) -> D? { dependencies[ObjectIdentifier(type)] as? D }

    /// The dependency `D`, resolved once per request (as FastAPI caches `Depends`).
    public nonisolated(nonsending) func dependency<D: Dependency>(_ type: D.Type) async throws -> D {
        try await dependency(TypeResolver<D>())
    }

    /// The value `resolver` gives, resolved once per request (cached by the value's type).
    public nonisolated(nonsending) func dependency<R: DependencyResolver>(_ resolver: R) async throws -> R.Value {
        let key = ObjectIdentifier(R.Value.self)
        if let cached = dependencies[key] as? R.Value { return cached }
        let value = try await resolver.resolve(self)
        dependencies[key] = value
        return value
    }
}
