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
            try checkColumnLengths(body)
            let hash = try await self.hasher.hash(body.password)
            return UserPublic(
                try await self.createUser(
                    NewUser(email: body.email, hashedPassword: hash, fullName: body.fullName),
                    duplicateDetail: "The user with this email already exists in the system"))
        }
    }
}

/// The columns hold at most 255 characters, which the reference's model does not check (its
/// PostgreSQL answered 500): a longer value gets Pydantic's 422 for a `max_length`.
private func checkColumnLengths(_ body: PrivateUserCreate) throws {
    let tooLong = [("email", body.email), ("full_name", body.fullName)].filter { $0.1.unicodeScalars.count > 255 }
    guard !tooLong.isEmpty else { return }
    throw RequestValidationError(
        tooLong.map { field, value in
            ValidationIssue(
                type: "string_too_long", loc: ["body", .key(field)], msg: "String should have at most 255 characters",
                input: .string(value), ctx: ["max_length": .int(255)])
        })
}
