// The SMTP conversation's pure pieces: dot-stuffing and reading EHLO capabilities.

import Testing

@testable import Mail

@Suite struct SMTPSessionTests {
    @Test func dotStuffingDoublesLeadingDotsAndEndsTheData() {
        let stuffed = SMTPSession.dotStuffed(Array(".a\r\nb.\r\n..c".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "..a\r\nb.\r\n...c\r\n.\r\n")
        #expect(String(decoding: SMTPSession.dotStuffed(Array("x\r\n".utf8)), as: UTF8.self) == "x\r\n.\r\n")
    }

    @Test func capabilitiesListKeywordsAndAuthMechanismsInEitherSpelling() {
        let reply = SMTPReply(
            code: 250, lines: ["mail.example.com hello", "SIZE 1000", "starttls", "AUTH login CRAM-MD5", "AUTH=PLAIN"])
        let capabilities = SMTPCapabilities(reply)
        #expect(capabilities.keywords == ["SIZE", "STARTTLS", "AUTH"])
        #expect(capabilities.authMechanisms == ["LOGIN", "CRAM-MD5", "PLAIN"])
    }
}
