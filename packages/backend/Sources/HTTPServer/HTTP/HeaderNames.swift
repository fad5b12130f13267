// The header names clients send most, as sent (Title-Case from browsers, curl and wrk; lower
// case from HTTP libraries such as httpx): the parser takes their String from here instead of
// decoding and validating the bytes of each one, on every request.

enum HeaderNames {
    /// The common name spelled exactly as `bytes`, if it is one: a length and a first byte pick
    /// the one candidate, which one comparison confirms.
    static func interned(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let first = bytes.first else { return nil }
        switch (bytes.count, first) {
        case (4, UInt8(ascii: "H")) where bytes.equals("Host"): return "Host"
        case (4, UInt8(ascii: "h")) where bytes.equals("host"): return "host"
        case (6, UInt8(ascii: "A")) where bytes.equals("Accept"): return "Accept"
        case (6, UInt8(ascii: "a")) where bytes.equals("accept"): return "accept"
        case (6, UInt8(ascii: "C")) where bytes.equals("Cookie"): return "Cookie"
        case (6, UInt8(ascii: "c")) where bytes.equals("cookie"): return "cookie"
        case (6, UInt8(ascii: "O")) where bytes.equals("Origin"): return "Origin"
        case (6, UInt8(ascii: "o")) where bytes.equals("origin"): return "origin"
        case (10, UInt8(ascii: "U")) where bytes.equals("User-Agent"): return "User-Agent"
        case (10, UInt8(ascii: "u")) where bytes.equals("user-agent"): return "user-agent"
        case (10, UInt8(ascii: "C")) where bytes.equals("Connection"): return "Connection"
        case (10, UInt8(ascii: "c")) where bytes.equals("connection"): return "connection"
        case (12, UInt8(ascii: "C")) where bytes.equals("Content-Type"): return "Content-Type"
        case (12, UInt8(ascii: "c")) where bytes.equals("content-type"): return "content-type"
        case (13, UInt8(ascii: "A")) where bytes.equals("Authorization"): return "Authorization"
        case (13, UInt8(ascii: "a")) where bytes.equals("authorization"): return "authorization"
        case (14, UInt8(ascii: "C")) where bytes.equals("Content-Length"): return "Content-Length"
        case (14, UInt8(ascii: "c")) where bytes.equals("content-length"): return "content-length"
        case (15, UInt8(ascii: "A")) where bytes.equals("Accept-Encoding"): return "Accept-Encoding"
        case (15, UInt8(ascii: "a")) where bytes.equals("accept-encoding"): return "accept-encoding"
        case (15, UInt8(ascii: "A")) where bytes.equals("Accept-Language"): return "Accept-Language"
        case (15, UInt8(ascii: "a")) where bytes.equals("accept-language"): return "accept-language"
        default: return nil
        }
    }
}
