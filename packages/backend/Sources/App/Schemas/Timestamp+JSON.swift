// Row timestamps as JSON: RFC 3339 UTC with `Z`, microseconds dropped when zero (Pydantic's form).

import FoundationEssentials
import JSON
import Storage
import TextFormats
import Web

extension Timestamp: JSONCodable {
    public static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> Timestamp? {
        Date.decode(json, at: location, constraints: constraints, issues: issues).map {
            Timestamp(microsecondsSinceEpoch: RFC3339.microseconds($0))
        }
    }

    public func encode(to writer: inout JSONWriter) { withRFC3339 { writer.writeQuoted($0) } }

    public static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject {
        ["type": "string", "format": "date-time"]
    }
}
