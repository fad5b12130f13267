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
            return UserPublic(
                try await self.accounts.create(
                    email: body.email, password: body.password, fullName: body.fullName,
                    takenDetail: "The user with this email already exists in the system"))
        }
    }
}

/// The columns hold at most 255 characters, which the reference's model does not check (its
/// PostgreSQL answered 500): a longer value gets Pydantic's 422 for a `max_length`.
private func checkColumnLengths(_ body: PrivateUserCreate) throws {
    let issues = ValidationIssues()
    for (field, value) in [("email", body.email), ("full_name", body.fullName)] {
        _ = [Constraint.maxLength(255)].check(
            value, at: FieldLocation(LocationElement.body, .key(field)), issues: issues)
    }
    guard issues.isEmpty else { throw RequestValidationError(issues.all) }
}
