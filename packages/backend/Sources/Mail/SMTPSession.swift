// One SMTP conversation (RFC 5321), blocking: greeting, EHLO, STARTTLS and EHLO again, AUTH
// PLAIN or LOGIN, MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. Each failure names its step.

import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// A reply: its code and the text of each of its lines.
struct SMTPReply {
    let code: Int
    let lines: [String]

    var text: String { lines.joined(separator: " ") }
}

/// What the server offered in its EHLO reply.
struct SMTPCapabilities {
    var keywords: Set<String> = []
    var authMechanisms: Set<String> = []

    init(_ reply: SMTPReply) {
        for line in reply.lines.dropFirst() {
            let words = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
            guard let keyword = words.first else { continue }
            keywords.insert(keyword)
            if keyword == "AUTH" { authMechanisms.formUnion(words.dropFirst()) }
        }
    }
}

struct SMTPSession {
    let host: String
    let port: Int
    let security: SMTPSecurity
    let tlsContext: TLSContext?
    let user: String?
    let password: String?
    let timeoutSeconds: Int

    /// Delivers `message` (the rendered MIME text) from `sender` to `recipient`.
    func deliver(_ message: [UInt8], from sender: String, to recipient: String) throws(SMTPError) {
        let connection: SMTPConnection
        do {
            connection = try SMTPConnection(host: host, port: port, timeoutSeconds: timeoutSeconds)
        } catch {
            throw SMTPError(step: .connect, detail: "\(host):\(port): \(error.detail)")
        }
        if security == .implicitTLS { try startTLS(connection) }
        try exchange(connection, sending: nil, step: .greeting, expecting: [220])
        var capabilities = try ehlo(connection)
        if security == .startTLS {
            guard capabilities.keywords.contains("STARTTLS") else {
                throw SMTPError(
                    step: .startTLS,
                    detail: "the server does not offer STARTTLS (SMTP_TLS=false allows a plain connection)")
            }
            try exchange(connection, "STARTTLS", step: .startTLS, expecting: [220])
            try startTLS(connection)
            capabilities = try ehlo(connection)
        }
        if let user { try authenticate(connection, user: user, capabilities: capabilities) }
        try exchange(connection, "MAIL FROM:<\(sender)>", step: .mailFrom, expecting: [250])
        try exchange(connection, "RCPT TO:<\(recipient)>", step: .rcptTo, expecting: [250, 251])
        try exchange(connection, "DATA", step: .data, expecting: [354])
        try exchange(connection, sending: Self.dotStuffed(message), step: .data, expecting: [250])
        // The message is accepted: how QUIT goes changes nothing.
        try? connection.write(Array("QUIT\r\n".utf8))
        _ = try? Self.readReply(connection)
    }

    /// The message with a dot doubled at the start of each line, a final CRLF and the "." line.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + 64)
        var atLineStart = true
        for byte in message {
            if atLineStart, byte == UInt8(ascii: ".") { output.append(byte) }
            output.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !atLineStart { output += Array("\r\n".utf8) }
        return output + Array(".\r\n".utf8)
    }

    // MARK: - Steps

    private func ehlo(_ connection: SMTPConnection) throws(SMTPError) -> SMTPCapabilities {
        SMTPCapabilities(try exchange(connection, "EHLO \(Self.localName())", step: .ehlo, expecting: [250]))
    }

    private func startTLS(_ connection: SMTPConnection) throws(SMTPError) {
        guard let tlsContext else { throw SMTPError(step: .tlsHandshake, detail: "no TLS context") }
        do {
            try connection.startTLS(tlsContext)
        } catch {
            throw SMTPError(step: .tlsHandshake, detail: "with \(host):\(port): \(error.detail)")
        }
    }

    /// AUTH PLAIN when offered, else AUTH LOGIN; the server must offer one of them.
    private func authenticate(
        _ connection: SMTPConnection, user: String, capabilities: SMTPCapabilities
    ) throws(SMTPError) {
        let password = password ?? ""
        let offered = capabilities.authMechanisms
        if offered.contains("PLAIN") {
            let credentials = Self.base64("\0\(user)\0\(password)")
            try exchange(connection, "AUTH PLAIN \(credentials)", step: .authentication, expecting: [235])
        } else if offered.contains("LOGIN") {
            try exchange(connection, "AUTH LOGIN", step: .authentication, expecting: [334])
            try exchange(connection, Self.base64(user), step: .authentication, expecting: [334])
            try exchange(connection, Self.base64(password), step: .authentication, expecting: [235])
        } else {
            let detail =
                offered.isEmpty
                ? "SMTP_USER is set but the server offers no AUTH\(connection.isSecure ? "" : " on a plain connection")"
                : "the server offers AUTH \(offered.sorted().joined(separator: " ")); we support PLAIN and LOGIN"
            throw SMTPError(step: .authentication, detail: detail)
        }
    }

    // MARK: - Commands and replies

    /// Sends the command line and reads the reply, which must have one of `codes`.
    @discardableResult
    private func exchange(
        _ connection: SMTPConnection, _ command: String, step: SMTPError.Step, expecting codes: Set<Int>
    ) throws(SMTPError) -> SMTPReply {
        try exchange(connection, sending: Array("\(command)\r\n".utf8), step: step, expecting: codes)
    }

    /// Sends `bytes` (if any) and reads the reply, which must have one of `codes`.
    @discardableResult
    private func exchange(
        _ connection: SMTPConnection, sending bytes: [UInt8]?, step: SMTPError.Step, expecting codes: Set<Int>
    ) throws(SMTPError) -> SMTPReply {
        let reply: SMTPReply
        do {
            if let bytes { try connection.write(bytes) }
            reply = try Self.readReply(connection)
        } catch {
            throw SMTPError(step: step, detail: error.detail)
        }
        guard codes.contains(reply.code) else { throw SMTPError(step: step, replyCode: reply.code, detail: reply.text) }
        return reply
    }

    /// A reply of one or more lines: "250-first", ..., "250 last".
    private static func readReply(_ connection: SMTPConnection) throws(TransportError) -> SMTPReply {
        var lines: [String] = []
        while lines.count < 100 {
            let line = try connection.readLine()
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(line.prefix(3))), (200...599).contains(code),
                bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-")
            else { throw TransportError("malformed reply line '\(line.prefix(80))'") }
            lines.append(String(line.dropFirst(4)))
            if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return SMTPReply(code: code, lines: lines) }
        }
        throw TransportError("the server sent a reply of more than 100 lines")
    }

    private static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// The name we give in EHLO: this host's name.
    private static func localName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count) == 0, name[0] != 0 else { return "localhost" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
