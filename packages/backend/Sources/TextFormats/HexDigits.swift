// Hex digits both ways: the value of one (either case), and the eight lower-case digits of four
// bytes at once.

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
