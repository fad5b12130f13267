// JSON text exactly as Python's json.dumps writes it with PyJWT's separators (",", ":") and its default
// ensure_ascii: so our tokens are byte-for-byte the reference's.

enum PythonJSON {
    /// A JSON string literal; everything outside printable ASCII is written as \uXXXX (UTF-16, lower-case hex).
    static func string(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out + "\""
    }

    /// Python's float repr: the shortest text that reads back as the same double ("1796097726.32231", "5.0").
    static func number(_ value: Double) -> String {
        precondition(value.isFinite, "JSON has no infinities or NaN")
        return "\(value)"
    }
}
