// /users: the superuser's user management, and each user's own account.

import FoundationEssentials
import Storage
import Web

extension AppServices {
    /// In the template's order: a wrong method answers 405 with the methods of the first route
    /// declared for its path (`PUT /users/me` gets `Allow: PATCH`).
    func registerUserRoutes(on api: RouteGroup) {
        let users = api.group("/users", tags: ["users"])
        let page = (Query("skip", default: 0), Query("limit", default: 100))

        users.get(
            "/", name: "read_users", description: "Retrieve users.", self.currentSuperuser, page.0, page.1
        ) { _, skip, limit in
            let result = try await self.users.list(skip: skip, limit: limit)
            return UsersPublic(data: result.data.map(UserPublic.init), count: result.count)
        }

        users.post(
            "/", name: "create_user", description: "Create new user.", self.currentSuperuser,
            Body(UserCreate.self)
        ) {
            _, body in
            guard try await self.users.find(email: body.email) == nil else {
                throw HTTPError(.badRequest, detail: "The user with this email already exists in the system.")
            }
            let user = try await self.createUser(
                NewUser(
                    email: body.email, hashedPassword: try await self.hasher.hash(body.password),
                    fullName: body.fullName,
                    isActive: body.isActive, isSuperuser: body.isSuperuser),
                duplicateDetail: "The user with this email already exists in the system.")
            if self.mailer.isEnabled {
                do {
                    try await self.mailer.send(
                        self.emails.newAccount(to: user.email, username: user.email, password: body.password))
                } catch {
                    self.logger.error("new-account e-mail to \(user.email) not sent: \(error)")
                }
            }
            return UserPublic(user)
        }

        users.patch(
            "/me", name: "update_user_me", description: "Update own user.", self.currentUser,
            Body(UserUpdateMe.self)
        ) { current, body in
            var changes = UserChanges()
            if case .value(let email) = body.email {
                changes.email = try required(email, "email")
                try await self.checkEmailIsFree(changes.email!, for: current.user.id)
            }
            if case .value(let fullName) = body.fullName { changes.fullName = .some(fullName) }
            return UserPublic(try await self.updateUser(id: current.user.id, changes) ?? current.user)
        }

        users.patch(
            "/me/password", name: "update_password_me", description: "Update own password.", self.currentUser,
            Body(UpdatePassword.self)
        ) { current, body in
            guard try await self.hasher.verify(body.currentPassword, against: current.user.hashedPassword) else {
                throw HTTPError(.badRequest, detail: "Incorrect password")
            }
            guard body.currentPassword != body.newPassword else {
                throw HTTPError(.badRequest, detail: "New password cannot be the same as the current one")
            }
            _ = try await self.users.updatePasswordHash(
                id: current.user.id, to: try await self.hasher.hash(body.newPassword))
            return Message("Password updated successfully")
        }

        users.get("/me", name: "read_user_me", description: "Get current user.", self.currentUser) {
            UserPublic($0.user)
        }

        users.delete("/me", name: "delete_user_me", description: "Delete own user.", self.currentUser) {
            current in
            guard !current.user.isSuperuser else {
                throw HTTPError(.forbidden, detail: "Super users are not allowed to delete themselves")
            }
            _ = try await self.users.delete(id: current.user.id)
            return Message("User deleted successfully")
        }

        users.post(
            "/signup", name: "register_user", description: "Create new user without the need to be logged in.",
            Body(UserRegister.self)
        ) { body in
            guard try await self.users.find(email: body.email) == nil else {
                throw HTTPError(.badRequest, detail: "The user with this email already exists in the system")
            }
            let hash = try await self.hasher.hash(body.password)
            return UserPublic(
                try await self.createUser(
                    NewUser(email: body.email, hashedPassword: hash, fullName: body.fullName),
                    duplicateDetail: "The user with this email already exists in the system"))
        }

        users.get(
            "/{user_id}", name: "read_user_by_id", description: "Get a specific user by id.", Path<UUID>("user_id"),
            self.currentUser
        ) { userID, current in
            if userID == current.user.id { return UserPublic(current.user) }
            guard current.user.isSuperuser else { throw HTTPError.notEnoughPrivileges }
            guard let user = try await self.users.find(id: userID) else { throw HTTPError.userNotFound }
            return UserPublic(user)
        }

        users.patch(
            "/{user_id}", name: "update_user", description: "Update a user.", self.currentSuperuser,
            Path<UUID>("user_id"), Body(UserUpdate.self)
        ) { _, userID, body in
            guard let user = try await self.users.find(id: userID) else {
                throw HTTPError(.notFound, detail: "The user with this id does not exist in the system")
            }
            var changes = UserChanges()
            if case .value(let email) = body.email {
                changes.email = try required(email, "email")
                try await self.checkEmailIsFree(changes.email!, for: userID)
            }
            if case .value(let isActive) = body.isActive { changes.isActive = try required(isActive, "is_active") }
            if case .value(let isSuperuser) = body.isSuperuser {
                changes.isSuperuser = try required(isSuperuser, "is_superuser")
            }
            if case .value(let fullName) = body.fullName { changes.fullName = .some(fullName) }
            if case .value(let password) = body.password {
                changes.hashedPassword = try await self.hasher.hash(try required(password, "password"))
            }
            return UserPublic(try await self.updateUser(id: userID, changes) ?? user)
        }

        users.delete(
            "/{user_id}", name: "delete_user", description: "Delete a user.", self.currentSuperuser,
            Path<UUID>("user_id")
        ) { current, userID in
            guard try await self.users.find(id: userID) != nil else { throw HTTPError.userNotFound }
            guard userID != current.user.id else {
                throw HTTPError(.forbidden, detail: "Super users are not allowed to delete themselves")
            }
            _ = try await self.users.delete(id: userID)
            return Message("User deleted successfully")
        }
    }

    /// Inserts a user; losing a race for the same e-mail is the route's 400 (`duplicateDetail`), not a 500.
    func createUser(_ user: NewUser, duplicateDetail: String) async throws -> User {
        do {
            return try await users.create(user)
        } catch StorageError.duplicate {
            throw HTTPError(.badRequest, detail: duplicateDetail)
        }
    }

    /// 409 when another user already has `email`.
    private func checkEmailIsFree(_ email: String, for userID: UUID) async throws {
        if let existing = try await users.find(email: email), existing.id != userID {
            throw HTTPError.emailTaken
        }
    }

    /// Applies `changes`; an e-mail taken by a write that came between `checkEmailIsFree` and this
    /// one is the same 409, not a 500.
    private func updateUser(id: UUID, _ changes: UserChanges) async throws -> User? {
        do {
            return try await users.update(id: id, changes)
        } catch StorageError.duplicate {
            throw HTTPError.emailTaken
        }
    }
}

extension HTTPError {
    static let emailTaken = HTTPError(.conflict, detail: "User with this email already exists")
}

/// The value of a nullable key whose column is NOT NULL: an explicit null is a 422 (the
/// reference tried to store it and answered 500).
func required<V>(_ value: V?, _ field: String) throws -> V {
    guard let value else {
        let message = V.self == Bool.self ? "Input should be a valid boolean" : "Input should be a valid string"
        throw RequestValidationError([
            ValidationIssue(
                type: V.self == Bool.self ? "bool_type" : "string_type", loc: ["body", .key(field)], msg: message,
                input: .null)
        ])
    }
    return value
}
