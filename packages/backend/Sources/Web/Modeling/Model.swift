// Models: a struct declares its fields once (JSON name, key path, constraints, default), and
// that one list decodes and validates requests, encodes responses in declaration order and
// produces the OpenAPI schema.
//
//     struct ItemCreate: Model {
//         var title: String
//         var description: String?
//         static let fields = ModelFields(ItemCreate.init,
//             Field("title", \.title, .minLength(1), .maxLength(255)),
//             Field("description", \.description, .maxLength(255)))
//     }

import HTTPServer
import JSON

public protocol Model: JSONCodable {
    static var fields: ModelFields<Self> { get }
    /// The schema's component name; the type name unless overridden.
    static var schemaName: String { get }
}

// Inlinable, so that they are compiled for each model: generic, they asked the runtime for
// `ModelFields<Self>`'s metadata on every call.
extension Model {
    public static var schemaName: String { String(describing: Self.self) }

    @inlinable
    public static func decode(
        _ json: JSONValue, at location: FieldLocation, constraints: [Constraint], issues: ValidationIssues
    ) -> Self? {
        guard case .object(let object) = json else {
            issues.add(
                "model_type", location, "Input should be a valid dictionary or instance of \(schemaName)", input: json,
                ctx: ["class_name": .string(schemaName)])
            return nil
        }
        return fields.decode(object, missingInput: json, location: location.elements, issues: issues)
    }

    @inlinable
    public static func read(from reader: inout JSONReader, constraints: [Constraint]) -> Self? {
        fields.readObject?(&reader)
    }

    @inlinable
    public func encode(to writer: inout JSONWriter) { Self.fields.encode(self, to: &writer) }

    public static func schema(constraints: [Constraint], in registry: inout SchemaRegistry) -> JSONObject {
        registry.reference(schemaName) { registry in fields.objectSchema(title: schemaName, in: &registry) }
    }
}

/// One field of a model.
public struct Field<M, V: JSONCodable>: Sendable {
    public let name: String
    /// The name's UTF-8 bytes, to match keys read straight from a body.
    @usableFromInline let key: [UInt8]
    @usableFromInline let constraints: [Constraint]
    @usableFromInline let defaultValue: V?
    /// The value when the key is absent: the default, else the type's (nil: required).
    @usableFromInline let absent: V?
    @usableFromInline let format: String?
    /// Writes `,"name":value` (the comma when asked) for this field of a model; false, writing
    /// nothing, when the value is omitted. Made in the model's own module (the initializer is
    /// inlinable), so it is compiled for the concrete types: encoding costs no generic dispatch.
    @usableFromInline let writeMember: @Sendable (M, inout JSONWriter, _ comma: Bool) -> Bool
    /// Decodes this field from a request object, recording issues; made alongside `writeMember`.
    @usableFromInline let readMember:
        @Sendable (JSONObject, _ missingInput: JSONValue, _ parent: [LocationElement], ValidationIssues) -> V?

    /// - Parameters:
    ///   - default: the value when the key is absent (the field is then not required).
    ///   - format: an OpenAPI `format` shown on the field itself (e.g. "password").
    @inlinable
    public init(
        _ name: String, _ read: @escaping @Sendable (M) -> V, _ constraints: Constraint..., default: V? = nil,
        format: String? = nil
    ) {
        self.name = name
        self.key = Array(name.utf8)
        var key = JSONWriter()
        key.write(name)
        key.append(":")
        let encodedKey = key.bytes
        writeMember = { model, writer, comma in
            let value = read(model)
            if value.isOmitted { return false }
            if comma { writer.append(",") }
            writer.writeRaw(encodedKey)
            value.encode(to: &writer)
            return true
        }
        let absent = `default` ?? V.absentValue
        self.absent = absent
        readMember = { object, missingInput, parent, issues in
            let location = FieldLocation(parent, .key(name))
            guard let json = object[name] else {
                if let absent { return absent }
                issues.add(.missing(location, input: missingInput))
                return nil
            }
            return V.decode(json, at: location, constraints: constraints, issues: issues)
        }
        self.constraints = constraints
        self.defaultValue = `default`
        self.format = format
    }

    var isRequired: Bool { absent == nil }

    /// Reads this field's value from `reader` into `value` when `key` is its name: nil for another
    /// key, else whether the value was read (see `JSONCodable.read`). The fixed-arity readers call
    /// it for each key of a body.
    @inlinable
    func read(_ key: UnsafeRawBufferPointer, from reader: inout JSONReader, into value: inout V?) -> Bool? {
        guard key.equals(self.key) else { return nil }
        value = V.read(from: &reader, constraints: constraints)
        return value != nil
    }

    /// The property schema: the type's schema, then `format`, `title` and `default`.
    func propertySchema(in registry: inout SchemaRegistry) -> JSONObject {
        var schema = V.schema(constraints: constraints, in: &registry)
        if let format { schema["format"] = .string(format) }
        schema["title"] = .string(OpenAPINames.title(name))
        if let defaultValue { schema["default"] = defaultValue.jsonValue }
        return schema
    }
}

