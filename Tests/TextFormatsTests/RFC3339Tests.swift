// RFC 3339 text as Pydantic writes it, from microseconds since the epoch: fractions dropped when
// zero, leap days, before 1970, years past 9999; and a Date's microseconds, rounded and clamped.

import Foundation
import Testing
import TextFormats

struct RFC3339Tests {
    @Test(
        arguments: [
            (0, "1970-01-01T00:00:00Z"),
            (1_735_787_045_678_901, "2025-01-02T03:04:05.678901Z"),
            (1_735_787_045_000_010, "2025-01-02T03:04:05.000010Z"),
            (1_709_164_800_000_001, "2024-02-29T00:00:00.000001Z"),
            (-1, "1969-12-31T23:59:59.999999Z"),
            (-62_135_596_800_000_000, "0001-01-01T00:00:00Z"),
            (253_402_300_799_999_999, "9999-12-31T23:59:59.999999Z"),
            (253_402_300_800_000_000, "10000-01-01T00:00:00Z"),
        ] as [(Int64, String)])
    func text(microseconds: Int64, expected: String) {
        #expect(
            RFC3339.withText(microsecondsSinceEpoch: microseconds) { String(decoding: $0, as: UTF8.self) } == expected)
    }

    @Test func calendarArithmeticRoundTripsEveryDayOfFourHundredYears() {
        for days in Int64(-73_048)...Int64(73_048) {
            let (year, month, day) = RFC3339.civilDate(daysSinceEpoch: days)
            #expect(RFC3339.daysSinceEpoch(year: year, month: month, day: day) == days)
        }
    }

    @Test func dateMicrosecondsAreRoundedAndClamped() {
        #expect(RFC3339.microseconds(Date(timeIntervalSince1970: 1.0000004)) == 1_000_000)
        #expect(RFC3339.microseconds(Date(timeIntervalSince1970: -0.0000006)) == -1)
        #expect(RFC3339.microseconds(Date(timeIntervalSince1970: 1e300)) == .max)
        #expect(RFC3339.microseconds(Date(timeIntervalSince1970: -1e300)) == -.max)
    }
}
