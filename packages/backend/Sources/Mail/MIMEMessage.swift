// Turns an EmailMessage into the bytes of an RFC 5322 / MIME message: a multipart/alternative
// of UTF-8 text and HTML, quoted-printable, with RFC 2047 words for non-ASCII header text.
// The output is 7-bit ASCII with CRLF line ends, so any SMTP server takes it.

import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

struct MIMEMessage {
    /// An address we refuse to put in a header or an SMTP command.
    struct InvalidAddress: Error {
        let address: String
    }

    let fromEmail: String
    let fromName: String?
    let message: EmailMessage
    let date: Date

    /// The message, ready for DATA (before dot-stuffing).
    func rendered() throws(InvalidAddress) -> String {
        let from = try Self.checkedAddress(fromEmail)
        let to = try Self.checkedAddress(message.to)
        let sender = fromName.map { "\(Self.displayName($0)) <\(from)>" } ?? from
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        let boundary = "=_\(Self.randomToken())"
        let headers = [
            "From: \(sender)",
            "To: \(to)",
            Self.folded("Subject: \(Self.headerText(message.subject))"),
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(Self.randomToken())@\(domain)>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"",
        ]
        let parts = [("text/plain", message.text), ("text/html", message.html)].map { type, body in
            "--\(boundary)\r\nContent-Type: \(type); charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n\(Self.quotedPrintable(body))\r\n"
        }
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + parts.joined() + "--\(boundary)--\r\n"
    }

    /// A plain ASCII address with an @, nothing that could break a header or a command line.
    static func checkedAddress(_ address: String) throws(InvalidAddress) -> String {
        let forbidden: Set<UInt8> = Array("<>()[],;:\\\" ".utf8).reduce(into: []) { $0.insert($1) }
        let bytes = Array(address.utf8)
        guard bytes.count <= 254, bytes.contains(UInt8(ascii: "@")),
            bytes.allSatisfy({ $0 > 32 && $0 < 127 && !forbidden.contains($0) })
        else { throw InvalidAddress(address: address) }
        return address
    }

    // MARK: - Headers

    /// A display name: a quoted string when it is printable ASCII, encoded words otherwise.
    static func displayName(_ name: String) -> String {
        guard isPrintableASCII(name) else { return encodedWords(name) }
        return "\"" + name.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }

    /// Unstructured header text: as is when it is printable ASCII, encoded words otherwise
    /// (which also keeps CR and LF out of the header).
    static func headerText(_ text: String) -> String {
        isPrintableASCII(text) ? text : encodedWords(text)
    }

    /// RFC 2047 "B" words of at most 68 characters, split between characters, folded.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 42, !chunk.isEmpty {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(encodedWord(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?utf-8?B?\(Data(bytes).base64EncodedString())?="
    }

    /// Folds a header line longer than 78 characters at spaces (lines that are already folded stay as they are).
    static func folded(_ line: String) -> String {
        guard !line.contains("\r\n"), line.utf8.count > 78 else { return line }
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty, current.utf8.count + 1 + word.utf8.count > 78 {
                lines.append(current)
                current = String(word)
            } else {
                current += current.isEmpty && lines.isEmpty ? String(word) : " " + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n ")
    }

    private static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 32 && $0 < 127 }
    }

    /// "Sun, 29 Nov 2026 05:34:17 +0000".
    static func rfc5322Date(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }

    private static func randomToken() -> String {
        UUID().uuidString.lowercased().replacing("-", with: "")
    }

    // MARK: - Body

    /// Quoted-printable (RFC 2045) of the UTF-8 text, line ends made CRLF, lines at most 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        let lines = text.replacing("\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if index > 0 { output += Array("\r\n".utf8) }
            let bytes = Array(line.utf8)
            var lineLength = 0
            for (position, byte) in bytes.enumerated() {
                let isWhitespace = byte == 32 || byte == 9
                let literal =
                    (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || (isWhitespace && position < bytes.count - 1)
                let token = literal ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                if lineLength + token.count > 75 {
                    output += Array("=\r\n".utf8)
                    lineLength = 0
                }
                output += token
                lineLength += token.count
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
