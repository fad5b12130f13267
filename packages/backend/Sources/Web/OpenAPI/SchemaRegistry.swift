// The `components.schemas` being collected while the OpenAPI document is generated.

import JSON

public struct SchemaRegistry: Sendable {
    public private(set) var schemas: [String: JSONObject] = [:]

    public init() {}

    /// A `$ref` to the component `name`, built by `make` the first time it is referenced.
    public mutating func reference(_ name: String, _ make: (inout SchemaRegistry) -> JSONObject) -> JSONObject {
        if schemas[name] == nil {
            schemas[name] = [:]  // placeholder, so a recursive model does not recurse forever
            schemas[name] = make(&self)
        }
        return ["$ref": .string("#/components/schemas/\(name)")]
    }

    /// The components sorted by name, as FastAPI writes them.
    public var sortedComponents: JSONObject {
        JSONObject(schemas.keys.sorted().map { (key: $0, value: .object(schemas[$0]!)) })
    }
}
