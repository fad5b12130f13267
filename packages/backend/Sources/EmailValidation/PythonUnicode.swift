// Unicode as Python 3.11 sees it, for the rules and messages email-validator builds on it: its
// unicodedata is Unicode 14.0 (code points assigned since then are unassigned, `Cn`, there),
// general categories, names, `str.isspace`, the regular expression `\w`, `repr` and NFC; plus
// the scalar-array helpers the e-mail code uses to index text as Python does, by code point.

enum PythonUnicode {
    enum MajorClass { case letter, mark, number, punctuation, symbol, separator, other }

    static func isAssigned(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major < 14 || (age.major == 14 && age.minor == 0)
    }

    static func category(_ scalar: Unicode.Scalar) -> Unicode.GeneralCategory {
        switch scalar.value {
        case 0x0295: .lowercaseLetter  // the two whose category changed after Unicode 14
        case 0x1171E: .nonspacingMark
        default: isAssigned(scalar) ? scalar.properties.generalCategory : .unassigned
        }
    }

    /// The first letter of `unicodedata.category`.
    static func majorClass(_ scalar: Unicode.Scalar) -> MajorClass {
        switch category(scalar) {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: .letter
        case .nonspacingMark, .spacingMark, .enclosingMark: .mark
        case .decimalNumber, .letterNumber, .otherNumber: .number
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            .punctuation
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: .symbol
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: .separator
        case .control, .format, .surrogate, .privateUse, .unassigned: .other
        @unknown default: .other
        }
    }

    /// Letters, numbers, punctuation and symbols (categories L, N, P and S).
    static func isVisible(_ scalar: Unicode.Scalar) -> Bool {
        switch majorClass(scalar) {
        case .letter, .number, .punctuation, .symbol: true
        case .mark, .separator, .other: false
        }
    }

    /// `unicodedata.name`, nil where Python has none (control characters, unassigned code points).
    static func name(_ scalar: Unicode.Scalar) -> String? {
        isAssigned(scalar) ? scalar.properties.name : nil
    }

    /// `str.isspace()`, also what `\s` and `str.strip()` use: White_Space plus U+001C to U+001F.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    /// The regular expression `\w`: `str.isalnum()` (letters and anything with a numeric value) or `_`.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || majorClass(scalar) == .letter || (isAssigned(scalar) && scalar.properties.numericType != nil)
    }

    /// `str.strip()`.
    static func strip(_ text: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        text.drop(while: isSpace).droppingTrailing(isSpace)
    }

    /// `repr(text)`: in single quotes (double quotes when only `'` occurs), with Python's escapes
    /// for backslashes, the quote, tabs and line ends, and everything Python cannot print.
    static func repr(_ text: some Collection<Unicode.Scalar>) -> String {
        let quote: Unicode.Scalar = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for scalar in text {
            switch scalar {
            case quote, "\\": result += "\\" + String(scalar)
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case " ": result += " "
            default:
                switch majorClass(scalar) {
                case .letter, .mark, .number, .punctuation, .symbol: result.unicodeScalars.append(scalar)
                case .separator, .other:
                    let (prefix, digits) =
                        scalar.value <= 0xFF ? ("x", 2) : scalar.value <= 0xFFFF ? ("u", 4) : ("U", 8)
                    result += "\\" + prefix + hex(scalar.value, digits: digits)
                }
            }
        }
        return result + String(quote)
    }

    /// `unicodedata.normalize("NFC", text)`.
    static func nfc(_ text: some Collection<Unicode.Scalar>) -> [Unicode.Scalar] {
        guard !text.allSatisfy(\.isASCII) else { return Array(text) }
        // The standard library's own NFC (it has no public spelling yet); FoundationEssentials has none.
        let composed = String(scalars: text)._nfcCodeUnits
        return Array(String(decoding: composed, as: UTF8.self).unicodeScalars)
    }

    /// Lower-case hexadecimal, zero-padded to `digits`.
    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

extension String {
    init(scalars: some Sequence<Unicode.Scalar>) {
        self.init()
        unicodeScalars.append(contentsOf: scalars)
    }
}

extension ArraySlice<Unicode.Scalar> {
    /// `str.rstrip(characters)`.
    func droppingTrailing(_ isStripped: (Unicode.Scalar) -> Bool) -> ArraySlice<Unicode.Scalar> {
        self[..<((lastIndex { !isStripped($0) } ?? startIndex - 1) + 1)]
    }
}

extension Collection<Unicode.Scalar> {
    /// Python's `str.startswith`, `str.endswith` and `in` on code points (String's own compare characters).
    func startsWith(_ prefix: String) -> Bool { starts(with: prefix.unicodeScalars) }
    func endsWith(_ suffix: String) -> Bool { reversed().starts(with: suffix.unicodeScalars.reversed()) }
    func includes(_ part: String) -> Bool { firstRange(of: Array(part.unicodeScalars)) != nil }

    /// `str.split(separator)`: every piece, empty ones too.
    func pieces(separatedBy separator: Unicode.Scalar) -> [SubSequence] {
        split(separator: separator, omittingEmptySubsequences: false)
    }
}
