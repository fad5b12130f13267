// New ids: random (version 4) UUIDs from the system's generator.

import FoundationEssentials

#if canImport(Glibc)
    import CLinuxShims
    import Glibc
#endif

extension UUID {
    /// A new random (version 4) UUID from the system's generator: one getrandom(2) for all 16
    /// bytes (Swift's generator makes one per 8 bytes; Foundation's `UUID()` opens /dev/urandom
    /// for every id).
    public static func random() -> UUID {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in
            // Requests of up to 256 bytes are never cut short or interrupted.
            let filled = getrandom(raw.baseAddress, raw.count, 0)
            precondition(filled == raw.count, "getrandom failed (errno \(errno))")
            raw[6] = raw[6] & 0x0F | 0x40  // version 4
            raw[8] = raw[8] & 0x3F | 0x80  // RFC 4122 variant
        }
        return UUID(uuid: bytes)
    }
}
