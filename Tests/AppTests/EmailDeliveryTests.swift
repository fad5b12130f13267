// The app's e-mails through a real SMTP server, the aiosmtpd sink (CONTRACT A.2 rows 3, 4, 7,
// 16; A.4): password recovery from the request to a new password through the link in the mail,
// the new-account mail when a superuser creates a user, and the superuser's test e-mail.

import Foundation
import TestSupport
import Testing

@Suite(.enabled(if: SMTPSink.unavailableReason == nil, "python3 with aiosmtpd is needed (pip install aiosmtpd)"))
struct EmailDeliveryTests {
    static let frontend = "https://dashboard.example.com"

    /// The template's SMTP variables pointing at `sink`, outside development (no log fallback).
    func environment(_ sink: SMTPSink) -> [String: String] {
        [
            "SMTP_HOST": "127.0.0.1", "SMTP_PORT": String(sink.port), "SMTP_TLS": "false",
            "EMAILS_FROM_EMAIL": "info@example.com", "FASTAPI_ENV": "", "FRONTEND_HOST": Self.frontend,
        ]
    }

    /// The token of the reset link in a recovery mail's body.
    func resetToken(in body: String) -> String? {
        guard let link = body.range(of: "\(Self.frontend)/reset-password?token=") else { return nil }
        let token = body[link.upperBound...].prefix { $0.isLetter || $0.isNumber || "-_.".contains($0) }
        return token.isEmpty ? nil : String(token)
    }

    @Test func passwordRecoveryThroughTheMailedLink() async throws {
        let sink = try SMTPSink()
        try await AppServer.with(environment: environment(sink)) { app in
            let user = try await app.newUser()
            for email in ["nobody@example.com", user.email] {
                let reply = try await app.call(.post, "/api/v1/password-recovery/\(email)")
                #expect(reply.status == 200)
                #expect(reply.object["message"] as? String == AuthorizationMatrix.recoveryMessage)
            }
            // Sent after the answer: wait for it (no mail goes to the unknown address, ever).
            var mails = try sink.messages()
            for _ in 0..<300 where mails.isEmpty {
                try await Task.sleep(for: .milliseconds(100))
                mails = try sink.messages()
            }
            try #require(mails.count == 1, "one mail, to the registered address only")
            let mail = mails[0]
            #expect(mail.mailFrom == "info@example.com")
            #expect(mail.rcptTos == [user.email])
            #expect(mail.headers["From"] == "Test Project <info@example.com>")
            #expect(mail.headers["Subject"] == "Test Project - Password recovery for user \(user.email)")
            let token = try #require(resetToken(in: mail.parts["text/html"] ?? ""))
            #expect(resetToken(in: mail.parts["text/plain"] ?? "") == token, "the text part has the same link")

            try await app.resetPassword(of: user.email, token: token, to: "brand-new-pass-1")
            let old = try await app.call(
                .post, "/api/v1/login/access-token", form: ["username": user.email, "password": user.password])
            #expect(old.detail == "Incorrect email or password")
        }
    }

    @Test func aUserCreatedByTheSuperuserGetsTheNewAccountMail() async throws {
        let sink = try SMTPSink()
        try await AppServer.with(environment: environment(sink)) { app in
            let email = "new-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let created = try await app.call(
                .post, "/api/v1/users/", token: try await app.superuserToken(),
                json: ["email": email, "password": "initial-pass-1"])
            #expect(created.status == 200)
            _ = try await app.newUser()
            let mails = try sink.messages()
            try #require(mails.count == 1, "a sign-up sends no mail")
            #expect(mails[0].rcptTos == [email])
            #expect(mails[0].headers["Subject"] == "Test Project - New account for user \(email)")
            let html = mails[0].parts["text/html"] ?? ""
            #expect(html.contains(email))
            #expect(html.contains("initial-pass-1"), "the template mails the password")
            #expect(html.contains(Self.frontend))
        }
    }

    @Test func theSuperusersTestEmail() async throws {
        let sink = try SMTPSink(.plain, ["--refuse", "refused@example.com"])
        try await AppServer.with(environment: environment(sink)) { app in
            let token = try await app.superuserToken()
            let sent = try await app.call(.post, "/api/v1/utils/test-email/?email_to=someone@example.com", token: token)
            #expect(sent.status == 201)
            #expect(sent.object["message"] as? String == "Test email sent")
            let mail = try #require(try sink.messages().first)
            #expect(mail.rcptTos == ["someone@example.com"])
            #expect(mail.headers["Subject"] == "Test Project - Test email")
            // A server that refuses the mail is the gateway's failure (the reference answered 500).
            let refused = try await app.call(
                .post, "/api/v1/utils/test-email/?email_to=refused@example.com", token: token)
            #expect(refused.status == 502)
            #expect(refused.detail?.hasPrefix("The e-mail could not be sent: ") == true)
        }
        // Without SMTP outside development: a 400 that names the settings (the reference answered 500).
        try await AppServer.with(environment: ["FASTAPI_ENV": ""]) { app in
            let reply = try await app.call(
                .post, "/api/v1/utils/test-email/?email_to=someone@example.com", token: try await app.superuserToken())
            #expect(reply.status == 400)
            #expect(reply.detail?.contains("SMTP_HOST") == true)
            #expect(reply.detail?.contains("EMAILS_FROM_EMAIL") == true)
        }
    }
}
