// Punycode (RFC 3492), the encoding inside IDNA's A-labels (`xn--…`), as Python's `punycode` codec
// has it: the basic code points, a `-` when there are any, then the deltas as generalized
// variable-length integers. Decoding fails where the codec raises (and on overflow, which the
// codec's unbounded integers reach only on input it also refuses).

enum Punycode {
    private static let base = 36
    private static let initialBias = 72
    private static let initialCode = 0x80

    static func encode(_ label: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let codes = label.map { Int($0.value) }
        var output = label.filter(\.isASCII)
        let basicCount = output.count
        if basicCount > 0 { output.append("-") }
        var code = initialCode
        var delta = 0
        var bias = initialBias
        var handled = basicCount
        while handled < codes.count {
            let next = codes.filter { $0 >= code }.min() ?? code
            delta += (next - code) * (handled + 1)
            code = next
            for current in codes {
                if current < code { delta += 1 }
                guard current == code else { continue }
                var rest = delta
                var k = base
                while true {
                    let t = threshold(k, bias: bias)
                    if rest < t { break }
                    output.append(digit(t + (rest - t) % (base - t)))
                    rest = (rest - t) / (base - t)
                    k += base
                }
                output.append(digit(rest))
                bias = adapt(delta, count: handled + 1, first: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            code += 1
        }
        return output
    }

    /// The label encoded in `text` (what follows `xn--`), or nil when it is not valid Punycode.
    static func decode(_ text: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar]? {
        let delimiter = text.lastIndex(of: "-")
        var output = delimiter.map { Array(text[..<$0]) } ?? []
        var position = delimiter.map { $0 + 1 } ?? text.startIndex
        var code = initialCode
        var index = 0
        var bias = initialBias
        var first = true
        while position < text.endIndex {
            var delta = 0
            var weight = 1
            var k = base
            while true {
                guard position < text.endIndex, let digit = digitValue(text[position]) else { return nil }
                position += 1
                let product = digit.multipliedReportingOverflow(by: weight)
                let sum = delta.addingReportingOverflow(product.partialValue)
                guard !product.overflow, !sum.overflow else { return nil }
                delta = sum.partialValue
                let t = threshold(k, bias: bias)
                if digit < t { break }
                let larger = weight.multipliedReportingOverflow(by: base - t)
                guard !larger.overflow else { return nil }
                weight = larger.partialValue
                k += base
            }
            let (advanced, overflowed) = index.addingReportingOverflow(delta)
            guard !overflowed else { return nil }
            let step = advanced / (output.count + 1)
            guard step <= 0x10FFFF - code, let scalar = Unicode.Scalar(UInt32(code + step)) else { return nil }
            code += step
            index = advanced % (output.count + 1)
            output.insert(scalar, at: index)
            bias = adapt(delta, count: output.count, first: first)
            first = false
            index += 1
        }
        return output
    }

    private static func threshold(_ k: Int, bias: Int) -> Int {
        min(max(k - bias, 1), 26)
    }

    private static func adapt(_ delta: Int, count: Int, first: Bool) -> Int {
        var delta = first ? delta / 700 : delta / 2
        delta += delta / count
        var divisions = 0
        while delta > 455 {
            delta /= base - 1
            divisions += base
        }
        return divisions + base * delta / (delta + 38)
    }

    private static func digit(_ value: Int) -> Unicode.Scalar {
        Unicode.Scalar(UInt8(value < 26 ? 0x61 + value : 0x30 + value - 26))
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar {
        case "a"..."z": Int(scalar.value - 0x61)
        case "A"..."Z": Int(scalar.value - 0x41)
        case "0"..."9": Int(scalar.value - 0x30) + 26
        default: nil
        }
    }
}
