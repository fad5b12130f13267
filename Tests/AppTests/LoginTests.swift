// Login, token checks and password recovery (CONTRACT A.2 rows 1-5, A.7, B.5, E.7).

import Foundation
import Storage
import Testing

@Suite struct LoginTests {
    @Test func loginGivesABearerTokenForTheUser() async throws {
        let app = try await AppServer.shared.value
        let user = try await app.newUser()
        let me = try await app.call(.post, "/api/v1/login/test-token", token: user.token)
        #expect(me.status == 200)
        #expect(me.object["email"] as? String == user.email)
        let reply = try await app.call(
            .post, "/api/v1/login/access-token",
            form: ["username": user.email, "password": user.password, "grant_type": "password", "scope": ""])
        #expect(reply.object["token_type"] as? String == "bearer")
        // The token is a HS256 JWT with exactly exp and sub.
        let token = try #require(reply.object["access_token"] as? String)
        let parts = token.split(separator: ".")
        #expect(parts.count == 3)
        let header = try #require(base64URLJSON(parts[0]))
        #expect(header["alg"] as? String == "HS256")
        let payload = try #require(base64URLJSON(parts[1]))
        #expect(Set(payload.keys) == ["exp", "sub"])
        #expect(payload["sub"] as? String == user.id)
        let exp = try #require(payload["exp"] as? Int)
        #expect(abs(Double(exp) - Date().timeIntervalSince1970 - 11_520 * 60) < 120)
    }

    @Test func wrongPasswordsAndUnknownEmailsGetTheSameAnswer() async throws {
        let app = try await AppServer.shared.value
        let user = try await app.newUser()
        for (email, password) in [(user.email, "wrong-password"), ("nobody@example.com", user.password)] {
            let reply = try await app.call(
                .post, "/api/v1/login/access-token", form: ["username": email, "password": password])
            #expect(reply.status == 400)
            #expect(reply.detail == "Incorrect email or password")
        }
        // The e-mail is compared exactly, case included.
        let upper = try await app.call(
            .post, "/api/v1/login/access-token", form: ["username": user.email.uppercased(), "password": user.password])
        #expect(upper.status == 400)
    }

