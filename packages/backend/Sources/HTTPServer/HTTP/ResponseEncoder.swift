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
        buffer.append(contentsOf: response.status.statusLine)
        for (name, value) in response.headers {
            if name.equalsIgnoringASCIICase("content-length") || name.equalsIgnoringASCIICase("transfer-encoding")
                || name.equalsIgnoringASCIICase("connection")
            {
                continue
            }
            buffer.appendFieldText(name)
            buffer.appendASCII(": ")
            buffer.appendFieldText(value)
            buffer.appendASCII("\r\n")
        }
        buffer.appendASCII("date: ")
        buffer.append(contentsOf: date)
        let code = response.status.code
        let bodyAllowed = code >= 200 && code != 204 && code != 304
        if bodyAllowed {
            buffer.appendASCII("\r\ncontent-length: ")
            appendDecimal(response.body.count, to: &buffer)
        }
        if !keepAlive {
            buffer.appendASCII("\r\nconnection: close")
        } else if version == .http1_0 {
            buffer.appendASCII("\r\nconnection: keep-alive")
        }
        buffer.appendASCII("\r\n\r\n")
        if bodyAllowed && !headOnly { buffer.append(contentsOf: response.body) }
    }

    /// Appends the server's own refusal of a request or a connection, after which it closes.
    static func encodeRefusal(_ error: HTTPParseError, date: [UInt8], into buffer: inout [UInt8]) {
        encode(error.response, headOnly: false, keepAlive: false, version: .http1_1, date: date, into: &buffer)
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

extension [UInt8] {
    /// Appends a literal's bytes with one copy.
    fileprivate mutating func appendASCII(_ literal: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends a header's name or value, its UTF-8 bytes with one copy (the generic `utf8`
    /// sequence goes byte by byte). CR, LF and NUL, which would end the header early (a value
    /// made from user data could add headers of its own), become spaces, as RFC 9110 (5.5) has
    /// recipients do.
    fileprivate mutating func appendFieldText(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            let start = count
            append(contentsOf: bytes)
            guard bytes.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else { return }
            for index in start..<count where self[index] == 0x0D || self[index] == 0x0A || self[index] == 0 {
                self[index] = 0x20
            }
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
