// A UTC instant with microsecond precision: how rows store created_at, and its RFC 3339 form.

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
    public var rfc3339: String {
        var text: [UInt8] = []
        appendRFC3339(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the `rfc3339` form's bytes (responses write it straight into their buffer).
    public func appendRFC3339(to bytes: inout [UInt8]) {
        let (seconds, micros) = microsecondsSinceEpoch.floorDivided(by: 1_000_000)
        let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        appendDigits(year, 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, 2, to: &bytes)
        if micros != 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(micros, 6, to: &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
    }

    public var description: String { rfc3339 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }
}

/// Year, month and day of the proleptic Gregorian calendar (Howard Hinnant's civil_from_days).
private func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let (era, _) = (daysSinceEpoch + 719_468).floorDivided(by: 146_097)
    let dayOfEra = daysSinceEpoch + 719_468 - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
}

/// `value` in decimal, zero-padded to `width` digits (more when it needs them; years may be negative).
private func appendDigits(_ value: Int64, _ width: Int, to bytes: inout [UInt8]) {
    if value < 0 || value >= 1_000_000 {
        let digits = String(value).utf8
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, width - digits.count)))
        bytes.append(contentsOf: digits)
        return
    }
    var divisor: Int64 = 1
    var count = 1
    while divisor * 10 <= value {
        divisor *= 10
        count += 1
    }
    bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, width - count)))
    while divisor > 0 {
        bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
        divisor /= 10
    }
}

extension Int64 {
    /// Quotient rounded towards minus infinity and the matching non-negative remainder.
    fileprivate func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let remainder = self % divisor
        return remainder < 0 ? (self / divisor - 1, remainder + divisor) : (self / divisor, remainder)
    }
}
