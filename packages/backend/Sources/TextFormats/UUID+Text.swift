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
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { out in
            let text = UnsafeMutableRawPointer(out.baseAddress!)
            withUnsafeBytes(of: uuid) { raw in
                // 8-4-4-4-12: bytes 0-3, 4-7 (split 4-4), 8-11 (split 4-4) and 12-15, eight digits each.
                func digits(_ offset: Int) -> UInt64 {
                    hexDigits(of: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                }
                let (first, second, third, fourth) = (digits(0), digits(4), digits(8), digits(12))
                text.storeBytes(of: first.littleEndian, toByteOffset: 0, as: UInt64.self)
                text.storeBytes(of: UInt32(truncatingIfNeeded: second.littleEndian), toByteOffset: 9, as: UInt32.self)
                text.storeBytes(
                    of: UInt32(truncatingIfNeeded: second.littleEndian >> 32), toByteOffset: 14, as: UInt32.self)
                text.storeBytes(of: UInt32(truncatingIfNeeded: third.littleEndian), toByteOffset: 19, as: UInt32.self)
                text.storeBytes(
                    of: UInt32(truncatingIfNeeded: third.littleEndian >> 32), toByteOffset: 24, as: UInt32.self)
                text.storeBytes(of: fourth.littleEndian, toByteOffset: 28, as: UInt64.self)
            }
            (out[8], out[13], out[18], out[23]) = (0x2D, 0x2D, 0x2D, 0x2D)  // "-"
            return try body(UnsafeBufferPointer(rebasing: out[..<36]))
        }
    }

    /// Parses the hyphenated 8-4-4-4-12 form in either case, as `UUID(uuidString:)` does; nil otherwise.
    public init?(hyphenatedText text: String) {
        var text = text
        guard let parsed = text.withUTF8({ UUID(hyphenatedUTF8: $0) }) else { return nil }
        self = parsed
    }

    /// The same, from UTF-8 bytes: eight digits at a time.
    @inlinable
    public init?(hyphenatedUTF8 text: UnsafeBufferPointer<UInt8>) {
        let hyphen = UInt8(ascii: "-")
        guard text.count == 36, text[8] == hyphen, text[13] == hyphen, text[18] == hyphen, text[23] == hyphen
        else { return nil }
        let raw = UnsafeRawBufferPointer(text)
        func load64(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        func load32(_ offset: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        // 8-4-4-4-12: the 4-digit groups are joined in pairs around their hyphen.
        guard let first = bytes(ofHexDigits: load64(0)),
            let second = bytes(ofHexDigits: load32(9) | load32(14) << 32),
            let third = bytes(ofHexDigits: load32(19) | load32(24) << 32),
            let fourth = bytes(ofHexDigits: load64(28))
        else { return nil }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &value) { out in
            out.storeBytes(of: first.littleEndian, toByteOffset: 0, as: UInt32.self)
            out.storeBytes(of: second.littleEndian, toByteOffset: 4, as: UInt32.self)
            out.storeBytes(of: third.littleEndian, toByteOffset: 8, as: UInt32.self)
            out.storeBytes(of: fourth.littleEndian, toByteOffset: 12, as: UInt32.self)
        }
        self.init(uuid: value)
    }
}
