// UUIDs as text, the way the API writes them and the database stores them: lower-case and
// hyphenated, formatted on the stack and parsed byte-level (Foundation's parser goes through
// sscanf, and its `uuidString` is upper-case).

public import FoundationEssentials

extension UUID {
    /// Lower-case and hyphenated, e.g. `0b4a0c9e-2f7d-4f57-8a46-6f1c2f3e9a10`.
    public var lowercaseText: String { withLowercaseText { String(decoding: $0, as: UTF8.self) } }

    /// Calls `body` with the 36 bytes of `lowercaseText`, formatted on the stack. Inlinable, as
    /// the parser is: every id a response writes goes through it.
    @inlinable
    public func withLowercaseText<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { out in
            withUnsafeBytes(of: uuid) { raw in
                var at = 0
                for offset in 0..<16 {
                    if offset == 4 || offset == 6 || offset == 8 || offset == 10 {
                        out[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    out[at] = hexDigit(raw[offset] >> 4)
                    out[at + 1] = hexDigit(raw[offset] & 0x0F)
                    at += 2
                }
            }
            return try body(UnsafeBufferPointer(out))
        }
    }

    /// Parses the hyphenated 8-4-4-4-12 form in either case, as `UUID(uuidString:)` does; nil otherwise.
    public init?(hyphenatedText text: String) {
        var text = text
        guard let parsed = text.withUTF8({ UUID(hyphenatedUTF8: $0) }) else { return nil }
        self = parsed
    }

    /// The same, from UTF-8 bytes.
    @inlinable
    public init?(hyphenatedUTF8 text: UnsafeBufferPointer<UInt8>) {
        let hyphen = UInt8(ascii: "-")
        guard text.count == 36, text[8] == hyphen, text[13] == hyphen, text[18] == hyphen, text[23] == hyphen
        else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &bytes) { out in
            var index = 0
            for byte in 0..<16 {
                if index == 8 || index == 13 || index == 18 || index == 23 { index += 1 }
                guard let high = hexValue(text[index]), let low = hexValue(text[index + 1]) else { return false }
                out[byte] = high << 4 | low
                index += 2
            }
            return true
        }
        guard parsed else { return nil }
        self.init(uuid: bytes)
    }
}

@inlinable @inline(__always)
func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? nibble + 0x30 : nibble + 0x57 }

@inlinable @inline(__always)
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x61...0x66: byte - 0x57
    case 0x41...0x46: byte - 0x37
    default: nil
    }
}
