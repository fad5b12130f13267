// Email addresses as Pydantic 2's EmailStr checks them: its own steps (a length limit, no line
// breaks, `Display Name <addr>` keeps only the address), then email-validator 2.4's
// `validate_email` as Pydantic calls it (no deliverability check, not strict, SMTPUTF8 allowed, no
// quoted local parts, no IP-address domains, globally deliverable). The result is the normalized
// address (NFC local part, IDNA-normalized domain) or email-validator's message. The other parts:
// EmailAddressParts (splitting), EmailCharacters, EmailDomain, EmailDomainLiteral, IDNA.

public enum EmailAddress {
    public struct Failure: Error, Equatable {
        public let reason: String
    }

    static let maximumLength = 2048

    /// Local parts RFC 2142 makes case-insensitive; email-validator lower-cases them.
    private static let caseInsensitiveMailboxes: Set<String> = [
        "info", "marketing", "sales", "support", "abuse", "noc", "security", "postmaster", "hostmaster", "usenet",
        "news", "webmaster", "www", "uucp", "ftp",
    ]

    /// The normalized address, or the reason Pydantic gives for rejecting it.
    public static func normalize(_ input: String) -> Result<String, Failure> {
        let text = Array(input.unicodeScalars)
        guard text.count <= maximumLength else {
            return .failure(Failure(reason: "Length must not exceed \(maximumLength) characters"))
        }
        guard !text.contains("\r") && !text.contains("\n") else {
            return .failure(Failure(reason: "Carriage return and line feed characters are not allowed"))
        }
        let address = PythonUnicode.strip(bracketedAddress(in: text) ?? text[...])
        return Result { () throws(Failure) in try validate(Array(address)) }
    }

