// The one protocol for what a route declares it takes: path, query and header parameters,
// bodies, forms and dependencies. A route's inputs are resolved in FastAPI's order: bodies are
// read first (malformed JSON fails at once), then dependencies (401/403 beat 422), then every
// input is validated and all errors are reported together.

public protocol RouteInput: Sendable {
    associatedtype Value: Sendable

    /// Reads what must be read before dependencies run (the body). Throws to answer at once.
    func prepare(_ context: RequestContext) throws

    /// Whether `resolve` does anything: only then is it awaited. True unless an input says otherwise,
    /// so that an input implementing `resolve` is never skipped.
    var resolvesDependencies: Bool { get }

    /// Resolves dependencies; may throw an `HTTPError` (401, 403, ...).
    nonisolated(nonsending) func resolve(_ context: RequestContext) async throws

    /// The validated value, or nil after recording issues in `context`. Synchronous: what needs
    /// waiting for (dependencies) has been resolved by then.
    func extract(_ context: RequestContext) throws -> Value?

    /// Adds this input to its operation in the OpenAPI document.
    func document(_ operation: inout OperationDocument, in registry: inout SchemaRegistry)
}

extension RouteInput {
    public func prepare(_ context: RequestContext) throws {}
    public var resolvesDependencies: Bool { true }
    public nonisolated(nonsending) func resolve(_ context: RequestContext) async throws {}
}
