// The one protocol for values that travel as JSON: decoded from a parsed value with Pydantic's
// lax rules and error messages (or read straight from the bytes when the value is plainly of its
// type), encoded compactly, and described as a JSON schema.

import HTTPServer
import JSON

public protocol JSONCodable: ResponseEncodable {
    /// Decodes `json`, or records an issue at `location` and returns nil.
    static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> Self?

    /// Reads the value straight from a request's bytes when it is plainly of this type and meets
    /// `constraints`, giving exactly what `decode` gives; nil otherwise, without saying why (the
    /// body is then decoded from its tree, which reports it). None of the lax conversions.
    static func read(from reader: inout JSONReader, constraints: [Constraint]) -> Self?

    func encode(to writer: inout JSONWriter)

    /// The schema of this type under `constraints`; models register themselves in `registry`.
    static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject

    /// The value when the key is absent; nil means the key is required.
    static var absentValue: Self? { get }

    /// True for a partial update's omitted value: the key is left out when encoding.
    var isOmitted: Bool { get }
}

extension JSONCodable {
    /// Types without a reader of their own always leave decoding to the tree.
    public static func read(from reader: inout JSONReader, constraints: [Constraint]) -> Self? { nil }

    public static var absentValue: Self? { nil }
    public var isOmitted: Bool { false }

    @inlinable
    public func makeResponse(status: HTTPStatus) -> HTTPResponse {
        var writer = JSONWriter()
        encode(to: &writer)
        return .json(writer.bytes, status: status)
    }

    public static func responseSchema(in registry: inout SchemaRegistry) -> JSONObject? {
        schema(constraints: [], in: &registry)
    }

    /// The value as a parsed JSON tree (for documents built once, such as schema defaults).
    public var jsonValue: JSONValue {
        var writer = JSONWriter()
        encode(to: &writer)
        return (try? JSONParser.parse(writer.bytes)) ?? .null
    }
}

extension String: JSONCodable {
    public static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> String? {
        guard case .string(let string) = json else {
            issues.add("string_type", location, "Input should be a valid string", input: json)
            return nil
        }
        return constraints.isEmpty ? string : constraints.check(string, at: location, issues: issues)
    }

    public static func read(from reader: inout JSONReader, constraints: [Constraint]) -> String? {
        guard let (string, scalarCount) = reader.readString() else { return nil }
        if constraints.isEmpty { return string }
        return constraints.check(string, scalarCount: scalarCount, at: FieldLocation([]), issues: nil)
    }

    public func encode(to writer: inout JSONWriter) { writer.write(self) }

    public static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject {
        var schema: JSONObject = ["type": "string"]
        constraints.schemaKeywords(&schema)
        return schema
    }
}

extension Bool: JSONCodable {
    public static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> Bool? {
        switch json {
        case .bool(let bool): return bool
        case .int(0), .double(0): return false
        case .int(1), .double(1): return true
        case .string(let text):
            switch text.lowercased() {
            case "0", "off", "f", "false", "n", "no": return false
            case "1", "on", "t", "true", "y", "yes": return true
            default: break
            }
        case .int, .double: break
        default:
            issues.add("bool_type", location, "Input should be a valid boolean", input: json)
            return nil
        }
        issues.add("bool_parsing", location, "Input should be a valid boolean, unable to interpret input", input: json)
        return nil
    }

    public static func read(from reader: inout JSONReader, constraints: [Constraint]) -> Bool? { reader.readBool() }

    public func encode(to writer: inout JSONWriter) { writer.write(self) }

    public static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject {
        ["type": "boolean"]
    }
}

extension Int: JSONCodable {
    public static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> Int? {
        let value: Int
        switch json {
        case .int(let int):
            value = int
        case .bool(let bool):
            value = bool ? 1 : 0
        case .double(let double) where !double.isFinite:
            issues.add("finite_number", location, "Input should be a finite number", input: json)
            return nil
        case .double(let double):
            guard double.rounded() == double, let int = Int(exactly: double) else {
                issues.add(
                    "int_from_float", location, "Input should be a valid integer, got a number with a fractional part",
                    input: json)
                return nil
            }
            value = int
        case .string(let text):
            guard let int = parseInteger(text) else {
                issues.add(
                    "int_parsing", location, "Input should be a valid integer, unable to parse string as an integer",
                    input: json)
                return nil
            }
            value = int
        default:
            issues.add("int_type", location, "Input should be a valid integer", input: json)
            return nil
        }
        return constraints.check(Double(value), input: json, at: location, issues: issues) ? value : nil
    }

    public static func read(from reader: inout JSONReader, constraints: [Constraint]) -> Int? {
        guard let value = reader.readInt() else { return nil }
        return constraints.check(Double(value), input: .null, at: FieldLocation([]), issues: nil) ? value : nil
    }

    /// Pydantic's lax string-to-int: surrounding whitespace, a sign, `_` between digits and a
    /// fraction of zeros are accepted.
    private static func parseInteger(_ text: String) -> Int? {
        var digits = text.trimmingWhitespace
        if let dot = digits.firstIndex(of: "."), digits[digits.index(after: dot)...].allSatisfy({ $0 == "0" }) {
            digits = digits[..<dot]
        }
        let unsigned = digits.first == "-" || digits.first == "+" ? digits.dropFirst() : digits
        guard let first = unsigned.first, first != "_", unsigned.last != "_", !unsigned.contains("__") else {
            return nil
        }
        return Int(digits.filter { $0 != "_" })
    }

    public func encode(to writer: inout JSONWriter) { writer.write(self) }

    public static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject {
        var schema: JSONObject = ["type": "integer"]
        constraints.schemaKeywords(&schema)
        return schema
    }
}

extension Double: JSONCodable {
    public static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> Double? {
        let value: Double
        switch json {
        case .int(let int): value = Double(int)
        case .double(let double): value = double
        case .bool(let bool): value = bool ? 1 : 0
        case .string(let text):
            guard let double = Double(text.trimmingWhitespace) else {
                issues.add(
                    "float_parsing", location, "Input should be a valid number, unable to parse string as a number",
                    input: json)
                return nil
            }
            value = double
        default:
            issues.add("float_type", location, "Input should be a valid number", input: json)
            return nil
        }
        return constraints.check(value, input: json, at: location, issues: issues) ? value : nil
    }

    public static func read(from reader: inout JSONReader, constraints: [Constraint]) -> Double? {
        guard let value = reader.readDouble() else { return nil }
        return constraints.check(value, input: .null, at: FieldLocation([]), issues: nil) ? value : nil
    }

    public func encode(to writer: inout JSONWriter) { writer.write(self) }

    public static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject {
        var schema: JSONObject = ["type": "number"]
        constraints.schemaKeywords(&schema)
        return schema
    }
}

extension JSONValue: JSONCodable {
    public static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> JSONValue? { json }

    public static func read(from reader: inout JSONReader, constraints: [Constraint]) -> JSONValue? {
        reader.readValue()
    }

    public func encode(to writer: inout JSONWriter) { writer.write(self) }

    public static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject { [:] }
}
