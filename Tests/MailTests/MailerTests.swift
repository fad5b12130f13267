// The Mailer without SMTP: development logs the message and its links, anything else reports
// that e-mail is not configured. (Sending through SMTP is in SMTPClientTests.)

import Mail
import Synchronization
import Testing

@Suite struct MailerTests {
    let unconfigured = MailSettings(host: nil, port: 587, security: .startTLS, fromEmail: nil, fromName: "P")
    let templates = EmailTemplates(projectName: "P", frontendHost: "http://localhost:5173")

    @Test func developmentWithoutSMTPLogsTheRecipientSubjectAndLinks() async throws {
        let lines = Mutex<[String]>([])
        let mailer = try Mailer(
            settings: unconfigured, development: true, log: { line in lines.withLock { $0.append(line) } })
        #expect(!mailer.isEnabled)
        let outcome = try await mailer.send(
            templates.passwordRecovery(to: "u@example.com", token: "tok", validHours: 48))
        #expect(outcome == .logged)
        let logged = lines.withLock { $0 }
        #expect(logged.count == 1)
        #expect(logged.first?.contains("to u@example.com") == true)
        #expect(logged.first?.contains("subject \"P - Password recovery for user u@example.com\"") == true)
        #expect(logged.first?.hasSuffix("links: http://localhost:5173/reset-password?token=tok") == true)
    }

    @Test func outsideDevelopmentAnUnconfiguredMailerSaysSo() async throws {
        let mailer = try Mailer(settings: unconfigured, development: false, log: { _ in Issue.record("logged") })
        await #expect(throws: MailError.notConfigured) {
            try await mailer.send(templates.testEmail(to: "a@example.com"))
        }
        #expect(MailError.notConfigured.description.contains("SMTP_HOST and EMAILS_FROM_EMAIL"))
    }

    @Test func anUnreadableCAFileIsAConfigurationError() {
        var settings = unconfigured
        settings.host = "smtp.example.com"
        settings.fromEmail = "info@example.com"
        settings.caFile = "/nonexistent/ca.pem"
        #expect(throws: SMTPError.self) { try Mailer(settings: settings, development: false, log: { _ in }) }
    }
}
