// The SMTP client against a real aiosmtpd server on 127.0.0.1: plain, STARTTLS and implicit
// TLS, certificate checks, AUTH PLAIN and LOGIN, headers and bodies as Python's email package
// decodes them, dot-stuffing, and each failure naming its step.

import Foundation
import Mail
import TestSupport
import Testing

@Suite(.enabled(if: SMTPSink.unavailableReason == nil, "python3 with aiosmtpd is needed (pip install aiosmtpd)"))
struct SMTPClientTests {
    let message = EmailMessage(
        to: "alice@example.com", subject: "Hello Alice", html: "<p>Hello <b>Alice</b></p>", text: "Hello Alice")

    @Test func plainDeliveryArrivesWithItsHeadersAndBodies() async throws {
        let sink = try SMTPSink()
        try await SMTPClient(settings: sink.settings()).send(message)
        let received = try #require(try sink.messages().first)
        #expect(received.mailFrom == "info@example.com")
        #expect(received.rcptTos == ["alice@example.com"])
        #expect(!received.tls)
        #expect(received.login == nil)
        #expect(received.headers["From"] == "Full Stack FastAPI Project <info@example.com>")
        #expect(received.headers["To"] == "alice@example.com")
        #expect(received.headers["Subject"] == "Hello Alice")
        #expect(received.headers["MIME-Version"] == "1.0")
        #expect(received.headers["Date"]?.hasSuffix(" +0000") == true)
        #expect(received.headers["Message-ID"]?.hasSuffix("@example.com>") == true)
        #expect(received.contentType == "multipart/alternative")
        #expect(received.transferEncodings == ["quoted-printable", "quoted-printable"])
        #expect(received.parts["text/plain"] == "Hello Alice")
        #expect(received.parts["text/html"] == "<p>Hello <b>Alice</b></p>")
    }

    @Test func linesStartingWithADotSurviveDotStuffing() async throws {
        let sink = try SMTPSink()
        let text = ".starts with a dot\nmiddle\n..two dots\n.\nlast line"
        try await SMTPClient(settings: sink.settings()).send(
            EmailMessage(to: "alice@example.com", subject: "Dots", html: ".<p>\n.</p>", text: text))
        let received = try #require(try sink.messages().first)
        #expect(received.parts["text/plain"].map(unixLines) == text)
        #expect(received.parts["text/html"].map(unixLines) == ".<p>\n.</p>")
    }

    @Test func nonASCIISubjectSenderAndBodyAreEncodedAndDecoded() async throws {
        let sink = try SMTPSink()
        var settings = try sink.settings()
        settings.fromName = "Équipe «Projet» ✓"
        let subject = "Réinitialisation du mot de passe pour jürgen@example.com — une très longue ligne ✓"
        let body = "Grüße, 日本語 and a long line " + String(repeating: "é=", count: 60) + " end "
        try await SMTPClient(settings: settings).send(
            EmailMessage(to: "alice@example.com", subject: subject, html: "<p>\(body)</p>", text: body))
        let received = try #require(try sink.messages().first)
        #expect(received.headers["Subject"] == subject)
        #expect(received.headers["From"] == "Équipe «Projet» ✓ <info@example.com>")
        #expect(received.parts["text/plain"] == body)
        #expect(received.raw.contains("Subject: =?utf-8?B?"))
        #expect(received.raw.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(received.raw.utf8.allSatisfy { $0 < 128 })
    }

    @Test func startTLSWithTheCertificateTrustedAndItsNameChecked() async throws {
        let sink = try SMTPSink(.starttls)
        let settings = try sink.settings(host: "localhost", security: .startTLS, trustTestCertificate: true)
        try await SMTPClient(settings: settings).send(message)
        let received = try #require(try sink.messages().first)
        #expect(received.tls)
        #expect(received.parts["text/plain"] == "Hello Alice")
    }

