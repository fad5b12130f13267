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

    /// Every digit position: instants spread over years 1583 to 9999 (Foundation's calendar is Julian
    /// before the 1582 reform; ours is proleptic Gregorian), each with microseconds that
    /// have a single non-zero digit or none, against Foundation's Gregorian calendar in UTC.
    @Test func everyDigitPositionMatchesFoundationsCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let seconds = Int64.random(in: -12_212_553_600...253_402_300_799, using: &generator)
            for micros: Int64 in [0, 1, 10, 100, 1000, 10_000, 100_000, 999_999, 123_456] {
                let date = Date(timeIntervalSince1970: Double(seconds))
                let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
                func two(_ value: Int?) -> String { String(format: "%02d", value ?? -1) }
                let fraction = micros == 0 ? "" : "." + String(format: "%06d", micros)
                let expected =
                    String(format: "%04d", parts.year ?? -1) + "-\(two(parts.month))-\(two(parts.day))T"
                    + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))\(fraction)Z"
                let text = RFC3339.withText(microsecondsSinceEpoch: seconds * 1_000_000 + micros) {
                    String(decoding: $0, as: UTF8.self)
                }
                #expect(text == expected)
            }
        }
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
