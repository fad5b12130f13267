// New ids are random version 4 UUIDs, distinct from one another.

import Foundation
import Storage
import Testing
import TextFormats

struct NewIDTests {
    @Test func newIdsAreDistinctVersion4UUIDs() {
        let ids = (0..<1000).map { _ in UUID.random() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let text = id.lowercaseText
            #expect(text[text.index(text.startIndex, offsetBy: 14)] == "4")
            #expect("89ab".contains(text[text.index(text.startIndex, offsetBy: 19)]))
        }
    }
}