    @Test func aSelfSignedCertificateIsRefusedByDefault() async throws {
        let sink = try SMTPSink(.starttls)
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(settings: sink.settings(security: .startTLS)).send(message)
        }
        #expect(error?.step == .tlsHandshake)
        #expect(error?.detail.contains("certificate verification failed") == true)
        #expect(try sink.messages().isEmpty)
    }

    @Test func implicitTLSWithVerificationTurnedOff() async throws {
        let sink = try SMTPSink(.ssl)
        try await SMTPClient(settings: sink.settings(security: .implicitTLS, verifyCertificates: false)).send(message)
        let received = try #require(try sink.messages().first)
        #expect(received.tls)
        #expect(received.headers["Subject"] == "Hello Alice")
    }

    @Test func authPlainAfterStartTLS() async throws {
        let sink = try SMTPSink(.starttls, ["--login", "mailer@example.com:s3cret pass"])
        let settings = try sink.settings(
            security: .startTLS, trustTestCertificate: true, user: "mailer@example.com", password: "s3cret pass")
        try await SMTPClient(settings: settings).send(message)
        #expect(try sink.messages().first?.login == "PLAIN mailer@example.com")
    }

    @Test func authLoginOverImplicitTLSWhenPlainIsNotOffered() async throws {
        let sink = try SMTPSink(.ssl, ["--login", "mailer:pw", "--exclude-auth", "PLAIN"])
        let settings = try sink.settings(
            security: .implicitTLS, trustTestCertificate: true, user: "mailer", password: "pw")
        try await SMTPClient(settings: settings).send(message)
        let received = try #require(try sink.messages().first)
        #expect(received.login == "LOGIN mailer")
        #expect(received.tls)
    }

    @Test func authOnAPlainConnectionWhenTheServerOffersIt() async throws {
        let sink = try SMTPSink(.plain, ["--login", "mailer:pw", "--auth-on-plain"])
        try await SMTPClient(settings: sink.settings(user: "mailer", password: "pw")).send(message)
        #expect(try sink.messages().first?.login == "PLAIN mailer")
    }

    @Test func aWrongPasswordFailsAtAUTHWithTheServersReply() async throws {
        let sink = try SMTPSink(.starttls, ["--login", "mailer:pw"])
        let settings = try sink.settings(
            security: .startTLS, trustTestCertificate: true, user: "mailer", password: "wrong")
        let error = await #expect(throws: SMTPError.self) { try await SMTPClient(settings: settings).send(message) }
        #expect(error?.step == .authentication)
        #expect(error?.replyCode == 535)
        #expect(error?.description.hasPrefix("SMTP AUTH failed: the server replied 535") == true)
    }

    @Test func credentialsAreNotSentWhenTheServerOffersNoAUTH() async throws {
        let sink = try SMTPSink(.plain, ["--login", "mailer:pw"])
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(settings: sink.settings(user: "mailer", password: "pw")).send(message)
        }
        #expect(error?.step == .authentication)
        #expect(error?.detail.contains("offers no AUTH on a plain connection") == true)
    }

    @Test func startTLSIsRequiredWhenConfigured() async throws {
        let sink = try SMTPSink(.plain)
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(settings: sink.settings(security: .startTLS, verifyCertificates: false)).send(message)
        }
        #expect(error?.step == .startTLS)
        #expect(try sink.messages().isEmpty)
    }

    @Test func aRefusedRecipientFailsAtRCPTTO() async throws {
        let sink = try SMTPSink(.plain, ["--refuse", "alice@example.com"])
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(settings: sink.settings()).send(message)
        }
        #expect(error?.step == .rcptTo)
        #expect(error?.replyCode == 550)
        #expect(error?.description.contains("RCPT TO failed") == true)
        #expect(error?.detail.contains("Recipient address rejected") == true)
        #expect(try sink.messages().isEmpty)
    }

    @Test func anAddressThatCouldInjectCommandsIsRefusedBeforeConnecting() async throws {
        let sink = try SMTPSink()
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(settings: sink.settings()).send(
                EmailMessage(to: "alice@example.com>\r\nRCPT TO:<eve@example.com", subject: "x", html: "x", text: "x"))
        }
        #expect(error?.step == .compose)
        #expect(try sink.messages().isEmpty)
    }

    @Test func anUnreachableServerFailsAtConnect() async throws {
        let port = try closedPort()
        let settings = MailSettings(
            host: "127.0.0.1", port: port, security: .plain, fromEmail: "info@example.com", fromName: nil)
        let error = await #expect(throws: SMTPError.self) { try await SMTPClient(settings: settings).send(message) }
        #expect(error?.step == .connect)
        #expect(error?.detail == "127.0.0.1:\(port): Connection refused")
    }

    @Test(.timeLimit(.minutes(1))) func aServerThatNeverGreetsTimesOut() async throws {
        let listener = try SilentListener()
        let settings = MailSettings(
            host: "127.0.0.1", port: listener.port, security: .plain, fromEmail: "info@example.com", fromName: nil,
            timeoutSeconds: 1)
        let error = await #expect(throws: SMTPError.self) { try await SMTPClient(settings: settings).send(message) }
        #expect(error?.step == .greeting)
        #expect(error?.detail == "no answer within 1 s")
    }

    @Test(.timeLimit(.minutes(1))) func aServerThatNeverAnswersTheTLSHandshakeTimesOut() async throws {
        let listener = try SilentListener()
        let settings = MailSettings(
            host: "127.0.0.1", port: listener.port, security: .implicitTLS, fromEmail: "info@example.com",
            fromName: nil, timeoutSeconds: 1)
        let error = await #expect(throws: SMTPError.self) { try await SMTPClient(settings: settings).send(message) }
        #expect(error?.step == .tlsHandshake)
        #expect(error?.detail == "with 127.0.0.1:\(listener.port): no answer within 1 s")
    }

    @Test(.timeLimit(.minutes(1))) func aServerThatAnswersByteByByteIsCutOff() async throws {
        let sink = try SMTPSink(.drip)
        var settings = try sink.settings()
        settings.timeoutSeconds = 1
        let error = await #expect(throws: SMTPError.self) { try await SMTPClient(settings: settings).send(message) }
        #expect(error?.step == .greeting)
        #expect(error?.detail == "the conversation took more than 6 s")
    }

    @Test func theMailerSendsTheThreeEmailsIntactWhenEnabled() async throws {
        let sink = try SMTPSink()
        let mailer = try Mailer(settings: sink.settings(), development: true, log: { _ in Issue.record("logged") })
        #expect(mailer.isEnabled)
        let templates = EmailTemplates(
            projectName: "Full Stack FastAPI Project", frontendHost: "https://dashboard.example.com")
        let sent = [
            templates.testEmail(to: "alice@example.com"),
            templates.passwordRecovery(to: "alice@example.com", token: "eyJhbGciOiJIUzI1NiJ9.e30.sig", validHours: 48),
            templates.newAccount(to: "bob@example.com", username: "bob@example.com", password: "Grüße & <ok>"),
        ]
        for email in sent { #expect(try await mailer.send(email) == .sent) }
        let received = try sink.messages()
        try #require(received.count == 3)
        for (email, message) in zip(sent, received) {
            #expect(message.rcptTos == [email.to])
            #expect(message.headers["Subject"] == email.subject)
            #expect(message.parts["text/html"].map(unixLines) == email.html)
            #expect(message.parts["text/plain"].map(unixLines) == email.text)
        }
    }
}

private func unixLines(_ text: String) -> String { text.replacingOccurrences(of: "\r\n", with: "\n") }
