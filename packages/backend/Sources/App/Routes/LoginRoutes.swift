// /login/access-token, /login/test-token and the password recovery routes.

import FoundationEssentials
import Mail
import Security
import Storage
import TextFormats
import Web

extension AppServices {
    func registerLoginRoutes(on api: RouteGroup) {
        let login = api.group("", tags: ["login"])

        login.post(
            "/login/access-token", name: "login_access_token",
            description: "OAuth2 compatible token login, get an access token for future requests",
            Form(LoginForm.self), Depends(ClientHost.self)
        ) { form, client in
            let user = try await self.loginThrottle.attempt(address: client.host, account: form.username) {
                try await self.authenticate(email: form.username, password: form.password)
            }
            guard let user else { throw HTTPError(.badRequest, detail: "Incorrect email or password") }
            guard user.isActive else { throw HTTPError(.badRequest, detail: "Inactive user") }
            let lifetime = Int64(self.settings.accessTokenExpireMinutes) * 60
            return Token(
                accessToken: self.tokens.accessToken(subject: user.id.lowercaseText, lifetimeSeconds: lifetime),
                tokenType: "bearer")
        }

        login.post("/login/test-token", name: "test_token", description: "Test access token", self.currentUser) {
            UserPublic($0.user)
        }

        login.post(
            "/password-recovery/{email}", name: "recover_password", description: "Password Recovery",
            Path<String>("email")
        ) { email in
            // The same answer, as fast, whether or not the address is registered (no account
            // enumeration): the look-up and the e-mail come after it.
            self.background.run("password recovery e-mail") {
                guard let user = try await self.users.find(email: email) else { return }
                try await self.mailer.send(self.recoveryEmail(for: user))
            }
            return Message("If that email is registered, we sent a password recovery link")
        }

        login.post("/reset-password/", name: "reset_password", description: "Reset password", Body(NewPassword.self)) {
            body in
            guard let claims = try? self.tokens.decode(body.token), let email = claims.sub,
                let user = try await self.users.find(email: email)
            else { throw HTTPError(.badRequest, detail: "Invalid token") }
            guard user.isActive else { throw HTTPError(.badRequest, detail: "Inactive user") }
            _ = try await self.users.updatePasswordHash(id: user.id, to: try await self.hasher.hash(body.newPassword))
            return Message("Password updated successfully")
        }

        login.post(
            "/password-recovery-html-content/{email}", name: "recover_password_html_content",
            description: "HTML Content for Password Recovery", self.currentSuperuser, Path<String>("email")
        ) { _, email in
            guard let user = try await self.users.find(email: email) else {
                throw HTTPError(.notFound, detail: "The user with this username does not exist in the system.")
            }
            let message = self.recoveryEmail(for: user)
            return HTMLPage(message.html, headers: ["subject": message.subject])
        }
    }

    /// The user with this e-mail and password; nil when there is none. Unknown e-mails cost a
    /// dummy verification, so timing does not tell them apart; an outdated hash is upgraded to
    /// argon2id.
    private func authenticate(email: String, password: String) async throws -> User? {
        guard let user = try await users.find(email: email) else {
            try await hasher.verifyDummy(password)
            return nil
        }
        let verification = try await hasher.verifyAndUpdate(password, against: user.hashedPassword)
        guard verification.isValid else { return nil }
        if let upgraded = verification.updatedHash {
            return try await users.updatePasswordHash(id: user.id, to: upgraded) ?? user
        }
        return user
    }

    private func recoveryEmail(for user: User) -> EmailMessage {
        let lifetime = Int64(settings.emailResetTokenExpireHours) * 3600
        let token = tokens.passwordResetToken(email: user.email, lifetimeSeconds: lifetime)
        return emails.passwordRecovery(to: user.email, token: token, validHours: settings.emailResetTokenExpireHours)
    }
}
