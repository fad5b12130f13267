// IDNA 2008 code point classes, derived from Unicode properties by the rules of RFC 5892 (as the
// idna package derives its tables), and the contextual rules of its appendix A. Scripts are
// approximated by their blocks; a zero width non-joiner passes only after a virama (the Arabic
// joining-type context is not known here, and email-validator refuses the joiner later anyway).

extension IDNA {
    enum CodePointClass { case pvalid, contextJ, contextO, disallowed }

    static func codePointClass(_ scalar: Unicode.Scalar) -> CodePointClass {
        switch scalar.value {
        case 0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007: return .pvalid  // exceptions (RFC 5892 2.6)
        case 0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB, 0x0660...0x0669, 0x06F0...0x06F9: return .contextO
        case 0x0640, 0x07FA, 0x302E, 0x302F, 0x3031...0x3035, 0x303B: return .disallowed
        case 0x61...0x7A, 0x30...0x39, 0x2D: return .pvalid  // letters, digits, hyphen
        case 0x200C, 0x200D: return .contextJ
        case 0x20D0...0x20FF, 0x1D100...0x1D24F: return .disallowed  // blocks of symbols' combining marks
        case 0x1100...0x11FF, 0xA960...0xA97F, 0xD7B0...0xD7FF: return .disallowed  // old Hangul jamo
        default: break
        }
        let properties = scalar.properties
        if properties.changesWhenNFKCCaseFolded || properties.isDefaultIgnorableCodePoint || properties.isWhitespace
            || properties.isNoncharacterCodePoint
        {
            return .disallowed
        }
        switch properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .otherLetter, .modifierLetter, .decimalNumber, .nonspacingMark,
            .spacingMark:
            return .pvalid
        default:
            return .disallowed
        }
    }

    /// RFC 5892 A.1 and A.2: a joiner follows a virama.
    static func isValidJoiner(in label: [Unicode.Scalar], at offset: Int) -> Bool {
        offset > 0 && label[offset - 1].properties.canonicalCombiningClass.rawValue == 9
    }

    /// RFC 5892 A.3 to A.9.
    static func isValidInContext(_ label: [Unicode.Scalar], at offset: Int) -> Bool {
        switch label[offset].value {
        case 0x00B7:  // middle dot, between two l (Catalan)
            return offset > 0 && offset < label.count - 1 && label[offset - 1] == "l" && label[offset + 1] == "l"
        case 0x0375:  // Greek lower numeral sign, before Greek
            return offset < label.count - 1 && isInScript(label[offset + 1], greek)
        case 0x05F3, 0x05F4:  // Hebrew punctuation geresh and gershayim, after Hebrew
            return offset > 0 && isInScript(label[offset - 1], hebrew)
        case 0x30FB:  // katakana middle dot, with Hiragana, Katakana or Han
            return label.contains { $0.value != 0x30FB && isInScript($0, hiraganaKatakanaHan) }
        case 0x0660...0x0669:  // Arabic-Indic digits, not with extended ones
            return !label.contains { (0x06F0...0x06F9).contains($0.value) }
        default:  // extended Arabic-Indic digits, not with Arabic-Indic ones
            return !label.contains { (0x0660...0x0669).contains($0.value) }
        }
    }

    private static let greek: [ClosedRange<UInt32>] = [0x0370...0x03E1, 0x03F0...0x03FF, 0x1F00...0x1FFF]
    private static let hebrew: [ClosedRange<UInt32>] = [0x0591...0x05F4, 0xFB1D...0xFB4F]
    private static let hiraganaKatakanaHan: [ClosedRange<UInt32>] = [
        0x2E80...0x2FD5, 0x3005...0x3007, 0x3021...0x3029, 0x3038...0x303B, 0x3041...0x309F, 0x30A1...0x30FF,
        0x31F0...0x31FF, 0x32D0...0x3357, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF66...0xFF9D,
        0x16FE2...0x16FF1, 0x1AFF0...0x1B16F, 0x1F200...0x1F200, 0x20000...0x323AF,
    ]

    private static func isInScript(_ scalar: Unicode.Scalar, _ ranges: [ClosedRange<UInt32>]) -> Bool {
        ranges.contains { $0.contains(scalar.value) }
    }
}
