// Reading the request body once, the way FastAPI does: JSON when the Content-Type is JSON (or
// absent, or empty), raw text otherwise; urlencoded or multipart forms for form inputs.

import JSON

enum RequestBody {
    case empty
    /// A JSON body read straight into the model a route declared (see `JSONReader`).
    case model(AnyObject)
    case json(JSONValue)
    /// A body that is not JSON, kept as text (FastAPI then reports its text as the input).
    case text(String)
    /// Form fields; empty values are left out (FastAPI treats them as absent).
    case form(JSONObject)
}

extension RequestContext {
    /// The media type of the request, lower-cased, without parameters.
    var mediaType: Substring? {
        withMediaType { bytes in
            Substring(
                String(unsafeUninitializedCapacity: bytes.count) { out in
                    for (offset, byte) in bytes.enumerated() {
                        out[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                    }
                    return bytes.count
                })
        }
    }

    /// Whether the media type is JSON, `application/json` or `application/...+json` in any case
    /// (as FastAPI decides); nil without a Content-Type or with an empty one. Compared in place:
    /// this runs per request.
    var hasJSONMediaType: Bool? {
        withMediaType { bytes in
            if bytes.equals("application/json") { return true }  // as nearly every client sends it
            guard bytes.count >= 16 else { return false }
            func part(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[range]) }
            return part(0..<12).equalsLowercased("application/")
                && (part(12..<bytes.count).equalsLowercased("json")
                    || part(bytes.count - 5..<bytes.count).equalsLowercased("+json"))
        }
    }

    /// Calls `body` with the Content-Type's media type: its bytes before any parameters, without
    /// the white space around them. Byte-level: a media type is ASCII, and String's Unicode paths
    /// cost more than the request.
    private func withMediaType<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result? {
        guard var contentType = request.headers["content-type"], !contentType.isEmpty else { return nil }
        return contentType.withUTF8 { utf8 in
            let end = utf8.firstIndex(of: UInt8(ascii: ";")) ?? utf8.endIndex
            return body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[..<end]).trimmingOWS)
        }
    }

    /// The model the body was read into, if it was (a `ModelBox`).
    @usableFromInline
    var readModel: AnyObject? {
        if case .model(let box) = body { box } else { nil }
    }

    /// The JSON body's object, or nil after recording why there is none to decode a model from.
    @usableFromInline
    func jsonBodyObject() -> JSONObject? {
        let location = FieldLocation(LocationElement.body)
        if case .model = body {
            // Read into another route input's model: well-formed, so it parses.
            body = .json((try? JSONParser.parse(request.body)) ?? .null)
        }
        switch body {
        case .json(.object(let object)):
            return object
        case .json(.null), .empty, .model, nil:
            issues.add(.missing(location, input: .null))
        case .json(let other):
            issues.add(Self.notAnObject(other))
        case .text(let text):
            issues.add(Self.notAnObject(.string(text)))
        case .form(let fields):
            issues.add(Self.notAnObject(.object(fields)))
        }
        return nil
    }

    private static func notAnObject(_ input: JSONValue) -> ValidationIssue {
        ValidationIssue(
            type: "model_attributes_type", loc: LocationElement.body,
            msg: "Input should be a valid dictionary or object to extract fields from", input: input)
    }

    /// Reads a JSON body: straight into a model with `read` if it can, else into a tree; malformed
    /// JSON is a 422 `json_invalid` at once, before dependencies.
    @usableFromInline
    func readJSONBody(_ read: (inout JSONReader) -> AnyObject?) throws {
        guard body == nil else { return }
        let bytes = request.body
        if bytes.isEmpty {
            body = .empty
            return
        }
        if hasJSONMediaType == false {
            body = .text(try text(bytes))
            return
        }
        let isASCII = Self.isASCII(bytes)
        if !isASCII { _ = try text(bytes) }
        if let model = JSONReader.read(bytes, isASCII: isASCII, with: read) {
            body = .model(model)
            return
        }
        do {
            body = .json(try JSONParser.parse(bytes))
        } catch {
            if error.isTooDeep { throw HTTPError.unparsableBody }
            throw RequestValidationError([
                ValidationIssue(
                    type: "json_invalid", loc: ["body", .index(error.offset)], msg: "JSON decode error", input: [:],
                    ctx: ["error": .string(error.message)])
            ])
        }
    }

    /// Parses a urlencoded or multipart form; any other content type gives an empty form.
    func readFormBody() throws {
        guard body == nil else { return }
        var fields: [(name: String, value: String)] = []
        switch mediaType {
        case "application/x-www-form-urlencoded":
            fields = FormURLEncoded.parse(Substring(try text(request.body)))
        case "multipart/form-data":
            guard let boundary = Multipart.boundary(request.headers["content-type"] ?? ""),
                let parts = Multipart.fields(request.body, boundary: boundary)
            else { throw HTTPError.unparsableBody }
            fields = parts
        default:
            break
        }
        body = .form(JSONObject(fields.filter { !$0.value.isEmpty }.map { (key: $0.name, value: .string($0.value)) }))
    }

    /// Whether every byte is below 0x80, checked eight at a time (JSON bodies nearly always are,
    /// and then need no UTF-8 validation).
    private static func isASCII(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var index = 0
            var high: UInt64 = 0
            while index + 8 <= raw.count {
                high |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                index += 8
            }
            while index < raw.count {
                high |= UInt64(raw[index])
                index += 1
            }
            return high & 0x8080_8080_8080_8080 == 0
        }
    }

    /// The body as UTF-8 text; invalid UTF-8 is FastAPI's 400.
    private func text(_ bytes: [UInt8]) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw HTTPError.unparsableBody }
        return text
    }
}

/// A model read from a body, kept in the request context until its input extracts it. A class:
/// telling it apart from another input's model is a class cast, where a value in an existential
/// (`any Sendable`) took a dynamic cast that cost more than the reading it saved.
@usableFromInline
final class ModelBox<M> {
    @usableFromInline let model: M

    @usableFromInline
    init(_ model: M) { self.model = model }
}
