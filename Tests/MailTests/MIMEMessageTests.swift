// The MIME encoder's pieces on known inputs: quoted-printable, RFC 2047 words, folding,
// display names, dates and address checks.

import FoundationEssentials
import Testing

@testable import Mail

@Suite struct MIMEMessageTests {
    @Test func quotedPrintableEscapesEqualsNonASCIIAndTrailingSpace() {
        #expect(MIMEMessage.quotedPrintable("a=b") == "a=3Db")
        #expect(MIMEMessage.quotedPrintable("café") == "caf=C3=A9")
        #expect(MIMEMessage.quotedPrintable("end \nnext\t") == "end=20\r\nnext=09")
        #expect(MIMEMessage.quotedPrintable("one\r\ntwo") == "one\r\ntwo")
    }

    @Test func quotedPrintableLinesStayWithin76Characters() {
        let encoded = MIMEMessage.quotedPrintable(
            String(repeating: "é", count: 40) + String(repeating: "x", count: 200))
        let lines = encoded.split(separator: "\r\n")
        #expect(lines.count > 3)
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix("=") })
        #expect(!encoded.contains("=C=3A9") && !encoded.contains("=\r\nC3"))
    }

    @Test func encodedWordsSplitBetweenCharactersAndStayShort() throws {
        let text = String(repeating: "日本語ü", count: 20)
        let words = MIMEMessage.encodedWords(text).components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var decoded = ""
        for word in words {
            #expect(word.utf8.count <= 68)
            #expect(word.hasPrefix("=?utf-8?B?") && word.hasSuffix("?="))
            let data = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            decoded += try #require(String(data: data, encoding: .utf8))
        }
        #expect(decoded == text)
    }

    @Test func headerTextKeepsPrintableASCIIAndEncodesLineBreaks() {
        #expect(MIMEMessage.headerText("Plain subject") == "Plain subject")
        #expect(MIMEMessage.headerText("a\r\nBcc: eve@example.com").hasPrefix("=?utf-8?B?"))
    }

    @Test func longASCIIHeadersAreFoldedAtSpaces() {
        let line = "Subject: " + Array(repeating: "word", count: 40).joined(separator: " ")
        let folded = MIMEMessage.folded(line)
        #expect(folded.components(separatedBy: "\r\n ").joined(separator: " ") == line)
        #expect(folded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func displayNamesAreQuotedOrEncoded() {
        #expect(MIMEMessage.displayName("Full Stack") == "\"Full Stack\"")
        #expect(MIMEMessage.displayName("Say \"hi\" \\o/") == "\"Say \\\"hi\\\" \\\\o/\"")
        #expect(MIMEMessage.displayName("Équipe") == "=?utf-8?B?w4lxdWlwZQ==?=")
    }

    @Test func datesAreRFC5322InUTC() {
        #expect(MIMEMessage.rfc5322Date(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(
            MIMEMessage.rfc5322Date(Date(timeIntervalSince1970: 1_795_930_457)) == "Sun, 29 Nov 2026 05:34:17 +0000")
    }

    @Test(arguments: [
        "no-at-sign", "a b@example.com", "a@example.com\r\n", "<a@example.com>", "jürgen@example.com", "",
    ])
    func addressesThatCouldBreakAHeaderAreRefused(address: String) {
        #expect(throws: MIMEMessage.InvalidAddress.self) { try MIMEMessage.checkedAddress(address) }
    }

    @Test func aRenderedMessageIsSevenBitWithCRLFLineEnds() throws {
        let message = EmailMessage(to: "bob@example.com", subject: "Grüße", html: "<p>ü</p>", text: "ü\nline")
        let rendered = try MIMEMessage(fromEmail: "info@example.com", fromName: "Ünï", message: message, date: Date())
            .rendered()
        #expect(rendered.utf8.allSatisfy { $0 < 128 })
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(rendered.contains("\r\nTo: bob@example.com\r\n"))
        #expect(rendered.contains("Content-Transfer-Encoding: quoted-printable\r\n\r\n=C3=BC\r\nline\r\n"))
    }
}
