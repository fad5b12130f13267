// UUID and Date as JSON values: Pydantic's uuid parsing errors, RFC 3339 dates.

import FoundationEssentials
import JSON
import TextFormats

extension UUID: JSONCodable {
    public static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> UUID? {
        guard case .string(let text) = json else {
            issues.add("uuid_type", location, "UUID input should be a string, bytes or UUID object", input: json)
            return nil
        }
        switch UUIDText.parse(text) {
        case .success(let uuid):
            return uuid
        case .failure(let failure):
            issues.add(
                "uuid_parsing", location, "Input should be a valid UUID, \(failure.message)", input: json,
                ctx: ["error": .string(failure.message)])
            return nil
        }
    }

    public static func read(from reader: inout JSONReader, constraints: [Constraint]) -> UUID? {
        guard let (text, _) = reader.readString(), case .success(let uuid) = UUIDText.parse(text) else { return nil }
        return uuid
    }

    public func encode(to writer: inout JSONWriter) { writer.write(self) }

    public static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject {
        ["type": "string", "format": "uuid"]
    }
}

extension Date: JSONCodable {
    public static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> Date? {
        switch json {
        case .int(let seconds): return Date(timeIntervalSince1970: Double(seconds))
        case .double(let seconds) where seconds.isFinite: return Date(timeIntervalSince1970: seconds)
        case .string(let text):
            if let date = RFC3339.parse(text) { return date }
            issues.add(
                "datetime_parsing", location, "Input should be a valid datetime, invalid datetime format", input: json,
                ctx: ["error": "invalid datetime format"])
            return nil
        default:
            issues.add("datetime_type", location, "Input should be a valid datetime", input: json)
            return nil
        }
    }

    public func encode(to writer: inout JSONWriter) { writer.write(self) }

    public static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject {
        ["type": "string", "format": "date-time"]
    }
}
