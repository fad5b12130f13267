// The header names clients send most, as sent (Title-Case from browsers, curl and wrk; lower
// case from HTTP libraries such as httpx): the parser takes their String from here instead of
// decoding and validating the bytes of each one, on every request, and learns at the same time
// whether the field frames the request.

/// What a header field means to the parser.
enum HeaderRole {
    case contentLength, transferEncoding, connection, host, expect
    /// Nothing to the parser.
    case other

    /// The role of `name` in any case (for names not spelled as `HeaderNames` has them): the
    /// name's length picks the one candidate.
    init(anyCase name: UnsafeRawBufferPointer) {
        switch name.count {
        case 14 where name.equalsLowercased("content-length"): self = .contentLength
        case 17 where name.equalsLowercased("transfer-encoding"): self = .transferEncoding
        case 10 where name.equalsLowercased("connection"): self = .connection
        case 4 where name.equalsLowercased("host"): self = .host
        case 6 where name.equalsLowercased("expect"): self = .expect
        default: self = .other
        }
    }
}

enum HeaderNames {
    /// The common name spelled exactly as `bytes`, if it is one, and its role: a length and a
    /// first byte pick the one candidate, which one comparison confirms.
    static func interned(_ bytes: UnsafeRawBufferPointer) -> (name: String, role: HeaderRole)? {
        guard let first = bytes.first else { return nil }
        switch (bytes.count, first) {
        case (4, UInt8(ascii: "H")) where bytes.equals("Host"): return ("Host", .host)
        case (4, UInt8(ascii: "h")) where bytes.equals("host"): return ("host", .host)
        case (6, UInt8(ascii: "A")) where bytes.equals("Accept"): return ("Accept", .other)
        case (6, UInt8(ascii: "a")) where bytes.equals("accept"): return ("accept", .other)
        case (6, UInt8(ascii: "C")) where bytes.equals("Cookie"): return ("Cookie", .other)
        case (6, UInt8(ascii: "c")) where bytes.equals("cookie"): return ("cookie", .other)
        case (6, UInt8(ascii: "E")) where bytes.equals("Expect"): return ("Expect", .expect)
        case (6, UInt8(ascii: "e")) where bytes.equals("expect"): return ("expect", .expect)
        case (6, UInt8(ascii: "O")) where bytes.equals("Origin"): return ("Origin", .other)
        case (6, UInt8(ascii: "o")) where bytes.equals("origin"): return ("origin", .other)
        case (10, UInt8(ascii: "U")) where bytes.equals("User-Agent"): return ("User-Agent", .other)
        case (10, UInt8(ascii: "u")) where bytes.equals("user-agent"): return ("user-agent", .other)
        case (10, UInt8(ascii: "C")) where bytes.equals("Connection"): return ("Connection", .connection)
        case (10, UInt8(ascii: "c")) where bytes.equals("connection"): return ("connection", .connection)
        case (12, UInt8(ascii: "C")) where bytes.equals("Content-Type"): return ("Content-Type", .other)
        case (12, UInt8(ascii: "c")) where bytes.equals("content-type"): return ("content-type", .other)
        case (13, UInt8(ascii: "A")) where bytes.equals("Authorization"): return ("Authorization", .other)
        case (13, UInt8(ascii: "a")) where bytes.equals("authorization"): return ("authorization", .other)
        case (14, UInt8(ascii: "C")) where bytes.equals("Content-Length"): return ("Content-Length", .contentLength)
        case (14, UInt8(ascii: "c")) where bytes.equals("content-length"): return ("content-length", .contentLength)
        case (15, UInt8(ascii: "A")) where bytes.equals("Accept-Encoding"): return ("Accept-Encoding", .other)
        case (15, UInt8(ascii: "a")) where bytes.equals("accept-encoding"): return ("accept-encoding", .other)
        case (15, UInt8(ascii: "A")) where bytes.equals("Accept-Language"): return ("Accept-Language", .other)
        case (15, UInt8(ascii: "a")) where bytes.equals("accept-language"): return ("accept-language", .other)
        case (17, UInt8(ascii: "T")) where bytes.equals("Transfer-Encoding"):
            return ("Transfer-Encoding", .transferEncoding)
        case (17, UInt8(ascii: "t")) where bytes.equals("transfer-encoding"):
            return ("transfer-encoding", .transferEncoding)
        default: return nil
        }
    }
}
