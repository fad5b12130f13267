// A declared route: method, path template, the metadata FastAPI derives names from, and the
// typed endpoint that resolves its inputs, calls the handler and encodes the result.

import HTTPServer

public struct Route: Sendable {
    public let method: HTTPMethod
    public let path: String
    /// The Python-style function name: operation id `{tag}-{name}`, summary "Read Items".
    public let name: String
    public let tags: [String]
    public let summary: String?
    public let description: String?
    public let status: HTTPStatus
    public let includeInSchema: Bool
    let endpoint: any Endpoint
    /// The names of the `{parameters}` in the path template, in order.
    let parameterNames: [String]

    init(
        method: HTTPMethod, path: String, name: String, tags: [String], summary: String?, description: String?,
        status: HTTPStatus, includeInSchema: Bool, endpoint: any Endpoint
    ) {
        self.method = method
        self.path = path
        self.name = name
        self.tags = tags
        self.summary = summary
        self.description = description
        self.status = status
        self.includeInSchema = includeInSchema
        self.endpoint = endpoint
        parameterNames = PathTemplate.segments(path).compactMap {
            if case .parameter(let name) = $0 { name } else { nil }
        }
    }

    var operationID: String { OpenAPINames.operationID(name: name, tags: tags) }

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

protocol Endpoint: Sendable {
    func respond(_ context: RequestContext) async throws -> HTTPResponse
    func document(_ operation: inout OperationDocument, in registry: inout SchemaRegistry)
}

struct TypedEndpoint<each Input: RouteInput, Output: ResponseEncodable>: Endpoint {
    let inputs: (repeat each Input)
    let status: HTTPStatus
    let handler: @Sendable (repeat (each Input).Value) async throws -> Output

    func respond(_ context: RequestContext) async throws -> HTTPResponse {
        for input in repeat each inputs { try input.prepare(context) }
        for input in repeat each inputs { try await input.resolve(context) }
        let values = (repeat try await (each inputs).extract(context))
        guard context.issues.isEmpty, let arguments = unwrapAll(repeat each values) else {
            throw RequestValidationError(context.issues.all)
        }
        return try await handler(repeat each arguments).makeResponse(status: status)
    }

    func document(_ operation: inout OperationDocument, in registry: inout SchemaRegistry) {
        for input in repeat each inputs { input.document(&operation, in: &registry) }
        operation.responseSchema = Output.responseSchema(in: &registry)
        operation.responseMediaType = Output.responseMediaType
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
