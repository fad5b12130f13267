// email-validator's `split_email`: an optional display name with the address in angle brackets,
// then the local part and the domain, split at the first `@` outside quotes. Quotes are removed
// (and backslash escapes undone) from a quoted display name or local part.

extension EmailAddress {
    struct Parts {
        /// `Name <addr>` or `<addr>`, which email-validator refuses once the address itself is valid.
        let hasAngleBrackets: Bool
        let local: [Unicode.Scalar]
        let unquotedLocal: [Unicode.Scalar]
        let isQuoted: Bool
        let domain: [Unicode.Scalar]
    }

    static func split(_ email: [Unicode.Scalar]) throws(Failure) -> Parts {
        var (left, right) = try splitAtUnquotedSpecial(email[...], specials: ["@", "<"])
        var hasAngleBrackets = false
        if right.first == "<" {
            let (name, nameIsQuoted) = try unquote(left.droppingTrailing(PythonUnicode.isSpace))
            if !nameIsQuoted, let shown = disallowedCharacters(in: name, allowing: { isAtext($0) || $0 == " " }) {
                throw Failure(reason: "The display name contains invalid characters when not quoted: \(shown).")
            }
            try checkSafety(of: name, allowSpace: true)
            guard right.contains(">") else {
                throw Failure(
                    reason:
                        "An open angle bracket at the start of the email address has to be followed by a close angle bracket at the end."
                )
            }
            let bracketed = right.droppingTrailing { $0 == " " }
            guard bracketed.last == ">" else {
                throw Failure(reason: "There can't be anything after the email address.")
            }
            hasAngleBrackets = true
            (left, right) = try splitAtUnquotedSpecial(bracketed.dropFirst().dropLast(), specials: ["@"])
        }
        let (unquotedLocal, isQuoted) = try unquote(left)
        return Parts(
            hasAngleBrackets: hasAngleBrackets, local: Array(left), unquotedLocal: unquotedLocal, isQuoted: isQuoted,
            domain: Array(right.dropFirst()))
    }

    /// The text before and from the first of `specials` that is outside quotes and that no following
    /// combining character changes (`<` and U+0338 make `≮`).
    private static func splitAtUnquotedSpecial(
        _ text: ArraySlice<Unicode.Scalar>, specials: Set<Unicode.Scalar>
    ) throws(Failure) -> (ArraySlice<Unicode.Scalar>, ArraySlice<Unicode.Scalar>) {
        var insideQuote = false
        var escaped = false
        for index in text.indices where !combinesWithFollowing(text, at: index) {
            let scalar = text[index]
            if insideQuote {
                if scalar == "\\" && !escaped {
                    escaped = true
                } else {
                    insideQuote = scalar != "\"" || escaped
                    escaped = false
                }
            } else if scalar == "\"" {
                insideQuote = true
            } else if specials.contains(scalar) {
                return (text[..<index], text[index...])
            }
        }
        if text.contains("\u{FF20}") {
            throw Failure(
                reason:
                    "The email address has the \"full-width\" at-sign (@) character instead of a regular at-sign.")
        }
        if text.contains("\u{FE6B}") {
            throw Failure(
                reason: "The email address has the \"small commercial at\" character instead of a regular at-sign.")
        }
        throw Failure(reason: "An email address must have an @-sign.")
    }

    /// Whether NFC changes the character at `index` given what follows it (the 30 combining marks
    /// the Stream-Safe Text Format allows, and one more).
    private static func combinesWithFollowing(_ text: ArraySlice<Unicode.Scalar>, at index: Int) -> Bool {
        let window = text[index..<min(index + 32, text.endIndex)]
        if window.prefix(2).allSatisfy(\.isASCII) { return false }
        return PythonUnicode.nfc(window).first != text[index]
    }

    /// `unquote_quoted_string`: the text without its surrounding quotes and escapes, and whether it was quoted.
    private static func unquote(_ text: ArraySlice<Unicode.Scalar>) throws(Failure) -> ([Unicode.Scalar], Bool) {
        guard text.first == "\"" else { return (Array(text), false) }
        var value: [Unicode.Scalar] = []
        var escaped = false
        for index in text.indices.dropFirst() {
            let scalar = text[index]
            if escaped {
                value.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "\"" {
                guard index == text.endIndex - 1 else {
                    let extra = text[(index + 1)...].map(display).joined(separator: ", ")
                    throw Failure(reason: "Extra character(s) found after close quote: \(extra)")
                }
            } else {
                value.append(scalar)
            }
        }
        return (value, true)
    }
}
