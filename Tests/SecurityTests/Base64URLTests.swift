// base64url against Foundation's base64 (with the URL alphabet and padding swapped in), for every
// length of the last group, and the inputs a JWT segment must refuse.

import Foundation
import Testing

@testable import Security

struct Base64URLTests {
    static func reference(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test(arguments: 0..<12)
    func roundTripsLikeFoundation(length: Int) {
        // Bytes that use every alphabet position, including the URL-specific '-' and '_'.
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 251) }
        let text = Base64URL.encode(bytes)
        #expect(text == Self.reference(bytes))
        #expect(Base64URL.decode(text[...]) == bytes)
    }

    @Test func decodesTheWholeAlphabet() {
        let all = Array(0...255).map(UInt8.init)
        #expect(Base64URL.decode(Self.reference(all)[...]) == all)
        #expect(Base64URL.decode("-_-_"[...]) == [0xFB, 0xFF, 0xBF])
    }

    @Test(arguments: ["a", "abcde", "ab=", "ab+c", "ab/c", "ab c", "é"])
    func refusesWhatIsNotUnpaddedBase64URL(text: String) {
        #expect(Base64URL.decode(text[...]) == nil)
    }
}
