// UUIDs as text, the way the database stores them and the API writes them: lower-case and
// hyphenated. Byte-level both ways (Foundation's parser goes through sscanf).

import FoundationEssentials

extension UUID {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A new random (version 4) UUID from the system's generator (getrandom); Foundation's `UUID()`
    /// opens /dev/urandom for every id.
    public static func random() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in
            raw.storeBytes(of: generator.next() as UInt64, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: generator.next() as UInt64, toByteOffset: 8, as: UInt64.self)
            raw[6] = raw[6] & 0x0F | 0x40  // version 4
            raw[8] = raw[8] & 0x3F | 0x80  // RFC 4122 variant
        }
        return UUID(uuid: bytes)
    }

    /// Lower-case and hyphenated, e.g. `0b4a0c9e-2f7d-4f57-8a46-6f1c2f3e9a10`.
    public var lowercaseText: String {
        var text: [UInt8] = []
        text.reserveCapacity(36)
        withUnsafeBytes(of: uuid) { raw in
            for (offset, byte) in raw.enumerated() {
                if offset == 4 || offset == 6 || offset == 8 || offset == 10 { text.append(UInt8(ascii: "-")) }
                text.append(Self.hexDigits[Int(byte >> 4)])
                text.append(Self.hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Parses the hyphenated 8-4-4-4-12 form in either case, as `UUID(uuidString:)` does; nil otherwise.
    public init?(hyphenatedText text: String) {
        var text = text
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = text.withUTF8 { utf8 in
            withUnsafeMutableBytes(of: &bytes) { out in Self.parse(utf8, into: out) }
        }
        guard parsed else { return nil }
        self.init(uuid: bytes)
    }

    private static func parse(_ text: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableRawBufferPointer) -> Bool {
        let hyphen = UInt8(ascii: "-")
        guard text.count == 36, text[8] == hyphen, text[13] == hyphen, text[18] == hyphen, text[23] == hyphen
        else { return false }
        var index = 0
        var byte = 0
        while index < 36 {
            if index == 8 || index == 13 || index == 18 || index == 23 { index += 1 }
            let high = nibbles[Int(text[index])]
            let low = nibbles[Int(text[index + 1])]
            guard high < 16, low < 16 else { return false }
            out[byte] = high << 4 | low
            byte += 1
            index += 2
        }
        return true
    }

    /// Each byte's value as a hex digit (either case), or 0xFF.
    private static let nibbles: [UInt8] = (0..<256).map { code in
        switch UInt8(code) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(code) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(code) - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(code) - UInt8(ascii: "A") + 10
        default: 0xFF
        }
    }
}
