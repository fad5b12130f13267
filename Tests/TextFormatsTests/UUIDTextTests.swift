// UUIDs as stored and written: lower-case hyphenated out; in, exactly what Foundation's
// `UUID(uuidString:)` accepts.

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
}
