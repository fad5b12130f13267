// Path, query and header parameters: one typed value each, with constraints and a default.
//
//     Path<UUID>("id")   Query("skip", default: 0)   Query<String>("email_to", .email)   Header<String?>("x-token")

public struct Path<V: JSONCodable>: SingleValueParameter {
    public static var source: String { "path" }
    public let name: String
    public let constraints: [Constraint]
    public var defaultValue: V? { nil }

    public init(_ name: String, _ constraints: Constraint...) {
        self.name = name
        self.constraints = constraints
    }

    public func rawValue(_ context: RequestContext) -> String? { context.pathParameter(name) }
}

public struct Query<V: JSONCodable>: SingleValueParameter {
    public static var source: String { "query" }
    public let name: String
    public let constraints: [Constraint]
    public let defaultValue: V?

    public init(_ name: String, _ constraints: Constraint..., default: V? = nil) {
        self.name = name
        self.constraints = constraints
        defaultValue = `default`
    }

    public func rawValue(_ context: RequestContext) -> String? { context.queryParameter(name) }
}

public struct Header<V: JSONCodable>: SingleValueParameter {
    public static var source: String { "header" }
    public let name: String
    public let constraints: [Constraint]
    public let defaultValue: V?

    public init(_ name: String, _ constraints: Constraint..., default: V? = nil) {
        self.name = name
        self.constraints = constraints
        defaultValue = `default`
    }

    public func rawValue(_ context: RequestContext) -> String? { context.request.headers[name] }
}

/// What path, query and header parameters share: a name, a text value, a type to parse it into.
public protocol SingleValueParameter: RouteInput where Value == V {
    associatedtype V: JSONCodable
    /// The `loc` prefix and OpenAPI `in`: "path", "query" or "header".
    static var source: String { get }
    var name: String { get }
    var constraints: [Constraint] { get }
    var defaultValue: V? { get }
    func rawValue(_ context: RequestContext) -> String?
}

extension SingleValueParameter {
    public func extract(_ context: RequestContext) async throws -> V? {
        let location = FieldLocation([.key(Self.source)], .key(name))
        guard let raw = rawValue(context) else {
            if let value = defaultValue ?? V.absentValue { return value }
            context.issues.add(.missing(location, input: .null))
            return nil
        }
        return V.decode(.string(raw), at: location, constraints: constraints, issues: context.issues)
    }

    public func document(_ operation: inout OperationDocument, in registry: inout SchemaRegistry) {
        var schema = V.schema(constraints: constraints, in: &registry)
        if let defaultValue { schema["default"] = defaultValue.jsonValue }
        schema["title"] = .string(OpenAPINames.title(name))
        let required = Self.source == "path" || (defaultValue == nil && V.absentValue == nil)
        operation.addParameter(
            ["name": .string(name), "in": .string(Self.source), "required": .bool(required), "schema": .object(schema)])
    }
}
