// Writes compact JSON into a byte buffer, escaping strings as Python's json.dumps does with
// ensure_ascii=False: only `"`, `\` and control characters are escaped.

import FoundationEssentials
import TextFormats

/// Owns its buffer, so it cannot be copied: every append is a bounds check and a copy into memory
/// it already has (`Array.append(contentsOf:)` cost about 70 instructions per call in a listing).
public struct JSONWriter: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    public init(capacity: Int = 256) {
        self.capacity = Swift.max(capacity, 16)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    /// A copy of what has been written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: start, count: count)) }

    public mutating func writeNull() { append("null") }

    public mutating func write(_ value: Bool) { append(value ? "true" : "false") }

    public mutating func write(_ value: Int) {
        if value >= 0 && value < 10 {
            appendByte(UInt8(ascii: "0") + UInt8(value))
        } else {
            append(String(value).utf8)
        }
    }

    /// Python's float repr: integral values keep a `.0`. NaN and the infinities, which JSON cannot
    /// hold (requests may carry them, as Python's parser takes them), are written as `null`, as
    /// Pydantic writes them; the reference's json.dumps refused them with a 500.
    public mutating func write(_ value: Double) {
        if value.isFinite {
            append(value.description.utf8)
        } else {
            writeNull()
        }
    }

    public mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            appendByte(UInt8(ascii: "\""))
            var runStart = 0
            while true {
                let special = JSONSpecialBytes.first(in: utf8, from: runStart)
                guard special < utf8.count else { break }
                append(UnsafeBufferPointer(rebasing: utf8[runStart..<special]))
                appendEscape(utf8[special])
                runStart = special + 1
            }
            append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
            appendByte(UInt8(ascii: "\""))
        }
    }

    private mutating func appendEscape(_ byte: UInt8) {
        switch byte {
        case 0x22: append("\\\"")
        case 0x5C: append("\\\\")
        case 0x0A: append("\\n")
        case 0x0D: append("\\r")
        case 0x09: append("\\t")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        default:
            append("\\u00")
            appendByte(Self.hexDigits[Int(byte >> 4)])
            appendByte(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    /// A lower-case, hyphenated UUID string.
    public mutating func write(_ value: UUID) { value.withLowercaseText { writeQuoted($0) } }

    /// RFC 3339 in UTC with `Z`; microseconds, dropped when zero (as Pydantic writes datetimes).
    public mutating func write(_ value: Date) {
        RFC3339.withText(microsecondsSinceEpoch: RFC3339.microseconds(value)) { writeQuoted($0) }
    }

    /// `text`, which needs no escaping, in quotes (UUIDs, timestamps).
    public mutating func writeQuoted(_ text: UnsafeBufferPointer<UInt8>) {
        appendByte(UInt8(ascii: "\""))
        append(text)
        appendByte(UInt8(ascii: "\""))
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: writeNull()
        case .bool(let bool): write(bool)
        case .int(let int): write(int)
        case .double(let double): write(double)
        case .string(let string): write(string)
        case .array(let elements):
            appendByte(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { appendByte(UInt8(ascii: ",")) }
                write(element)
            }
            appendByte(UInt8(ascii: "]"))
        case .object(let object):
            appendByte(UInt8(ascii: "{"))
            for (offset, member) in object.members.enumerated() {
                if offset > 0 { appendByte(UInt8(ascii: ",")) }
                write(member.key)
                appendByte(UInt8(ascii: ":"))
                write(member.value)
            }
            appendByte(UInt8(ascii: "}"))
        }
    }

    /// Appends bytes that are already JSON (e.g. a pre-encoded `"key":`).
    public mutating func writeRaw(_ raw: [UInt8]) { raw.withUnsafeBufferPointer { append($0) } }

    public mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func append(_ text: String.UTF8View) {
        for byte in text { appendByte(byte) }
    }

    @inline(__always)
    private mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
        guard let source = text.baseAddress else { return }
        reserve(text.count).initialize(from: source, count: text.count)
        count += text.count
    }

    @inline(__always)
    private mutating func appendByte(_ byte: UInt8) {
        reserve(1).pointee = byte
        count += 1
    }

    /// Where the next `extra` bytes go, growing the buffer when they do not fit.
    @inline(__always)
    private mutating func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if capacity - count < extra { grow(toFit: extra) }
        return start + count
    }

    @inline(never)
    private mutating func grow(toFit extra: Int) {
        let larger = Swift.max(capacity * 2, count + extra)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: start, count: count)
        start.deallocate()
        (start, capacity) = (moved, larger)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
