// Path, query and header parameters: one typed value each, with constraints and a default.
//
//     Path<UUID>("id")   Query("skip", default: 0)   Query<String>("email_to", .email)   Header<String?>("x-token")

public typealias Path<V: JSONCodable> = Parameter<PathSource, V>
public typealias Query<V: JSONCodable> = Parameter<QuerySource, V>
public typealias Header<V: JSONCodable> = Parameter<HeaderSource, V>

/// Where a parameter's text comes from; also its `loc` prefix and OpenAPI `in`.
public protocol ParameterLocation: Sendable {
    static var name: String { get }
    /// `[name]`, kept so a request's error locations need no new array.
    static var location: [LocationElement] { get }
    static func rawValue(_ name: String, in context: RequestContext) -> String?
}

public enum PathSource: ParameterLocation {
    public static var name: String { "path" }
    public static let location: [LocationElement] = [.key(name)]
    public static func rawValue(_ name: String, in context: RequestContext) -> String? {
        context.pathParameter(name)
    }
}

public enum QuerySource: ParameterLocation {
    public static var name: String { "query" }
    public static let location: [LocationElement] = [.key(name)]
    public static func rawValue(_ name: String, in context: RequestContext) -> String? {
        context.queryParameter(name)
    }
}

public enum HeaderSource: ParameterLocation {
    public static var name: String { "header" }
    public static let location: [LocationElement] = [.key(name)]
    public static func rawValue(_ name: String, in context: RequestContext) -> String? {
        context.request.headers[name]
    }
}

public struct Parameter<Source: ParameterLocation, V: JSONCodable>: RouteInput {
    public let name: String
    public let constraints: [Constraint]
    public let defaultValue: V?

    public init(_ name: String, _ constraints: Constraint..., default: V? = nil) {
        self.name = name
        self.constraints = constraints
        defaultValue = `default`
    }

    public var resolvesDependencies: Bool { false }

    public func extract(_ context: RequestContext) throws -> V? {
        let location = FieldLocation(Source.location, .key(name))
        guard let raw = Source.rawValue(name, in: context) else {
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
        let required = Source.self == PathSource.self || (defaultValue == nil && V.absentValue == nil)
        operation.addParameter(
            ["name": .string(name), "in": .string(Source.name), "required": .bool(required), "schema": .object(schema)])
    }
}
