// Typed reading straight from a JSON body's bytes, for the usual request: well-formed, every
// value of its declared type and within its constraints. No tree is built and keys stay bytes.
// The reader gives up (nil or false) at anything else, and the caller then parses the tree,
// whose decoding reports every problem in FastAPI's words: the two agree wherever this succeeds.

public struct JSONReader {
    var parser: JSONParser
    /// Whether every byte of the document is ASCII.
    let isASCII: Bool

    init(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) {
        parser = JSONParser(bytes: bytes)
        self.isASCII = isASCII
    }

    /// Reads `bytes` (all ASCII if `isASCII`) as one document with `read`; nil unless `read`
    /// succeeds and nothing but white space follows.
    public static func read<Value>(_ bytes: [UInt8], isASCII: Bool, with read: (inout JSONReader) -> Value?) -> Value? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer, isASCII: isASCII)
            guard let value = read(&reader) else { return nil }
            reader.parser.skipWhitespace()
            return reader.parser.index == buffer.count ? value : nil
        }
    }

    /// The next value if it is a string, with its length in Unicode scalars when that is known
    /// without counting (an ASCII document, and no escapes in the string).
    public mutating func readString() -> (value: String, scalarCount: Int?)? {
        parser.skipWhitespace()
        guard parser.current == UInt8(ascii: "\"") else { return nil }
        let start = parser.index
        guard let string = try? parser.string() else { return nil }
        // Every escape is longer than what it stands for: same length, no escapes.
        let utf8Count = string.utf8.count
        return (string, isASCII && parser.index - start - 2 == utf8Count ? utf8Count : nil)
    }

    /// The next value if it is an integer literal (no fraction, no exponent) that fits an Int.
    public mutating func readInt() -> Int? {
        guard case .int(let value) = readNumber() else { return nil }
        return value
    }

    /// The next value if it is a finite number literal.
    public mutating func readDouble() -> Double? {
        switch readNumber() {
        case .int(let value): Double(value)
        case .double(let value) where value.isFinite: value
        default: nil
        }
    }

    private mutating func readNumber() -> JSONValue? {
        parser.skipWhitespace()
        guard let first = parser.current, first == UInt8(ascii: "-") || (0x30...0x39).contains(first) else {
            return nil
        }
        return parser.number()
    }

    /// The next value if it is `true` or `false`.
    public mutating func readBool() -> Bool? {
        parser.skipWhitespace()
        if parser.literal("true") { return true }
        if parser.literal("false") { return false }
        return nil
    }

    /// Reads the next value if it is `null`.
    public mutating func readNull() -> Bool {
        parser.skipWhitespace()
        return parser.literal("null")
    }

    /// The next value, whatever it is, as a tree.
    public mutating func readValue() -> JSONValue? {
        parser.skipWhitespace()
        return try? parser.value()
    }

    /// Reads an object, calling `member` with each key (its bytes: keys with escapes or non-ASCII
    /// characters give up) and the reader at the key's value, which `member` must read. False
    /// when the next value is not a well-formed object or `member` gave up.
    public mutating func readObject(_ member: (inout JSONReader, _ key: UnsafeRawBufferPointer) -> Bool) -> Bool {
        parser.skipWhitespace()
        guard parser.current == UInt8(ascii: "{") else { return false }
        // Counted as the tree parser counts, so both refuse the same depth.
        parser.depth += 1
        defer { parser.depth -= 1 }
        guard parser.depth <= JSONParser.maximumDepth else { return false }
        parser.index += 1
        parser.skipWhitespace()
        if parser.current == UInt8(ascii: "}") {
            parser.index += 1
            return true
        }
        while true {
            guard let key = readKey() else { return false }
            parser.skipWhitespace()
            guard parser.current == UInt8(ascii: ":") else { return false }
            parser.index += 1
            let bytes = parser.bytes
            guard member(&self, UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[key]))) else { return false }
            parser.skipWhitespace()
            switch parser.current {
            case UInt8(ascii: "}"):
                parser.index += 1
                return true
            case UInt8(ascii: ","):
                parser.index += 1
                parser.skipWhitespace()
            default:
                return false
            }
        }
    }

    /// Skips the next value (an unknown key's), checking its syntax.
    public mutating func skipValue() -> Bool { readValue() != nil }

    /// The byte range of a key without escapes or non-ASCII bytes, the reader past its closing
    /// quote. Keys are short: a plain loop beats the eight-byte scan.
    private mutating func readKey() -> Range<Int>? {
        let bytes = parser.bytes
        guard parser.current == UInt8(ascii: "\"") else { return nil }
        let start = parser.index + 1
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                parser.index = end + 1
                return start..<end
            }
            if JSONSpecialBytes.isSpecial(byte) || byte >= 0x80 { return nil }
            end += 1
        }
        return nil
    }
}
