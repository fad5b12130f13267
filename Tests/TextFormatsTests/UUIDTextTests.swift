// UUIDs as stored and written: lower-case hyphenated out; in, the hyphenated form in either case,
// which Foundation's `UUID(uuidString:)` also reads (along with a stray leading space or sign).

import Foundation
import Testing
import TextFormats

struct UUIDTextTests {
    @Test func writesLowerCaseHyphenated() {
        for _ in 0..<100 {
            let id = UUID()
            #expect(id.lowercaseText == id.uuidString.lowercased())
        }
    }

    @Test func parsesEitherCaseLikeFoundation() {
        for _ in 0..<100 {
            let id = UUID()
            #expect(UUID(hyphenatedText: id.uuidString) == id)
            #expect(UUID(hyphenatedText: id.lowercaseText) == id)
        }
    }

    @Test(arguments: [
        "", "0b4a0c9e2f7d4f578a466f1c2f3e9a10", "{0b4a0c9e-2f7d-4f57-8a46-6f1c2f3e9a10}",
        "0b4a0c9e-2f7d-4f57-8a46-6f1c2f3e9a1", "0b4a0c9e-2f7d-4f57-8a46-6f1c2f3e9a10a",
        "0b4a0c9e-2f7d-4f57-8a46_6f1c2f3e9a10", "0b4a0c9g-2f7d-4f57-8a46-6f1c2f3e9a10",
        "0b4a0c9e-2f7d-4f57-8a4-66f1c2f3e9a10", "admin@example.com", "0b4a0c9e-2f7d-4f57-8a46-6f1c2f3e9aé",
    ])
    func refusesWhatFoundationRefuses(text: String) {
        #expect(UUID(uuidString: text) == nil)
        #expect(UUID(hyphenatedText: text) == nil)
    }

    /// Foundation scans with sscanf, which skips white space and takes a sign or `0x`: not ids.
    @Test(arguments: [" +0x4a0c-2f7d-4f57-8a46-6f1c2f3e9a10", "+0b4a0c9-2f7d-4f57-8a46-6f1c2f3e9a10"])
    func refusesWhatFoundationsScannerLetsThrough(text: String) {
        #expect(UUID(hyphenatedText: text) == nil)
    }
}

extension UUIDTextTests {
    /// Every byte value in every digit position: hex digits of either case parse (to what Foundation
    /// reads), anything else is refused (Foundation's sscanf would skip a leading space or sign).
    @Test func agreesWithFoundationOnEveryByteInEveryPosition() {
        let id = UUID()
        for text in [id.lowercaseText, id.uuidString] {
            for offset in 0..<36 where ![8, 13, 18, 23].contains(offset) {
                for byte in UInt8.min...UInt8.max {
                    var bytes = Array(text.utf8)
                    bytes[offset] = byte
                    let parsed = bytes.withUnsafeBufferPointer { UUID(hyphenatedUTF8: $0) }
                    let expected =
                        hexDigitValue(byte) == nil ? nil : UUID(uuidString: String(decoding: bytes, as: UTF8.self))
                    #expect(parsed == expected, "byte \(byte) at \(offset)")
                }
            }
        }
    }
}
