// A declared route: method, path template, the metadata FastAPI derives names from, and the
// endpoint that resolves its inputs, calls the handler and encodes the result.

import HTTPServer

public final class Route: Sendable {
    public let method: HTTPMethod
    public let path: String
    /// The Python-style function name: operation id `{tag}-{name}`, summary "Read Items".
    public let name: String
    public let tags: [String]
    public let summary: String?
    public let description: String?
    public let status: HTTPStatus
    public let includeInSchema: Bool
    /// A GET route that answers HEAD too, as Starlette's plain routes (FastAPI's docs pages) do;
    /// FastAPI's API routes answer HEAD with 405.
    public let answersHEAD: Bool
    let endpoint: Endpoint
    /// The names of the `{parameters}` in the path template, in order.
    let parameterNames: [String]

    init(
        method: HTTPMethod, path: String, name: String, tags: [String], summary: String?, description: String?,
        status: HTTPStatus, includeInSchema: Bool, answersHEAD: Bool = false, endpoint: Endpoint
    ) {
        self.method = method
        self.path = path
        self.name = name
        self.tags = tags
        self.summary = summary
        self.description = description
        self.status = status
        self.includeInSchema = includeInSchema
        self.answersHEAD = answersHEAD && method == .get
        self.endpoint = endpoint
        parameterNames = PathTemplate.segments(path).compactMap {
            if case .parameter(let name) = $0 { name } else { nil }
        }
    }

    var operationID: String { OpenAPINames.operationID(name: name, tags: tags) }

    /// Whether a request of `method` is this route's.
    func answers(_ method: HTTPMethod) -> Bool { method == self.method || (method == .head && answersHEAD) }

    /// The `Allow` header of a 405 for this route's path.
    var allow: String { answersHEAD ? "GET, HEAD" : method.rawValue }

    /// Names of `Path` inputs with no `{name}` in the template: a declaration mistake.
    var undeclaredPathInputs: [String] {
        var document = OperationDocument(operationID: operationID)
        var registry = SchemaRegistry()
        endpoint.document(&document, in: &registry)
        return document.parameters.compactMap { parameter in
            guard parameter["in"] == "path", case .string(let name)? = parameter["name"] else { return nil }
            return parameterNames.contains(name) ? nil : name
        }
    }
}

/// What a route runs: its inputs' preparation and dependencies, then `call`, which extracts the
/// inputs' values and calls the handler. `call` is made where the route is declared, for the
/// inputs' concrete types (RouteDeclarer+Arity.swift), so a request runs no parameter pack.
/// The request path's async functions are `nonisolated(nonsending)`: they run on the caller's
/// executor (the connection's event loop) instead of hopping to the generic one and back.
/// Dependencies and handlers should be too (`Dependency.resolve` implementations must say so
/// themselves; a handler closure of up to three inputs is inferred so).
struct Endpoint: Sendable {
    let inputs: [any RouteInput]
    /// The inputs whose `resolve` must be awaited (the dependencies), in declaration order.
    let resolving: [any RouteInput]
    let output: any ResponseEncodable.Type
    let call: nonisolated(nonsending) @Sendable (RequestContext) async throws -> HTTPResponse

    init(
        inputs: [any RouteInput], output: any ResponseEncodable.Type,
        call: nonisolated(nonsending) @escaping @Sendable (RequestContext) async throws -> HTTPResponse
    ) {
        self.inputs = inputs
        resolving = inputs.filter(\.resolvesDependencies)
        self.output = output
        self.call = call
    }

    @inline(__always)
    nonisolated(nonsending) func respond(_ context: RequestContext) async throws -> HTTPResponse {
        for input in inputs { try input.prepare(context) }
        for input in resolving { try await input.resolve(context) }
        return try await call(context)
    }

    func document(_ operation: inout OperationDocument, in registry: inout SchemaRegistry) {
        for input in inputs { input.document(&operation, in: &registry) }
        operation.responseSchema = output.responseSchema(in: &registry)
        operation.responseMediaType = output.responseMediaType
    }
}

/// Path templates such as `/items/{id}`: literal segments and `{name}` parameters.
enum PathTemplate {
    enum Segment: Equatable {
        case literal(String)
        case parameter(String)
    }

    /// The segments after the leading `/`; a trailing slash gives a last, empty literal.
    static func segments(_ path: String) -> [Segment] {
        path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") && segment.count > 2
                ? .parameter(String(segment.dropFirst().dropLast())) : .literal(String(segment))
        }
    }
}
