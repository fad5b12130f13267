// Hex digits both ways: the value of one (either case), and four bytes to or from eight digits at
// once (SWAR: the eight bytes of a UInt64 worked on side by side).

/// The eight lower-case hex digits of four bytes (as loaded from memory, little-endian), in
/// memory order: each byte's two nibbles spread into bytes of their own, then made ASCII at once.
@inlinable @inline(__always)
func hexDigits(of bytes: UInt32) -> UInt64 {
    var spread = UInt64(bytes)
    spread = (spread | spread << 16) & 0x0000_FFFF_0000_FFFF
    spread = (spread | spread << 8) & 0x00FF_00FF_00FF_00FF
    // Per 16-bit lane: the high nibble in the first byte, the low one in the second.
    let nibbles = (spread & 0x00F0_00F0_00F0_00F0) >> 4 | (spread & 0x000F_000F_000F_000F) << 8
    // 0x06 pushes nibbles of 10 and more past 0x0F; those get 0x27 more ("a" - "0" - 10).
    let letters = ((nibbles &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
    return nibbles &+ 0x3030_3030_3030_3030 &+ letters &* 0x27
}

/// The value of an ASCII hex digit, either case.
@inlinable @inline(__always)
public func hexDigitValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x61...0x66: byte - 0x57
    case 0x41...0x46: byte - 0x37
    default: nil
    }
}

/// The four bytes (in memory order, as a little-endian UInt32) that eight hex digits of either case
/// spell, the digits loaded from memory as a little-endian UInt64; nil when any of them is not one.
@inlinable @inline(__always)
func bytes(ofHexDigits digits: UInt64) -> UInt32? {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let high = ones &* 0x80
    guard digits & high == 0 else { return nil }  // ASCII only, so the sums below never carry
    // A byte's top bit after adding 0x80 - low says byte >= low; after adding 0x7F - top, byte > top.
    func within(_ bytes: UInt64, _ low: UInt64, _ top: UInt64) -> UInt64 {
        (bytes &+ ones &* (0x80 - low)) & ~(bytes &+ ones &* (0x7F - top)) & high
    }
    let decimal = within(digits, 0x30, 0x39)
    let letter = within(digits | (ones &* 0x20), 0x61, 0x66)  // "A"-"F" folded into "a"-"f"
    guard decimal | letter == high else { return nil }
    let nibbles = (digits & (ones &* 0x0F)) &+ (letter >> 7) &* 9
    // Per 16-bit lane: the first digit is the high nibble of the lane's byte.
    var packed = (nibbles << 4 | nibbles >> 8) & 0x00FF_00FF_00FF_00FF
    packed = (packed | packed >> 8) & 0x0000_FFFF_0000_FFFF
    return UInt32(truncatingIfNeeded: packed | packed >> 16)
}
