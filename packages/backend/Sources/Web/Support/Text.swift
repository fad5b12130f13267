// Small text helpers shared by the parsers.

import TextFormats

extension StringProtocol {
    /// The text without leading and trailing whitespace.
    var trimmingWhitespace: SubSequence {
        var text = self[...]
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return text
    }
}

enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as a space when `plusAsSpace`); malformed escapes stay as
    /// sent, and invalid UTF-8 becomes U+FFFD, as Python's `unquote` does.
    static func decode(_ text: Substring, plusAsSpace: Bool) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) })
        else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), index + 2 < utf8.count, let high = hexDigitValue(utf8[index + 1]),
                let low = hexDigitValue(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
                continue
            }
            bytes.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The order in which FastAPI handles parameter sources: path, query, header, cookie, body.
enum SourceOrder {
    static func rank(_ source: String?) -> Int {
        ["path", "query", "header", "cookie", "body"].firstIndex { $0 == source } ?? 5
    }
}

extension Array {
    /// Sorted by `key`, keeping the original order of equal keys.
    func stableSorted(by key: (Element) -> Int) -> [Element] {
        enumerated().sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }.map(\.element)
    }
}
