// email-validator's character rules and the way its messages show characters: the RFC 5322 atext
// set, `safe_character_display`, the sorted lists of offending characters, `check_unsafe_chars`
// and `check_dot_atom`.

extension EmailAddress {
    /// RFC 5322 atext: ASCII letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
    static func isAtext(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        default: "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
        }
    }

    /// What email-validator allows in a domain before IDNA: ASCII letters, digits, `-`, `.`, and all of U+0080 on.
    static func isHostnameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", ".": true
        default: !scalar.isASCII
        }
    }

    /// `safe_character_display`: the `repr` of a letter, number, punctuation or symbol, else its
    /// Unicode name, else `U+XXXX`.
    static func display(_ scalar: Unicode.Scalar) -> String {
        if scalar == "\\" { return "\"\\\"" }
        if PythonUnicode.isVisible(scalar) { return PythonUnicode.repr(CollectionOfOne(scalar)) }
        if let name = PythonUnicode.name(scalar) { return name }
        return "U+" + PythonUnicode.hex(scalar.value, digits: scalar.value < 0xFFFF ? 4 : 8).uppercased()
    }

    /// The distinct characters of `text` that `isAllowed` refuses, shown and sorted (as strings) the way
    /// email-validator lists them; nil when there are none.
    static func disallowedCharacters(
        in text: some Sequence<Unicode.Scalar>, allowing isAllowed: (Unicode.Scalar) -> Bool
    ) -> String? {
        let shown = Set(text.filter { !isAllowed($0) }.map(display))
        guard !shown.isEmpty else { return nil }
        return shown.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.joined(separator: ", ")
    }

    /// `check_unsafe_chars`: control, format, private-use and unassigned code points, separators
    /// (spaces are allowed where `allowSpace`), and a combining mark at the start.
    static func checkSafety(of text: [Unicode.Scalar], allowSpace: Bool) throws(Failure) {
        var unsafe: Set<Unicode.Scalar> = []
        for (index, scalar) in text.enumerated() {
            switch PythonUnicode.majorClass(scalar) {
            case .letter, .number, .punctuation, .symbol: continue
            case .mark where index > 0: continue
            case .separator where allowSpace && PythonUnicode.category(scalar) == .spaceSeparator: continue
            case .mark, .separator, .other: unsafe.insert(scalar)
            }
        }
        guard !unsafe.isEmpty else { return }
        let shown = unsafe.sorted { $0.value < $1.value }.map(display).joined(separator: ", ")
        throw Failure(reason: "The email address contains unsafe characters: \(shown).")
    }

    /// `check_dot_atom`: periods (and, in a domain, hyphens) at either end or next to each other.
    /// `atStart` and `atEnd` word the message for "period" or "hyphen".
    static func checkDotAtom(
        _ text: [Unicode.Scalar], isHostname: Bool, atStart: (String) -> String, atEnd: (String) -> String
    ) throws(Failure) {
        if text.endsWith(".") { throw Failure(reason: atEnd("period")) }
        if text.startsWith(".") { throw Failure(reason: atStart("period")) }
        if text.includes("..") { throw Failure(reason: "An email address cannot have two periods in a row.") }
        guard isHostname else { return }
        if text.endsWith("-") { throw Failure(reason: atEnd("hyphen")) }
        if text.startsWith("-") { throw Failure(reason: atStart("hyphen")) }
        if text.includes(".-") || text.includes("-.") {
            throw Failure(reason: "An email address cannot have a period and a hyphen next to each other.")
        }
    }
}
