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
            let user = try await self.accounts.create(
                email: body.email, password: body.password, fullName: body.fullName, isActive: body.isActive,
                isSuperuser: body.isSuperuser, takenDetail: "The user with this email already exists in the system.")
            await self.accounts.sendNewAccountEmail(to: user, password: body.password)
            return UserPublic(user)
        }

        users.patch(
            "/me", name: "update_user_me", description: "Update own user.", self.currentUser,
            Body(UserUpdateMe.self)
        ) { current, body in
            var changes = UserChanges()
            if case .value(let email) = body.email { changes.email = try required(email, "email") }
            if case .value(let fullName) = body.fullName { changes.fullName = .some(fullName) }
            return UserPublic(try await self.accounts.update(id: current.user.id, changes) ?? current.user)
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
            UserPublic(
                try await self.accounts.create(
                    email: body.email, password: body.password, fullName: body.fullName,
                    takenDetail: "The user with this email already exists in the system"))
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
            if case .value(let email) = body.email { changes.email = try required(email, "email") }
            if case .value(let isActive) = body.isActive { changes.isActive = try required(isActive, "is_active") }
            if case .value(let isSuperuser) = body.isSuperuser {
                changes.isSuperuser = try required(isSuperuser, "is_superuser")
            }
            if case .value(let fullName) = body.fullName { changes.fullName = .some(fullName) }
            if case .value(let password) = body.password {
                changes.hashedPassword = try await self.hasher.hash(try required(password, "password"))
            }
            return UserPublic(try await self.accounts.update(id: userID, changes) ?? user)
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
}
