// Requests as bytes: a byte found (with memchr), HTTP's optional white space trimmed, and
// comparison with a literal or other bytes, exact or case-insensitive. The request parser, the
// request's path, the blocking client and the web layer's routes, media types and JSON keys all
// read bytes this way (inlinable: they run on every request).

#if canImport(Glibc)
    import Glibc
#endif

extension UnsafeRawBufferPointer {
    /// The index of the first `byte` at or after `start`, if any.
    @inlinable
    public func firstIndex(ofByte byte: UInt8, from start: Int = 0) -> Int? {
        guard start < count, let base = baseAddress else { return nil }
        guard let hit = memchr(base + start, Int32(byte), count - start) else { return nil }
        return UnsafeRawPointer(hit) - base
    }

    /// Without leading and trailing spaces and tabs (HTTP's optional white space).
    @inlinable
    public var trimmingOWS: UnsafeRawBufferPointer {
        func isOWS(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var (from, to) = (0, count)
        while from < to && isOWS(self[from]) { from += 1 }
        while to > from && isOWS(self[to - 1]) { to -= 1 }
        return UnsafeRawBufferPointer(rebasing: self[from..<to])
    }

    /// Whether these are the bytes of `literal`.
    @inlinable
    public func equals(_ literal: StaticString) -> Bool {
        count == literal.utf8CodeUnitCount && (count == 0 || memcmp(baseAddress!, literal.utf8Start, count) == 0)
    }

    /// Whether these are the bytes of `other` (a name kept as bytes, such as a model field's).
    @inlinable
    public func equals(_ other: [UInt8]) -> Bool {
        count == other.count
            && other.withUnsafeBytes { other in count == 0 || memcmp(baseAddress!, other.baseAddress!, count) == 0 }
    }

    /// Whether these bytes, ASCII letters lowercased, are `lowercase` (itself all lower case).
    @inlinable
    public func equalsLowercased(_ lowercase: StaticString) -> Bool {
        guard count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for i in 0..<count {
            var byte = self[i]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            if byte != expected[i] { return false }
        }
        return true
    }
}
