// A UTC instant with microsecond precision: how rows store created_at, and its RFC 3339 form.

import TextFormats

#if canImport(Glibc)
    import Glibc
#endif

public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let microsecondsSinceEpoch: Int64

    public init(microsecondsSinceEpoch: Int64) { self.microsecondsSinceEpoch = microsecondsSinceEpoch }

    /// The current wall-clock time.
    public static func now() -> Timestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Timestamp(microsecondsSinceEpoch: Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1000)
    }

    /// `2025-01-02T03:04:05.678901Z`, or `2025-01-02T03:04:05Z` when the microseconds are zero (Pydantic's form).
    public var rfc3339: String { withRFC3339 { String(decoding: $0, as: UTF8.self) } }

    /// Calls `body` with the `rfc3339` form's bytes, formatted on the stack (responses copy them
    /// straight into their buffer).
    public func withRFC3339<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try RFC3339.withText(microsecondsSinceEpoch: microsecondsSinceEpoch, body)
    }

    public var description: String { rfc3339 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }
}
