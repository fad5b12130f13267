// UUID text parsing with the messages Pydantic reports (from Rust's uuid crate): hyphenated,
// simple (32 hex digits), braced and `urn:uuid:` forms; positions are 1-based.

import FoundationEssentials
import TextFormats

enum UUIDText {
    struct Failure: Error {
        let message: String
    }

    static func parse(_ text: String) -> Result<UUID, Failure> {
        let bytes = Array(text.utf8)
        var body = bytes[...]
        if bytes.count == 38, bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") {
            body = bytes[1..<37]
        } else if bytes.count == 45, bytes.starts(with: "urn:uuid:".utf8) {
            body = bytes[9...]
        }
        if let uuid = hex(body) { return .success(uuid) }
        return .failure(Failure(message: diagnose(text)))
    }

    /// 32 hex digits, or the 8-4-4-4-12 hyphenated form.
    private static func hex(_ body: ArraySlice<UInt8>) -> UUID? {
        if body.count == 36 { return body.withUnsafeBufferPointer { UUID(hyphenatedUTF8: $0) } }
        guard body.count == 32 else { return nil }
        var nibbles: [UInt8] = []
        nibbles.reserveCapacity(32)
        for byte in body {
            guard let nibble = hexDigitValue(byte) else { return nil }
            nibbles.append(nibble)
        }
        var uuid = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 { uuid[index] = nibbles[2 * index] << 4 | nibbles[2 * index + 1] }
        return UUID(
            uuid: (
                uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7], uuid[8], uuid[9], uuid[10],
                uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]
            ))
    }

    /// Why `text` is not a UUID, worded as the uuid crate words it.
    private static func diagnose(_ text: String) -> String {
        var body = Substring(text)
        var offset = 0
        var simple = true
        if text.hasPrefix("{") && text.hasSuffix("}") && text.count >= 2 {
            body = body.dropFirst().dropLast()
            offset = 1
            simple = false
        } else if text.hasPrefix("urn:uuid:") {
            body = body.dropFirst(9)
            offset = 9
            simple = false
        }
        var hyphenPositions: [Int] = []
        var position = 0
        for scalar in body.unicodeScalars {
            if scalar == "-" {
                hyphenPositions.append(position)
            } else if !scalar.isASCII || hexDigitValue(UInt8(scalar.value)) == nil {
                return "invalid character: found `\(scalar)` at \(position + offset + 1)"
            }
            position += String(scalar).utf8.count
        }
        if hyphenPositions.isEmpty && simple {
            return "invalid length: expected length 32 for simple format, found \(text.utf8.count)"
        }
        if hyphenPositions.count != 4 {
            return "invalid group count: expected 5, found \(hyphenPositions.count + 1)"
        }
        let starts = [0, 9, 14, 19, 24]
        let expected = [8, 4, 4, 4, 12]
        for group in 0..<4 where hyphenPositions[group] != starts[group + 1] - 1 {
            let length = hyphenPositions[group] - (group == 0 ? 0 : hyphenPositions[group - 1] + 1)
            return "invalid group length in group \(group): expected \(expected[group]), found \(length)"
        }
        return "invalid group length in group 4: expected 12, found \(body.utf8.count - hyphenPositions[3] - 1)"
    }
}
