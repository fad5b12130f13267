// The bytes that interrupt a run of plain characters in a JSON string: control characters, `"`
// and `\`. The writer escapes them and the parser stops at them; both find them eight bytes at a
// time, as nearly every string has none.

enum JSONSpecialBytes {
    /// The index of the first control character, `"` or `\` in `bytes` at or after `start`, or
    /// `bytes.count` when there is none.
    @inline(__always)
    static func first(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count,
                !anySpecial(UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index, as: UInt64.self))
            {
                index += 8
            }
        }
        while index < bytes.count && !isSpecial(bytes[index]) { index += 1 }
        return index
    }

    @inline(__always)
    static func isSpecial(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }

    /// Whether any of the eight bytes is special (SWAR: a byte's top bit after subtracting is
    /// set, where it was clear, only if the byte was below what was subtracted).
    @inline(__always)
    private static func anySpecial(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        func below(_ bound: UInt64, _ bytes: UInt64) -> UInt64 { (bytes &- ones &* bound) & ~bytes & (ones &* 0x80) }
        return below(0x20, word) | below(1, word ^ (ones &* 0x22)) | below(1, word ^ (ones &* 0x5C)) != 0
    }
}
