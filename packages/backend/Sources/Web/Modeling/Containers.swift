// Optional (nullable, not required), Array, and Omittable (a partial update's "absent" kept
// apart from an explicit null) as JSON values.

import JSON

// Inlinable, so that they are compiled for each field's type (generic, decoding asked the runtime
// for `Wrapped??`'s metadata on every call).
extension Optional: JSONCodable, ResponseEncodable where Wrapped: JSONCodable {
    @inlinable
    public static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> Wrapped?? {
        if case .null = json { return .some(nil) }
        return Wrapped.decode(json, at: location, constraints: constraints, issues: issues).map { .some($0) }
    }

    @inlinable
    public static func read(from reader: inout JSONReader, constraints: [Constraint]) -> Wrapped?? {
        if reader.readNull() { return .some(nil) }
        return Wrapped.read(from: &reader, constraints: constraints).map { .some($0) }
    }

    @inlinable
    public static var absentValue: Wrapped?? { .some(nil) }

    @inlinable
    public func encode(to writer: inout JSONWriter) {
        if let value = self { value.encode(to: &writer) } else { writer.writeNull() }
    }

    public static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject {
        ["anyOf": [.object(Wrapped.schema(constraints: constraints, in: &registry)), ["type": "null"]]]
    }
}

extension Array: JSONCodable, ResponseEncodable where Element: JSONCodable {
    @inlinable
    public static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> [Element]? {
        guard case .array(let elements) = json else {
            issues.add("list_type", location, "Input should be a valid list", input: json)
            return nil
        }
        let parent = location.elements
        var decoded: [Element] = []
        decoded.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            if let value = Element.decode(
                element, at: FieldLocation(parent, .index(index)), constraints: constraints, issues: issues)
            {
                decoded.append(value)
            }
        }
        return decoded.count == elements.count ? decoded : nil
    }

    @inlinable
    public func encode(to writer: inout JSONWriter) {
        writer.append("[")
        for (index, element) in enumerated() {
            if index > 0 { writer.append(",") }
            element.encode(to: &writer)
        }
        writer.append("]")
    }

    public static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject {
        ["items": .object(Element.schema(constraints: constraints, in: &registry)), "type": "array"]
    }
}

/// A field of a partial update: `.omitted` when the key was absent, else the value sent
/// (which may be nil for an explicit `null` when `Wrapped` is optional).
public enum Omittable<Wrapped: JSONCodable>: JSONCodable {
    case omitted
    case value(Wrapped)

    /// The value sent, or nil when the key was absent.
    public var sent: Wrapped? {
        if case .value(let value) = self { value } else { nil }
    }

    public static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> Omittable? {
        Wrapped.decode(json, at: location, constraints: constraints, issues: issues).map { .value($0) }
    }

    public static func read(from reader: inout JSONReader, constraints: [Constraint]) -> Omittable? {
        Wrapped.read(from: &reader, constraints: constraints).map { .value($0) }
    }

    public static var absentValue: Omittable? { .omitted }

    public var isOmitted: Bool { sent == nil }

    public func encode(to writer: inout JSONWriter) {
        if let sent { sent.encode(to: &writer) } else { writer.writeNull() }
    }

    public static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject {
        Wrapped.schema(constraints: constraints, in: &registry)
    }
}

extension Omittable: Equatable where Wrapped: Equatable {}