    /// Pydantic's `pretty_email_regex`, `\s*(?:name|"quoted name")?\s*<(.+)>\s*` with a name of `\w`
    /// and ``.!#$%&'*+-/=?^_`{|}~`` runs separated by spaces: the text in the brackets, or nil when it
    /// does not match. The `>` is the last character but spaces; the `<` ends the unquoted name, or
    /// follows the last `"` that spaces and a `<` follow, or starts the text.
    private static func bracketedAddress(in text: [Unicode.Scalar]) -> ArraySlice<Unicode.Scalar>? {
        guard let close = text.lastIndex(where: { !PythonUnicode.isSpace($0) }), text[close] == ">",
            let start = text.firstIndex(where: { !PythonUnicode.isSpace($0) })
        else { return nil }
        func address(openingAt open: Int) -> ArraySlice<Unicode.Scalar>? {
            open + 1 < close && text[open] == "<" ? text[(open + 1)..<close] : nil
        }
        func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
            PythonUnicode.isWordCharacter(scalar) || ".!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
        }
        if isNameCharacter(text[start]) {
            let end = text[start...].firstIndex { !isNameCharacter($0) && !PythonUnicode.isSpace($0) }
            return end.flatMap { address(openingAt: $0) }
        }
        guard text[start] == "\"" else { return address(openingAt: start) }
        for quote in stride(from: close - 1, through: start + 2, by: -1) where text[quote] == "\"" {
            let open = text[(quote + 1)...].firstIndex { !PythonUnicode.isSpace($0) } ?? close
            if let found = address(openingAt: open) { return found }
        }
        return nil
    }

    /// email-validator's `validate_email`.
    private static func validate(_ email: [Unicode.Scalar]) throws(Failure) -> String {
        let parts = try split(email)
        var local = try validateLocalPart(parts.unquotedLocal, quoted: parts.isQuoted)
        let composedLocal = PythonUnicode.nfc(parts.unquotedLocal)
        if composedLocal != parts.unquotedLocal {
            do throws(Failure) {
                local = try validateLocalPart(composedLocal, quoted: parts.isQuoted)
            } catch {
                throw Failure(reason: "After Unicode normalization: " + error.reason)
            }
        }
        if parts.isQuoted { throw Failure(reason: "Quoting the part before the @-sign is not allowed here.") }
        if local.isASCII, caseInsensitiveMailboxes.contains(String(scalars: local.text).lowercased()) {
            local.text = Array(String(scalars: local.text).lowercased().unicodeScalars)
        }
        guard !parts.domain.isEmpty else { throw Failure(reason: "There must be something after the @-sign.") }
        if parts.domain.first == "[" && parts.domain.last == "]" {
            try checkDomainLiteral(parts.domain.dropFirst().dropLast())
            throw Failure(reason: "A bracketed IP address after the @-sign is not allowed here.")
        }
        let domain = try validateDomain(parts.domain)
        let normalized = local.text + ["@"] + domain.unicode
        try checkLength(
            original: parts.local + ["@"] + parts.domain, normalized: normalized,
            ascii: local.text + ["@"] + domain.ascii)
        if parts.hasAngleBrackets {
            throw Failure(
                reason: "A display name and angle brackets around the email address are not permitted here.")
        }
        return String(scalars: normalized)
    }

    private struct LocalPart {
        var text: [Unicode.Scalar]
        /// No SMTPUTF8 needed: email-validator then has an `ascii_local_part`.
        let isASCII: Bool
    }

    /// `validate_email_local_part`. A quoted local part is checked only for the message: the caller refuses
    /// it (and has no use for the re-quoted form email-validator would make).
    private static func validateLocalPart(_ local: [Unicode.Scalar], quoted: Bool) throws(Failure) -> LocalPart {
        guard !local.isEmpty else { throw Failure(reason: "There must be something before the @-sign.") }
        if isDotAtom(local, allowing: isAtext) { return LocalPart(text: local, isASCII: true) }
        if isDotAtom(local, allowing: { isAtext($0) || !$0.isASCII }) {
            try checkSafety(of: local, allowSpace: false)
            return LocalPart(text: local, isASCII: false)
        }
        if quoted {
            if let shown = disallowedCharacters(in: local, allowing: { $0.value >= 0x20 && $0.value != 0x7F }) {
                throw Failure(
                    reason: "The email address contains invalid characters in quotes before the @-sign: \(shown).")
            }
            try checkSafety(of: local, allowSpace: true)
            return LocalPart(text: local, isASCII: false)
        }
        if let shown = disallowedCharacters(in: local, allowing: { isAtext($0) || $0 == "." || !$0.isASCII }) {
            throw Failure(reason: "The email address contains invalid characters before the @-sign: \(shown).")
        }
        try checkDotAtom(
            local, isHostname: false, atStart: { "An email address cannot start with a \($0)." },
            atEnd: { "An email address cannot have a \($0) immediately before the @-sign." })
        throw Failure(reason: "The email address contains invalid characters before the @-sign.")
    }

    /// RFC 5322 dot-atom: runs of allowed characters joined by single periods.
    private static func isDotAtom(_ text: [Unicode.Scalar], allowing isAllowed: (Unicode.Scalar) -> Bool) -> Bool {
        text.pieces(separatedBy: ".").allSatisfy { !$0.isEmpty && $0.allSatisfy(isAllowed) }
    }

    /// `validate_email_length`: at most 254 UTF-8 bytes as given, as normalized, and with the IDNA ASCII domain.
    private static func checkLength(
        original: [Unicode.Scalar], normalized: [Unicode.Scalar], ascii: [Unicode.Scalar]
    ) throws(Failure) {
        let forms: [([Unicode.Scalar], String?)] = [
            (original, nil), (normalized, "after normalization"),
            (ascii, "when the part after the @-sign is converted to IDNA ASCII"),
        ]
        for (address, context) in forms {
            let bytes = address.reduce(0) { $0 + UTF8.width($1) }
            let excess = bytes - 254
            guard excess > 0 else { continue }
            let plural = excess > 1 ? "s" : ""
            let reason: String
            if let context {
                reason = "\(context) (\(excess) byte\(plural) too many)"
            } else if bytes == address.count {
                reason = excessDescription(bytes, limit: 254)
            } else {
                let fewest = max(1, excess / (address.map { UTF8.width($0) }.max() ?? 1))
                reason = "(\(fewest == excess ? "" : "\(fewest)-")\(excess) character\(plural) too many)"
            }
            throw Failure(reason: "The email address is too long \(reason).")
        }
    }

    /// `get_length_reason`: how far `count` is over `limit`.
    static func excessDescription(_ count: Int, limit: Int) -> String {
        "(\(count - limit) character\(count - limit > 1 ? "s" : "") too many)"
    }
}
