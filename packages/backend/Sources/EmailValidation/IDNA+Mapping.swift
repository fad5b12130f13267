// UTS 46 mapping as `idna.uts46_remap(domain, std3_rules=False)` does it, approximated without
// UTS 46's table (the idna package's is 237 kB): case mapping (Cherokee folds to its capitals),
// the full-width forms of ASCII, the ideographic and half-width full stops, a few compatibility
// characters people type (below), ignorable code points dropped (variation selectors, Hangul
// fillers), the 17 code points UTS 46 disallows among those email-validator lets this far, then
// NFC. Other compatibility mappings (super- and subscripts, circled or mathematical letters,
// half-width kana, Arabic presentation forms...) are not made: such code points stay, and
// `check_label` refuses them as not valid in IDNA 2008.

extension IDNA {
    /// Thai and Lao sara am (common letters), the micro sign (on keyboards), Latin ligatures (from copied text).
    private static let compatibilityMappings: [UInt32: String] = [
        0x0E33: "\u{0E4D}\u{0E32}", 0x0EB3: "\u{0ECD}\u{0EB2}", 0x00B5: "\u{03BC}", 0x0132: "ij", 0x0133: "ij",
        0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st",
    ]

    static func remap(_ domain: [Unicode.Scalar]) throws(Failure) -> [Unicode.Scalar] {
        var mapped: [Unicode.Scalar] = []
        for (offset, scalar) in domain.enumerated() {
            switch scalar.value {
            case 0x2FF0...0x2FFB, 0xFE12, 0xFE19, 0xFE30, 0xFFFC, 0xFFFD:
                throw Failure(
                    "Codepoint \(codePointName(scalar)) not allowed at position \(offset + 1) in \(PythonUnicode.repr(domain))"
                )
            case 0x3002, 0xFF61:
                mapped.append(".")
            case 0xFF01...0xFF5E:
                if let ascii = Unicode.Scalar(scalar.value - 0xFEE0) {
                    mapped += ascii.properties.lowercaseMapping.unicodeScalars
                }
            case 0x13A0...0x13F5:
                mapped.append(scalar)
            case 0x13F8...0x13FD, 0xAB70...0xABBF:
                mapped += scalar.properties.uppercaseMapping.unicodeScalars
            default:
                if let mapping = compatibilityMappings[scalar.value] {
                    mapped += mapping.unicodeScalars
                } else if !scalar.properties.isDefaultIgnorableCodePoint {
                    mapped += scalar.properties.lowercaseMapping.unicodeScalars
                }
            }
        }
        return PythonUnicode.nfc(mapped)
    }
}
