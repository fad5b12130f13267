// Timestamp: RFC 3339 UTC with microseconds, dropped when zero (Pydantic's form), across calendar edges.

import Storage
import Testing

struct TimestampTests {
    @Test(
        arguments: [
            (0, "1970-01-01T00:00:00Z"),
            (1_735_787_045_678_901, "2025-01-02T03:04:05.678901Z"),
            (1_735_787_045_678_900, "2025-01-02T03:04:05.678900Z"),
            (1_709_164_800_000_001, "2024-02-29T00:00:00.000001Z"),
            (951_868_799_999_999, "2000-02-29T23:59:59.999999Z"),
            (-1, "1969-12-31T23:59:59.999999Z"),
            (253_402_300_799_000_000, "9999-12-31T23:59:59Z"),
            (253_402_300_800_000_000, "10000-01-01T00:00:00Z"),
            (-62_167_219_200_000_000, "0000-01-01T00:00:00Z"),
        ] as [(Int64, String)])
    func rfc3339(microseconds: Int64, expected: String) {
        #expect(Timestamp(microsecondsSinceEpoch: microseconds).rfc3339 == expected)
    }

    @Test func nowIsCurrent() {
        let seconds = Timestamp.now().microsecondsSinceEpoch / 1_000_000
        #expect(seconds > 1_700_000_000 && seconds < 4_000_000_000)
    }
}
