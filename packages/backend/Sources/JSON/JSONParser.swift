// A JSON parser over UTF-8 bytes that fails the way Python's `json` module does: the same
// messages ("Expecting value", "Expecting ',' delimiter", ...) at the same character offsets.

import TextFormats

/// Malformed JSON: Python's message and the offset in characters (not bytes).
public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public let offset: Int
    /// True when the document nests deeper than the parser allows (Python: RecursionError).
    public let isTooDeep: Bool

    public var description: String { "\(message): char \(offset)" }
}

public struct JSONParser {
    static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    /// A parser at the start of `bytes`, past a UTF-8 byte order mark if there is one.
    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// Parses a whole document; a UTF-8 byte order mark is skipped, as `json.loads(bytes)` does.
    public static func parse(_ input: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError> = input.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer)
            return Result { () throws(JSONSyntaxError) in try parser.document() }
        }
        return try result.get()
    }

    private mutating func document() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try value()
        skipWhitespace()
        if index < bytes.count { throw error("Extra data", at: index) }
        return value
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func error(_ message: String, at byteOffset: Int, tooDeep: Bool = false) -> JSONSyntaxError {
        var characters = 0
        for byte in bytes[..<min(byteOffset, bytes.count)] where byte & 0xC0 != 0x80 { characters += 1 }
        return JSONSyntaxError(message: message, offset: characters, isTooDeep: tooDeep)
    }

    mutating func value() throws(JSONSyntaxError) -> JSONValue {
        guard let byte = current else { throw error("Expecting value", at: index) }
        switch byte {
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "{"):
            return try nested { (parser: inout JSONParser) throws(JSONSyntaxError) in try parser.object() }
        case UInt8(ascii: "["):
            return try nested { (parser: inout JSONParser) throws(JSONSyntaxError) in try parser.array() }
        case UInt8(ascii: "n") where literal("null"): return .null
        case UInt8(ascii: "t") where literal("true"): return .bool(true)
        case UInt8(ascii: "f") where literal("false"): return .bool(false)
        case UInt8(ascii: "N") where literal("NaN"): return .double(.nan)
        case UInt8(ascii: "I") where literal("Infinity"): return .double(.infinity)
        case UInt8(ascii: "-") where literal("-Infinity"): return .double(-.infinity)
        default:
            guard let number = number() else { throw error("Expecting value", at: index) }
            return number
        }
    }

    private mutating func nested(
        _ body: (inout JSONParser) throws(JSONSyntaxError) -> JSONValue
    ) throws(JSONSyntaxError) -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth {
            throw error("Maximum nesting depth exceeded", at: index, tooDeep: true)
        }
        return try body(&self)
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let pointer = word.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] { return false }
        index += count
        return true
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(8)
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject(members))
        }
        while true {
            guard current == UInt8(ascii: "\"") else {
                throw error("Expecting property name enclosed in double quotes", at: index)
            }
            let key = try string()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("Expecting ':' delimiter", at: index) }
            index += 1
            skipWhitespace()
            members.append((key: key, value: try value()))
            skipWhitespace()
            switch current {
            case UInt8(ascii: "}"):
                index += 1
                return .object(JSONObject(members))
            case UInt8(ascii: ","):
                let comma = index
                index += 1
                skipWhitespace()
                if current == UInt8(ascii: "}") {
                    throw error("Illegal trailing comma before end of object", at: comma)
                }
            default:
                throw error("Expecting ',' delimiter", at: index)
            }
        }
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try value())
            skipWhitespace()
            switch current {
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            case UInt8(ascii: ","):
                let comma = index
                index += 1
                skipWhitespace()
                if current == UInt8(ascii: "]") {
                    throw error("Illegal trailing comma before end of array", at: comma)
                }
            default:
                throw error("Expecting ',' delimiter", at: index)
            }
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, as Python's number pattern.
    mutating func number() -> JSONValue? {
        let start = index
        var end = index
        func digits(from position: Int) -> Int {
            var position = position
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
            return position
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "-") { end += 1 }
        guard end < bytes.count, (0x30...0x39).contains(bytes[end]) else { return nil }
        end = bytes[end] == UInt8(ascii: "0") ? end + 1 : digits(from: end)
        var isInteger = true
        if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "."), (0x30...0x39).contains(bytes[end + 1]) {
            end = digits(from: end + 1)
            isInteger = false
        }
        if end < bytes.count, bytes[end] | 0x20 == UInt8(ascii: "e") {
            var exponent = end + 1
            if exponent < bytes.count, bytes[exponent] == UInt8(ascii: "+") || bytes[exponent] == UInt8(ascii: "-") {
                exponent += 1
            }
            if exponent < bytes.count, (0x30...0x39).contains(bytes[exponent]) {
                end = digits(from: exponent)
                isInteger = false
            }
        }
        index = end
        let negative = bytes[start] == UInt8(ascii: "-")
        if isInteger, end - start <= 18 {  // fits an Int whatever the digits: no text to make
            let magnitude = bytes[(negative ? start + 1 : start)..<end].reduce(0) { $0 * 10 + Int($1 - 0x30) }
            return .int(negative ? -magnitude : magnitude)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        if isInteger, let integer = Int(text) { return .int(integer) }
        return .double(Double(text) ?? .nan)
    }

    /// A string whose opening quote is at `index`.
    mutating func string() throws(JSONSyntaxError) -> String {
        let quote = index
        index += 1
        var runStart = index
        var scratch: [UInt8] = []
        var escaped = false
        while true {
            index = JSONSpecialBytes.first(in: bytes, from: index)
            guard index < bytes.count else { throw error("Unterminated string starting at", at: quote) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<index])
                index += 1
                if !escaped { return String(decoding: run, as: UTF8.self) }
                scratch.append(contentsOf: run)
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte < 0x20 { throw error("Invalid control character at", at: index) }
            escaped = true
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            try escape(into: &scratch, quote: quote)
            runStart = index
        }
    }

    /// One escape sequence whose backslash is at `index`.
    private mutating func escape(into scratch: inout [UInt8], quote: Int) throws(JSONSyntaxError) {
        let backslash = index
        guard backslash + 1 < bytes.count else { throw error("Unterminated string starting at", at: quote) }
        let simple: UInt8?
        switch bytes[backslash + 1] {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default: throw error("Invalid \\escape", at: backslash)
        }
        if let simple {
            scratch.append(simple)
            index = backslash + 2
            return
        }
        index = backslash + 2
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
            bytes[index + 1] == UInt8(ascii: "u")
        {
            let resume = index
            index += 2
            let low = try hex4()
            if (0xDC00...0xDFFF).contains(low) {
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else {
                index = resume
            }
        }
        let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        scratch.append(contentsOf: Array(String(Character(character)).utf8))
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        let u = index - 1
        guard index + 4 <= bytes.count else { throw error("Invalid \\uXXXX escape", at: u) }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = hexDigitValue(bytes[index + offset]) else {
                throw error("Invalid \\uXXXX escape", at: u)
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }
}
