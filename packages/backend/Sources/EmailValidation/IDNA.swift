// The parts of Python's idna package (IDNA 2008: RFC 5891 to 5893) that email-validator calls, with
// its messages: `alabel`, `ulabel`, `decode` and `check_label` (NFC, hyphens, a leading combining
// mark, code point classes and their contextual rules, the Bidi rule). The package's tables are
// derived here from the RFCs' rules and Unicode properties (IDNA+CodePoints, IDNA+Bidi); UTS 46
// mapping is in IDNA+Mapping.

enum IDNA {
    struct Failure: Error {
        let message: String

        init(_ message: String) { self.message = message }
    }

    /// `idna.alabel`: the label as DNS carries it, `xn--` and Punycode when it is not ASCII.
    static func alabel(_ label: [Unicode.Scalar]) throws(Failure) -> [Unicode.Scalar] {
        let encoded: [Unicode.Scalar]
        if label.allSatisfy(\.isASCII) {
            _ = try ulabel(label)
            encoded = label
        } else {
            try checkLabel(label)
            encoded = Array("xn--".unicodeScalars) + Punycode.encode(label)
        }
        guard encoded.count <= 63 else { throw Failure("Label too long") }
        return encoded
    }

    /// `idna.ulabel` of an ASCII label: an A-label decoded (it must be the canonical encoding of
    /// what it decodes to) and checked, or the label checked as it is.
    static func ulabel(_ label: [Unicode.Scalar]) throws(Failure) -> [Unicode.Scalar] {
        let lowered = Array(String(scalars: label).lowercased().unicodeScalars)
        guard lowered.startsWith("xn--") else {
            try checkLabel(lowered)
            return lowered
        }
        let encoded = lowered.dropFirst(4)
        if encoded.isEmpty { throw Failure("Malformed A-label, no Punycode eligible content found") }
        if encoded.last == "-" { throw Failure("A-label must not end with a hyphen") }
        guard let decoded = Punycode.decode(encoded) else { throw Failure("Invalid A-label") }
        guard Punycode.encode(decoded).elementsEqual(encoded) else {
            throw Failure("A-label is not the canonical Punycode encoding of its U-label")
        }
        try checkLabel(decoded)
        return decoded
    }

    /// `idna.decode` of an ASCII domain: its labels through `ulabel`.
    static func decode(_ domain: [Unicode.Scalar]) throws(Failure) -> [Unicode.Scalar] {
        var decoded: [Unicode.Scalar] = []
        for label in domain.pieces(separatedBy: ".") {
            if !decoded.isEmpty { decoded.append(".") }
            decoded += try ulabel(Array(label))
        }
        return decoded
    }

    /// `idna.check_label`.
    static func checkLabel(_ label: [Unicode.Scalar]) throws(Failure) {
        if PythonUnicode.nfc(label) != label { throw Failure("Label must be in Normalization Form C") }
        if label.count >= 4 && label[2] == "-" && label[3] == "-" {
            throw Failure("Label has disallowed hyphens in 3rd and 4th position")
        }
        if label.first == "-" || label.last == "-" { throw Failure("Label must not start or end with a hyphen") }
        if let first = label.first, PythonUnicode.majorClass(first) == .mark {
            throw Failure("Label begins with an illegal combining character")
        }
        let shown = PythonUnicode.repr(label)
        for (offset, scalar) in label.enumerated() {
            let name = codePointName(scalar)
            switch codePointClass(scalar) {
            case .pvalid:
                continue
            case .contextJ where !isValidJoiner(in: label, at: offset):
                throw Failure("Joiner \(name) not allowed at position \(offset + 1) in \(shown)")
            case .contextO where !isValidInContext(label, at: offset):
                throw Failure("Codepoint \(name) not allowed at position \(offset + 1) in \(shown)")
            case .contextJ, .contextO:
                continue
            case .disallowed:
                throw Failure("Codepoint \(name) at position \(offset + 1) of \(shown) not allowed")
            }
        }
        try checkBidi(label, checkLTR: false)
    }

    /// `U+00E9`: at least four upper-case hexadecimal digits.
    static func codePointName(_ scalar: Unicode.Scalar) -> String {
        "U+" + PythonUnicode.hex(scalar.value, digits: 4).uppercased()
    }
}