/// A model's fields, type-erased so `Model.fields` has one type.
public struct ModelFields<M>: Sendable {
    public typealias ObjectDecoder =
        @Sendable (JSONObject, _ missingInput: JSONValue, _ location: [LocationElement], ValidationIssues) -> M?
    public typealias ObjectReader = @Sendable (inout JSONReader) -> M?

    @usableFromInline let coder: any FieldCoder<M>
    @usableFromInline let members: [@Sendable (M, inout JSONWriter, _ comma: Bool) -> Bool]
    @usableFromInline let decodeObject: ObjectDecoder
    /// Reads the model straight from a body's bytes (see `JSONCodable.read`); models with more
    /// fields than the fixed-arity initializers take have none, and are always decoded from the tree.
    @usableFromInline let readObject: ObjectReader?

    /// Any number of fields. Models of up to six fields get an overload from
    /// ModelFields+Arity.swift instead, whose decoder has no parameter pack: a pack expansion asks
    /// the runtime for its element types' metadata on every request, even when inlined.
    @inlinable
    public init<each V: JSONCodable>(
        _ make: @escaping @Sendable (repeat each V) -> M, _ fields: repeat Field<M, each V>
    ) {
        self.init(repeat each fields) { object, missingInput, location, issues in
            let values = (repeat (each fields).readMember(object, missingInput, location, issues))
            guard let all = unwrapAll(repeat each values) else { return nil }
            return make(repeat each all)
        }
    }

    /// The fields' names, schema and encoders (nothing here runs per request but the encoders,
    /// which are closures made for concrete types), with the decoder and reader an overload built.
    @inlinable
    init<each V: JSONCodable>(
        _ fields: repeat Field<M, each V>, decoder: @escaping ObjectDecoder, reader: ObjectReader? = nil
    ) {
        coder = Self.coder(fields: repeat each fields)
        var members: [@Sendable (M, inout JSONWriter, _ comma: Bool) -> Bool] = []
        for field in repeat each fields { members.append(field.writeMember) }
        self.members = members
        decodeObject = decoder
        // The reader matches keys byte for byte, one field per key: it would disagree with the
        // tree (Swift's `==`, canonical equivalence) on a non-ASCII name, and with itself on a
        // name declared twice. Such models are decoded from the tree only.
        let names = coder.names
        let plainNames = names.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } && Set(names).count == names.count
        readObject = plainNames ? reader : nil
    }

    @usableFromInline
    static func coder<each V: JSONCodable>(fields: repeat Field<M, each V>) -> any FieldCoder<M> {
        PackedFields(fields: (repeat each fields))
    }

    public var names: [String] { coder.names }

    /// Decodes every field, recording all issues; nil if any failed.
    @inlinable
    public func decode(
        _ object: JSONObject, missingInput: JSONValue, location: [LocationElement], issues: ValidationIssues
    ) -> M? {
        decodeObject(object, missingInput, location, issues)
    }

    /// The model as a JSON object, keys in declaration order, omitted values left out. Inlinable:
    /// specialised for the model, iterating its members needs no closure type metadata at run time.
    @inlinable
    public func encode(_ model: M, to writer: inout JSONWriter) {
        writer.append("{")
        var written = false
        for member in members {
            if member(model, &writer, written) { written = true }
        }
        writer.append("}")
    }

    public func objectSchema(title: String, in registry: inout SchemaRegistry) -> JSONObject {
        coder.objectSchema(title: title, in: &registry)
    }
}

/// What of a model's fields needs no specialising: names and schema.
@usableFromInline
protocol FieldCoder<Model>: Sendable {
    associatedtype Model
    var names: [String] { get }
    func objectSchema(title: String, in registry: inout SchemaRegistry) -> JSONObject
}

/// A class, so that copying a `ModelFields` (every `M.fields` read) retains it instead of copying
/// a pack of fields, which costs the fields' type metadata at run time.
private final class PackedFields<Model, each V: JSONCodable>: FieldCoder {
    let fields: (repeat Field<Model, each V>)

    init(fields: (repeat Field<Model, each V>)) { self.fields = fields }

    var names: [String] {
        var names: [String] = []
        for field in repeat each fields { names.append(field.name) }
        return names
    }

    func objectSchema(title: String, in registry: inout SchemaRegistry) -> JSONObject {
        var properties = JSONObject()
        var required: [JSONValue] = []
        for field in repeat each fields {
            properties[field.name] = .object(field.propertySchema(in: &registry))
            if field.isRequired { required.append(.string(field.name)) }
        }
        var schema: JSONObject = ["properties": .object(properties), "type": "object"]
        if !required.isEmpty { schema["required"] = .array(required) }
        schema["title"] = .string(title)
        return schema
    }
}

/// All values, or nil if any is missing.
@inlinable
func unwrapAll<each T>(_ values: repeat (each T)?) -> (repeat each T)? {
    for value in repeat each values {
        if value == nil { return nil }
    }
    return (repeat (each values)!)
}
