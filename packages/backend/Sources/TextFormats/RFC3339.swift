// RFC 3339 instants in UTC as Pydantic writes them: `2025-01-02T03:04:05.678901Z`, the
// fraction dropped when zero. Formatted on the stack; the calendar arithmetic is Howard
// Hinnant's (civil_from_days and days_from_civil), shared by the formatter and Web's parser.

public import FoundationEssentials

public enum RFC3339 {
    /// Calls `body` with the text of the instant `microsecondsSinceEpoch` after 1970-01-01T00:00:00Z.
    /// Years outside 0...9999, which RFC 3339 cannot write, are written with as many digits as they need.
    @inlinable
    public static func withText<Result>(
        microsecondsSinceEpoch: Int64, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        let (seconds, micros) = microsecondsSinceEpoch.floorDivided(by: 1_000_000)
        let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 27) { out in
            /// Two digits of `value` (0...99) at `offset`: one division, no loop.
            func pair(_ value: Int64, at offset: Int) {
                let tens = value / 10
                out[offset] = 0x30 &+ UInt8(truncatingIfNeeded: tens)
                out[offset + 1] = 0x30 &+ UInt8(truncatingIfNeeded: value &- tens &* 10)
            }
            out[4] = UInt8(ascii: "-")
            pair(month, at: 5)
            out[7] = UInt8(ascii: "-")
            pair(day, at: 8)
            out[10] = UInt8(ascii: "T")
            pair(secondOfDay / 3600, at: 11)
            out[13] = UInt8(ascii: ":")
            pair(secondOfDay / 60 % 60, at: 14)
            out[16] = UInt8(ascii: ":")
            pair(secondOfDay % 60, at: 17)
            var count = 19
            if micros != 0 {
                out[19] = UInt8(ascii: ".")
                pair(micros / 10_000, at: 20)
                pair(micros / 100 % 100, at: 22)
                pair(micros % 100, at: 24)
                count = 26
            }
            out[count] = UInt8(ascii: "Z")
            guard (0...9999).contains(year) else {
                return try (Array(String(year).utf8) + out[4...count]).withUnsafeBufferPointer(body)
            }
            pair(year / 100, at: 0)
            pair(year % 100, at: 2)
            return try body(UnsafeBufferPointer(rebasing: out[...count]))
        }
    }

    /// Whole microseconds since the epoch, rounded to the nearest (Pydantic's precision); instants
    /// beyond what 64 bits of microseconds hold (some 292,000 years) are clamped to them.
    public static func microseconds(_ date: Date) -> Int64 {
        let interval = date.timeIntervalSince1970
        let limit = Double(Int64.max / 1_000_000)
        guard interval > -limit, interval < limit else { return interval < 0 ? -Int64.max : Int64.max }
        let seconds = interval.rounded(.down)
        return Int64(seconds) * 1_000_000 + Int64(((interval - seconds) * 1_000_000).rounded())
    }

    /// Year, month and day of the proleptic Gregorian calendar (civil_from_days).
    @inlinable
    public static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let (era, _) = (daysSinceEpoch + 719_468).floorDivided(by: 146_097)
        let dayOfEra = daysSinceEpoch + 719_468 - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (days_from_civil).
    public static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let (era, _) = shiftedYear.floorDivided(by: 400)
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Int64 {
    /// Quotient rounded towards minus infinity and the matching non-negative remainder.
    @inlinable
    func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let remainder = self % divisor
        return remainder < 0 ? (self / divisor - 1, remainder + divisor) : (self / divisor, remainder)
    }
}
