// /private: a user-creation shortcut for the frontend's end-to-end tests, mounted only when
// FASTAPI_ENV=development.

import Storage
import Web

extension AppServices {
    func registerPrivateRoutes(on api: RouteGroup) {
        let privateRoutes = api.group("/private", tags: ["private"])

        privateRoutes.post(
            "/users/", name: "create_user", description: "Create a new user.", Body(PrivateUserCreate.self)
        ) {
            body in
            let hash = try await self.hasher.hash(body.password)
            return UserPublic(
                try await self.createUser(NewUser(email: body.email, hashedPassword: hash, fullName: body.fullName)))
        }
    }
}
