// email-validator's `validate_email_domain_literal` (`[192.0.2.1]`, `[IPv6:2001:db8::1]`), for its
// messages only: Pydantic allows no bracketed address after the @-sign, so the caller refuses the
// valid ones; an invalid one is reported with the reason Python's ipaddress module gives.

extension EmailAddress {
    /// Returns when the text in the brackets is an IP address email-validator accepts.
    static func checkDomainLiteral(_ literal: ArraySlice<Unicode.Scalar>) throws(Failure) {
        if !literal.isEmpty && literal.allSatisfy({ ("0"..."9").contains($0) || $0 == "." }) {
            guard let problem = ipv4Problem(literal) else { return }
            throw Failure(
                reason:
                    "The address in brackets after the @-sign is not valid: It is not an IPv4 address (\(problem)) or is missing an address literal tag."
            )
        }
        if String(scalars: literal.prefix(5)).lowercased() == "ipv6:" {
            let address = literal.dropFirst(5)
            let problem = ipv6Problem(address) ?? (address.contains("%") ? "It has a zone index" : nil)
            guard let problem else { return }
            throw Failure(reason: "The IPv6 address in brackets after the @-sign is not valid (\(problem)).")
        }
        guard literal.contains(":") else {
            throw Failure(
                reason: "The part after the @-sign in brackets is not an IPv4 address and has no address literal tag.")
        }
        if let shown = disallowedCharacters(in: literal, allowing: { (0x21...0xFA).contains($0.value) }) {
            throw Failure(reason: "The part after the @-sign contains invalid characters in brackets: \(shown).")
        }
        throw Failure(reason: "The part after the @-sign contains an invalid address literal tag in brackets.")
    }

    /// Why `ipaddress.IPv4Address` refuses the text, or nil.
    private static func ipv4Problem(_ text: ArraySlice<Unicode.Scalar>) -> String? {
        let octets = text.pieces(separatedBy: ".")
        guard octets.count == 4 else { return "Expected 4 octets in \(PythonUnicode.repr(text))" }
        for octet in octets {
            let problem: String
            if octet.isEmpty {
                problem = "Empty octet not permitted"
            } else if !octet.allSatisfy({ ("0"..."9").contains($0) }) {
                problem = "Only decimal digits permitted in \(PythonUnicode.repr(octet))"
            } else if octet.count > 3 {
                problem = "At most 3 characters permitted in \(PythonUnicode.repr(octet))"
            } else if octet.count > 1 && octet.first == "0" {
                problem = "Leading zeros are not permitted in \(PythonUnicode.repr(octet))"
            } else if let value = Int(String(scalars: octet)), value > 255 {
                problem = "Octet \(value) (> 255) not permitted"
            } else {
                continue
            }
            return "\(problem) in \(PythonUnicode.repr(text))"
        }
        return nil
    }

    /// Why `ipaddress.IPv6Address` refuses the text, or nil. A zone index (`%eth0`) is allowed here.
    private static func ipv6Problem(_ text: ArraySlice<Unicode.Scalar>) -> String? {
        if text.contains("/") { return "Unexpected '/' in \(PythonUnicode.repr(text))" }
        let address = text.prefix { $0 != "%" }
        let zone = text.dropFirst(address.count + 1)
        if address.count < text.count && (zone.isEmpty || zone.contains("%")) {
            return "Invalid IPv6 address: \"\(PythonUnicode.repr(text))\""
        }
        let shown = PythonUnicode.repr(address)
        guard !address.isEmpty else { return "Address cannot be empty" }
        var parts = address.pieces(separatedBy: ":")
        guard parts.count >= 3 else { return "At least 3 parts expected in \(shown)" }
        if let last = parts.last, last.contains(".") {
            if let problem = ipv4Problem(last) { return "\(problem) in \(shown)" }
            parts.replaceSubrange((parts.count - 1)..., with: [["0"], ["0"]])  // the two hextets it stands for
        }
        guard parts.count <= 9 else { return "At most 8 colons permitted in \(shown)" }
        let inner = parts.indices.dropFirst().dropLast().filter { parts[$0].isEmpty }
        guard inner.count <= 1 else { return "At most one '::' permitted in \(shown)" }
        var leading = inner.first ?? parts.count
        var trailing = inner.first.map { parts.count - $0 - 1 } ?? 0
        if inner.isEmpty && parts.count != 8 { return "Exactly 8 parts expected without '::' in \(shown)" }
        if parts[0].isEmpty {
            leading -= 1
            if leading > 0 || inner.isEmpty { return "Leading ':' only permitted as part of '::' in \(shown)" }
        }
        if parts[parts.count - 1].isEmpty {
            trailing -= 1
            if trailing > 0 || inner.isEmpty { return "Trailing ':' only permitted as part of '::' in \(shown)" }
        }
        if !inner.isEmpty && leading + trailing > 7 { return "Expected at most 7 other parts with '::' in \(shown)" }
        for hextet in parts.prefix(leading) + parts.suffix(trailing) {
            if !hextet.allSatisfy({ $0.properties.isASCIIHexDigit }) {
                return "Only hex digits permitted in \(PythonUnicode.repr(hextet)) in \(shown)"
            }
            if hextet.count > 4 { return "At most 4 characters permitted in \(PythonUnicode.repr(hextet)) in \(shown)" }
        }
        return nil
    }
}
