// base64url without padding (RFC 7515 §2), as JWTs use it.

import FoundationEssentials

enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        text = text.replacing("+", with: "-").replacing("/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Nil unless `text` is unpadded base64url.
    static func decode(_ text: Substring) -> [UInt8]? {
        guard text.count % 4 != 1,
            text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        let standard = String(text.replacing("-", with: "+").replacing("_", with: "/"))
        let padded = standard + String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: padded).map { Array($0) }
    }
}
