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
            // Up to 256 bytes come whole once the kernel's pool is ready; before, a signal can cut
            // the wait short (EINTR). Where the call is missing or refused (seccomp), Swift's
            // generator falls back to /dev/urandom.
            var filled = -1
            repeat { filled = getrandom(raw.baseAddress, raw.count, 0) } while filled < 0 && errno == EINTR
            if filled != raw.count {
                var generator = SystemRandomNumberGenerator()
                raw.storeBytes(of: generator.next() as UInt64, toByteOffset: 0, as: UInt64.self)
                raw.storeBytes(of: generator.next() as UInt64, toByteOffset: 8, as: UInt64.self)
            }
            raw[6] = raw[6] & 0x0F | 0x40  // version 4
            raw[8] = raw[8] & 0x3F | 0x80  // RFC 4122 variant
        }
        return UUID(uuid: bytes)
    }
}
