// Row timestamps as JSON: RFC 3339 UTC with `Z`, microseconds dropped when zero (Pydantic's form).

import FoundationEssentials
import Storage
import Web

extension Timestamp: JSONCodable {
    public static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> Timestamp? {
        Date.decode(json, at: location, constraints: constraints, issues: issues).map {
            Timestamp(microsecondsSinceEpoch: Int64(($0.timeIntervalSince1970 * 1_000_000).rounded()))
        }
    }

    public func encode(to writer: inout JSONWriter) {
        var text: [UInt8] = [UInt8(ascii: "\"")]
        appendRFC3339(to: &text)
        text.append(UInt8(ascii: "\""))
        writer.writeRaw(text)
    }

    public static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject {
        ["type": "string", "format": "date-time"]
    }
}
