// The Bidi rule of RFC 5893 as the idna package checks it, with its messages. Swift has no
// bidirectional classes, so this holds the ones Python 3.11 gives the code points IDNA 2008 lets
// into a label (computed from unicodedata and the idna tables): the ranges below have their class,
// other marks are NSM, and every other letter or digit is L.

extension IDNA {
    enum BidiClass {
        case leftToRight, rightToLeft, arabicLetter, europeanNumber, arabicNumber, europeanSeparator, otherNeutral
        case boundaryNeutral, nonspacingMark

        /// R, AL and AN: a label with one is right-to-left.
        var isRightToLeft: Bool { self == .rightToLeft || self == .arabicLetter || self == .arabicNumber }
    }

    private static let bidiRanges: [(ClosedRange<UInt32>, BidiClass)] = [
        (0x2D...0x2D, .europeanSeparator), (0x30...0x39, .europeanNumber), (0xB7...0xB7, .otherNeutral),
        (0x2B9...0x2BA, .otherNeutral), (0x2C6...0x2CF, .otherNeutral), (0x2EC...0x2EC, .otherNeutral),
        (0x375...0x375, .otherNeutral), (0x5D0...0x5F4, .rightToLeft), (0x620...0x64A, .arabicLetter),
        (0x660...0x669, .arabicNumber), (0x66E...0x66F, .arabicLetter), (0x671...0x6D5, .arabicLetter),
        (0x6E5...0x6E6, .arabicLetter), (0x6EE...0x6EF, .arabicLetter), (0x6F0...0x6F9, .europeanNumber),
        (0x6FA...0x710, .arabicLetter), (0x712...0x72F, .arabicLetter), (0x74D...0x7A5, .arabicLetter),
        (0x7B1...0x7B1, .arabicLetter), (0x7C0...0x7EA, .rightToLeft), (0x7F4...0x7F5, .rightToLeft),
        (0x800...0x815, .rightToLeft), (0x81A...0x81A, .rightToLeft), (0x824...0x824, .rightToLeft),
        (0x828...0x828, .rightToLeft), (0x840...0x858, .rightToLeft), (0x860...0x88E, .arabicLetter),
        (0x8A0...0x8C9, .arabicLetter), (0x200C...0x200D, .boundaryNeutral), (0x2E2F...0x2E2F, .otherNeutral),
        (0x30FB...0x30FB, .otherNeutral), (0xA67F...0xA67F, .otherNeutral), (0xA717...0xA71F, .otherNeutral),
        (0xA788...0xA788, .otherNeutral), (0xFE73...0xFE73, .arabicLetter), (0x10800...0x10A00, .rightToLeft),
        (0x10A10...0x10A35, .rightToLeft), (0x10A60...0x10AE4, .rightToLeft), (0x10B00...0x10CF2, .rightToLeft),
        (0x10D00...0x10D23, .arabicLetter), (0x10D30...0x10D39, .arabicNumber), (0x10E80...0x10EA9, .rightToLeft),
        (0x10EB0...0x10F27, .rightToLeft), (0x10F30...0x10F45, .arabicLetter), (0x10F70...0x10F81, .rightToLeft),
        (0x10FB0...0x10FF6, .rightToLeft), (0x1E800...0x1E8C4, .rightToLeft), (0x1E922...0x1E943, .rightToLeft),
        (0x1E94B...0x1E959, .rightToLeft), (0xCBF...0xCBF, .leftToRight), (0xCC6...0xCC6, .leftToRight),
        (0x11A07...0x11A08, .leftToRight), (0x11C3F...0x11C3F, .leftToRight),
    ]

    /// `unicodedata.bidirectional`, for code points valid in a label; nil where Python knows none.
    static func bidiClass(_ scalar: Unicode.Scalar) -> BidiClass? {
        let category = PythonUnicode.category(scalar)
        guard category != .unassigned else { return nil }
        if let listed = bidiRanges.first(where: { $0.0.contains(scalar.value) }) { return listed.1 }
        return category == .nonspacingMark || category == .enclosingMark ? .nonspacingMark : .leftToRight
    }

    /// `idna.check_bidi`: applies to a label with a right-to-left character (or any label, when `checkLTR`).
    static func checkBidi(_ label: [Unicode.Scalar], checkLTR: Bool) throws(Failure) {
        var classes: [BidiClass] = []
        for (offset, scalar) in label.enumerated() {
            guard let bidiClass = bidiClass(scalar) else {
                throw Failure("Unknown directionality in label \(PythonUnicode.repr(label)) at position \(offset + 1)")
            }
            classes.append(bidiClass)
        }
        guard checkLTR || classes.contains(where: \.isRightToLeft) else { return }
        let rightToLeft: Bool
        switch classes[0] {
        case .rightToLeft, .arabicLetter: rightToLeft = true
        case .leftToRight: rightToLeft = false
        default:
            throw Failure("First codepoint in label \(PythonUnicode.repr(label)) must be directionality L, R or AL")
        }
        var validEnding = false
        var numberClass: BidiClass?
        for (offset, bidiClass) in classes.enumerated() {
            // Of the classes a label can hold, only L is wrong right-to-left, and only R, AL and AN left-to-right.
            if rightToLeft ? bidiClass == .leftToRight : bidiClass.isRightToLeft {
                let direction = rightToLeft ? "right-to-left" : "left-to-right"
                throw Failure("Invalid direction for codepoint at position \(offset + 1) in a \(direction) label")
            }
            switch bidiClass {
            case .rightToLeft, .arabicLetter: validEnding = true
            case .leftToRight: validEnding = !rightToLeft
            case .europeanNumber, .arabicNumber:
                validEnding = true
                if rightToLeft, let numberClass, numberClass != bidiClass {
                    throw Failure("Can not mix numeral types in a right-to-left label")
                }
                if rightToLeft { numberClass = bidiClass }
            case .nonspacingMark: continue
            case .europeanSeparator, .otherNeutral, .boundaryNeutral: validEnding = false
            }
        }
        if !validEnding { throw Failure("Label ends with illegal codepoint directionality") }
    }
}
