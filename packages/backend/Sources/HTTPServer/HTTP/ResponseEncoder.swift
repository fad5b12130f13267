// Serialises a response head and body into one buffer, so each response is one write.

#if canImport(Glibc)
    import Glibc
#endif

enum ResponseEncoder {
    /// Appends `response` to `buffer`. The server owns the framing headers: any
    /// Content-Length, Transfer-Encoding or Connection the responder set is replaced.
    static func encode(
        _ response: HTTPResponse, headOnly: Bool, keepAlive: Bool, version: HTTPVersion,
        date: [UInt8], into buffer: inout [UInt8]
    ) {
        buffer.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(response.status.code, to: &buffer)
        buffer.append(0x20)
        buffer.append(contentsOf: response.status.reasonPhrase.utf8)
        buffer.append(contentsOf: "\r\n".utf8)
        for (name, value) in response.headers {
            if name.equalsIgnoringASCIICase("content-length") || name.equalsIgnoringASCIICase("transfer-encoding")
                || name.equalsIgnoringASCIICase("connection")
            {
                continue
            }
            buffer.append(contentsOf: name.utf8)
            buffer.append(contentsOf: ": ".utf8)
            buffer.append(contentsOf: value.utf8)
            buffer.append(contentsOf: "\r\n".utf8)
        }
        buffer.append(contentsOf: "date: ".utf8)
        buffer.append(contentsOf: date)
        let code = response.status.code
        let bodyAllowed = code >= 200 && code != 204 && code != 304
        if bodyAllowed {
            buffer.append(contentsOf: "\r\ncontent-length: ".utf8)
            appendDecimal(response.body.count, to: &buffer)
        }
        if !keepAlive {
            buffer.append(contentsOf: "\r\nconnection: close".utf8)
        } else if version == .http1_0 {
            buffer.append(contentsOf: "\r\nconnection: keep-alive".utf8)
        }
        buffer.append(contentsOf: "\r\n\r\n".utf8)
        if bodyAllowed && !headOnly { buffer.append(contentsOf: response.body) }
    }

    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(UInt8(0x30 + value))
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var n = value
        withUnsafeMutableBytes(of: &digits) { d in
            while n > 0 {
                d[19 - count] = UInt8(0x30 + n % 10)
                n /= 10
                count += 1
            }
            buffer.append(contentsOf: d[(20 - count)...])
        }
    }
}

/// The IMF-fixdate for the Date header, recomputed at most once a second.
struct DateCache {
    private var second = 0
    private(set) var bytes: [UInt8] = []

    mutating func current() -> [UInt8] {
        let now = time(nil)
        if now != second || bytes.isEmpty {
            second = now
            bytes = Array(Self.format(now).utf8)
        }
        return bytes
    }

    static func format(_ t: time_t) -> String {
        var t = t
        var tm = tm()
        gmtime_r(&t, &tm)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(tm.tm_wday)]), \(two(tm.tm_mday)) \(months[Int(tm.tm_mon)]) \(tm.tm_year + 1900) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) GMT"
    }
}