    @Test func inactiveUsersCannotLogIn() async throws {
        let app = try await AppServer.shared.value
        let user = try await app.newUser()
        let admin = try await app.superuserToken()
        #expect(
            try await app.call(.patch, "/api/v1/users/\(user.id)", token: admin, json: ["is_active": false]).status
                == 200)
        let reply = try await app.call(
            .post, "/api/v1/login/access-token", form: ["username": user.email, "password": user.password])
        #expect(reply.status == 400)
        #expect(reply.detail == "Inactive user")
    }

    @Test func loginFormValidation() async throws {
        let app = try await AppServer.shared.value
        let json = try await app.call(.post, "/api/v1/login/access-token", json: ["username": "a", "password": "b"])
        #expect(json.status == 422)
        let locations = (json.object["detail"] as? [[String: Any]] ?? []).map { $0["loc"] as? [String] ?? [] }
        #expect(locations == [["body", "username"], ["body", "password"]])
        let emptyPassword = try await app.call(
            .post, "/api/v1/login/access-token", form: ["username": "a@example.com", "password": ""])
        #expect(emptyPassword.firstIssue["type"] as? String == "missing")
        let grant = try await app.call(
            .post, "/api/v1/login/access-token",
            form: ["username": "a@example.com", "password": "x", "grant_type": "client_credentials"])
        #expect(grant.firstIssue["type"] as? String == "string_pattern_mismatch")
        #expect(grant.firstIssue["msg"] as? String == "String should match pattern '^password$'")
    }

    /// OAuth2PasswordRequestForm takes multipart bodies too (Swagger UI's "Authorize" sends
    /// urlencoded; other clients may not), and a charset in the urlencoded Content-Type.
    @Test func loginFormEncodings() async throws {
        let app = try await AppServer.shared.value
        let user = try await app.newUser(password: "secret word 1")
        let multipart = [
            "--XyZ", #"Content-Disposition: form-data; name="username""#, "", user.email,
            "--XyZ", #"Content-Disposition: form-data; name="password""#, "", "secret word 1",
            "--XyZ", #"Content-Disposition: form-data; name="file"; filename="a.txt""#, "Content-Type: text/plain",
            "", "ignored", "--XyZ--", "",
        ].joined(separator: "\r\n")
        let viaMultipart = try await app.call(
            .post, "/api/v1/login/access-token", rawBody: multipart,
            headers: ["Content-Type": #"multipart/form-data; boundary="XyZ""#])
        #expect(viaMultipart.status == 200, "\(viaMultipart.text)")
        #expect(viaMultipart.object["token_type"] as? String == "bearer")
        let encoded = "username=\(user.email.replacingOccurrences(of: "@", with: "%40"))&password=secret+word+1"
        let withCharset = try await app.call(
            .post, "/api/v1/login/access-token", rawBody: encoded,
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"])
        #expect(withCharset.status == 200, "\(withCharset.text)")
        let broken = try await app.call(
            .post, "/api/v1/login/access-token", rawBody: "--XyZ\r\nno end",
            headers: ["Content-Type": "multipart/form-data; boundary=XyZ"])
        #expect(broken.status == 400)
        #expect(broken.text == #"{"detail":"There was an error parsing the body"}"#)
    }

    @Test func aBcryptHashIsUpgradedToArgon2idAtLogin() async throws {
        let app = try await AppServer.shared.value
        let email = "legacy-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        // bcrypt.hashpw(b"correct horse", bcrypt.gensalt(rounds=4)), as releases up to 0.8 stored.
        let bcrypt = "$2b$04$GsgIdOX2gzypUngryZmQ/eG8VH.WCXpCb4m48HFwWzBtwC1DoxKiS"
        let user = try await app.services.users.create(NewUser(email: email, hashedPassword: bcrypt))
        _ = try await app.login(email, "correct horse")
        let stored = try #require(try await app.services.users.find(id: user.id))
        #expect(stored.hashedPassword.hasPrefix("$argon2id$v=19$m=65536,t=3,p=4$"))
        _ = try await app.login(email, "correct horse")
    }

    @Test func passwordRecoveryAndReset() async throws {
        let app = try await AppServer.shared.value
        let user = try await app.newUser()
        for email in [user.email, "nobody-\(UUID())@example.com"] {
            let reply = try await app.call(.post, "/api/v1/password-recovery/\(email)")
            #expect(reply.status == 200)
            #expect(
                reply.object["message"] as? String == "If that email is registered, we sent a password recovery link")
        }
        let resetToken = app.services.tokens.passwordResetToken(email: user.email, lifetimeSeconds: 3600)
        // A reset token is no access token (the reference answered 500 here).
        let asBearer = try await app.call(.get, "/api/v1/users/me", token: resetToken)
        #expect(asBearer.status == 403)
        #expect(asBearer.detail == "Could not validate credentials")
        // An access token is no reset token.
        let withAccessToken = try await app.call(
            .post, "/api/v1/reset-password/", json: ["token": user.token, "new_password": "new-password-1"])
        #expect(withAccessToken.status == 400)
        #expect(withAccessToken.detail == "Invalid token")
        let short = try await app.call(
            .post, "/api/v1/reset-password/", json: ["token": resetToken, "new_password": "short"])
        #expect(short.status == 422)
        try await app.resetPassword(of: user.email, token: resetToken, to: "new-password-1")
        let garbage = try await app.call(
            .post, "/api/v1/reset-password/", json: ["token": "x.y.z", "new_password": "whatever1"])
        #expect(garbage.detail == "Invalid token")
    }

    @Test func recoveryEmailContentForSuperusers() async throws {
        let app = try await AppServer.shared.value
        let user = try await app.newUser()
        let admin = try await app.superuserToken()
        let html = try await app.call(.post, "/api/v1/password-recovery-html-content/\(user.email)", token: admin)
        #expect(html.status == 200)
        #expect(html.headers["content-type"] == "text/html; charset=utf-8")
        #expect(html.headers["subject"] == "Test Project - Password recovery for user \(user.email)")
        #expect(html.text.contains("http://localhost:5173/reset-password?token="))
        let missing = try await app.call(
            .post, "/api/v1/password-recovery-html-content/nobody@example.com", token: admin)
        #expect(missing.status == 404)
        #expect(missing.detail == "The user with this username does not exist in the system.")
        let normal = try await app.call(
            .post, "/api/v1/password-recovery-html-content/\(user.email)", token: user.token)
        #expect(normal.status == 403)
    }
}

/// The JSON object in one base64url part of a JWT.
func base64URLJSON(_ part: Substring) -> [String: Any]? {
    var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while text.count % 4 != 0 { text += "=" }
    guard let data = Data(base64Encoded: text) else { return nil }
    return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
}
