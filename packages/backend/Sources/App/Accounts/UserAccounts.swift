// The rules about user accounts that routes share, as the template's crud.py sits under its
// routes: creating a user (a taken e-mail, found first or lost in a race, is the route's 400),
// changing one (a taken e-mail is 409), and the new account's e-mail.

import FoundationEssentials
import Logging
import Mail
import Security
import Storage
import Web

struct UserAccounts: Sendable {
    let users: UserRepository
    let hasher: PasswordHasher
    let mailer: Mailer
    let emails: EmailTemplates
    let logger: Logger

    /// A new user with `password` hashed; `takenDetail` is the route's 400 when the e-mail is
    /// taken, before the insert or by a write that came between the look-up and it.
    func create(
        email: String, password: String, fullName: String?, isActive: Bool = true, isSuperuser: Bool = false,
        takenDetail: String
    ) async throws -> User {
        guard try await users.find(email: email) == nil else { throw HTTPError(.badRequest, detail: takenDetail) }
        let hash = try await hasher.hash(password)
        do {
            return try await users.create(
                NewUser(
                    email: email, hashedPassword: hash, fullName: fullName, isActive: isActive,
                    isSuperuser: isSuperuser))
        } catch StorageError.duplicate {
            throw HTTPError(.badRequest, detail: takenDetail)
        }
    }

    /// Applies `changes` to the user `id`, nil when there is no such user; a new e-mail that
    /// another user has, found first or lost in a race, is 409.
    func update(id: UUID, _ changes: UserChanges) async throws -> User? {
        if let email = changes.email, let holder = try await users.find(email: email), holder.id != id {
            throw HTTPError.emailTaken
        }
        do {
            return try await users.update(id: id, changes)
        } catch StorageError.duplicate {
            throw HTTPError.emailTaken
        }
    }

    /// The template's new-account e-mail, when e-mail is enabled; a failure is logged, not answered.
    func sendNewAccountEmail(to user: User, password: String) async {
        guard mailer.isEnabled else { return }
        do {
            try await mailer.send(emails.newAccount(to: user.email, username: user.email, password: password))
        } catch {
            logger.error("new-account e-mail to \(user.email) not sent: \(error)")
        }
    }
}

extension HTTPError {
    static let emailTaken = HTTPError(.conflict, detail: "User with this email already exists")
}
