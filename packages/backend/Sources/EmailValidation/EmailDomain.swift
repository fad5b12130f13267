// email-validator's `validate_email_domain_name` for globally deliverable addresses: characters,
// UTS 46 mapping, periods and hyphens, IDNA (A-labels and U-labels), lengths, the top-level domain
// and special-use names. Domains with Punycode labels come back in their Unicode form.

extension EmailAddress {
    struct Domain {
        /// As the normalized address shows it.
        let unicode: [Unicode.Scalar]
        /// As IDNA sends it.
        let ascii: [Unicode.Scalar]
    }

    private static let specialUseDomains = ["arpa", "invalid", "local", "localhost", "onion", "test"]

    /// Code points that decompose to a sequence with a full stop (`⒈`, `…`); UTS 46 would split labels at them.
    private static let decomposesWithFullStop: Set<UInt32> = Set(0x2024...0x2026).union(0x2488...0x249B).union([
        0x33C2, 0x33C7, 0x33D8, 0xFE52, 0x1F100,
    ])

    static func validateDomain(_ domain: [Unicode.Scalar]) throws(Failure) -> Domain {
        if domain.count > 253 {
            throw Failure(
                reason: "The email address is too long after the @-sign \(excessDescription(domain.count, limit: 253))."
            )
        }
        if let shown = disallowedCharacters(in: domain, allowing: isHostnameCharacter) {
            throw Failure(reason: "The part after the @-sign contains invalid characters: \(shown).")
        }
        try checkSafety(of: domain, allowSpace: false)
        // `uts46_valid_char`: after the check above, only the full-stop decompositions remain for it to refuse.
        if let shown = disallowedCharacters(in: domain, allowing: { !decomposesWithFullStop.contains($0.value) }) {
            throw Failure(reason: "The part after the @-sign contains invalid characters: \(shown).")
        }
        let mapped: [Unicode.Scalar]
        do throws(IDNA.Failure) {
            mapped = try IDNA.remap(domain)
        } catch {
            throw Failure(reason: "The part after the @-sign contains invalid characters (\(error.message)).")
        }
        if let shown = disallowedCharacters(in: mapped, allowing: isHostnameCharacter) {
            throw Failure(
                reason: "The part after the @-sign contains invalid characters after Unicode normalization: \(shown).")
        }
        try checkDotAtom(
            mapped, isHostname: true, atStart: { "An email address cannot have a \($0) immediately after the @-sign." },
            atEnd: { "An email address cannot end with a \($0)." })
        let labels = mapped.pieces(separatedBy: ".")
        if labels.contains(where: isReservedLDHLabel) {
            throw Failure(
                reason:
                    "An email address cannot have two letters followed by two dashes immediately after the @-sign or after a period, except Punycode."
            )
        }
        let ascii = try asciiForm(mapped, labels: labels)
        try checkLengths(ascii, original: domain)
        if !ascii.contains(".") {
            throw Failure(reason: "The part after the @-sign is not valid. It should have a period.")
        }
        if let last = ascii.last, !("a"..."z").contains(last) {  // the domain is lower-case by now
            throw Failure(reason: "The part after the @-sign is not valid. It is not within a valid top-level domain.")
        }
        if specialUseDomains.contains(where: { ascii.elementsEqual($0.unicodeScalars) || ascii.endsWith("." + $0) }) {
            throw Failure(
                reason: "The part after the @-sign is a special-use or reserved name that cannot be used with email.")
        }
        guard ascii.includes("xn--") else { return Domain(unicode: ascii, ascii: ascii) }
        return Domain(unicode: try unicodeForm(ascii), ascii: ascii)
    }

    /// RFC 5890 reserves labels with `--` in the third and fourth positions for `xn--` (Punycode).
    private static func isReservedLDHLabel(_ label: ArraySlice<Unicode.Scalar>) -> Bool {
        let characters = Array(label.prefix(4))
        return characters.count == 4 && characters[2...] == ["-", "-"]
            && String(scalars: characters[..<2]).lowercased() != "xn"
    }

    /// The domain with each non-ASCII label as an A-label (`idna.alabel`).
    private static func asciiForm(
        _ domain: [Unicode.Scalar], labels: [ArraySlice<Unicode.Scalar>]
    ) throws(Failure) -> [Unicode.Scalar] {
        guard !domain.allSatisfy(\.isASCII) else { return domain }
        do throws(IDNA.Failure) {
            var ascii: [Unicode.Scalar] = []
            for label in labels {
                if !ascii.isEmpty { ascii.append(".") }
                ascii += try IDNA.alabel(Array(label))
            }
            return ascii
        } catch {
            throw Failure(reason: "The part after the @-sign is invalid (\(error.message)).")
        }
    }

    /// The 253-byte domain and 63-byte label limits of RFC 1035.
    private static func checkLengths(_ ascii: [Unicode.Scalar], original: [Unicode.Scalar]) throws(Failure) {
        if ascii.count > 253 {
            if ascii == original {
                throw Failure(
                    reason:
                        "The email address is too long after the @-sign \(excessDescription(ascii.count, limit: 253)).")
            }
            let excess = ascii.count - 253
            throw Failure(
                reason:
                    "The email address is too long after the @-sign (\(excess) byte\(excess == 1 ? "" : "s") too many after IDNA encoding)."
            )
        }
        if let label = ascii.pieces(separatedBy: ".").first(where: { $0.count > 63 }) {
            throw Failure(
                reason:
                    "After the @-sign, periods cannot be separated by so many characters \(excessDescription(label.count, limit: 63))."
            )
        }
    }

    /// The domain with its A-labels decoded (`idna.decode`), checked again as email-validator does,
    /// with the Bidi rule across all labels once any is right-to-left.
    private static func unicodeForm(_ ascii: [Unicode.Scalar]) throws(Failure) -> [Unicode.Scalar] {
        func invalidIDNA(_ error: IDNA.Failure) -> Failure {
            Failure(reason: "The part after the @-sign is not valid IDNA (\(error.message)).")
        }
        let decoded: [Unicode.Scalar]
        do throws(IDNA.Failure) { decoded = try IDNA.decode(ascii) } catch { throw invalidIDNA(error) }
        if let shown = disallowedCharacters(in: decoded, allowing: isHostnameCharacter) {
            throw Failure(reason: "The part after the @-sign contains invalid characters: \(shown).")
        }
        try checkSafety(of: decoded, allowSpace: false)
        guard decoded.contains(where: { IDNA.bidiClass($0)?.isRightToLeft == true }) else { return decoded }
        do throws(IDNA.Failure) {
            for label in decoded.pieces(separatedBy: ".") { try IDNA.checkBidi(Array(label), checkLTR: true) }
        } catch {
            throw invalidIDNA(error)
        }
        return decoded
    }
}
