// The bearer-token dependencies, checked in the template's order (CONTRACT A.2): no token
// 401, bad token 403, unknown user 404, inactive user 400, and for superuser routes 403. Their
// resolvers hold the services they need; routes declare them as `services.currentUser` and
// `services.currentSuperuser`.

import FoundationEssentials
import Storage
import TextFormats
import Web

/// The active user the request's access token names (FastAPI's `CurrentUser`).
public struct CurrentUser: Sendable {
    public let user: User
}

/// The current user, who must be a superuser (`get_current_active_superuser`).
public struct CurrentSuperuser: Sendable {
    public let user: User
}

struct CurrentUserResolver: DependencyResolver {
    let services: AppServices

    /// The token URL follows API_V1_STR, as the template's `tokenUrl` does.
    var securitySchemes: [SecurityScheme] {
        [.oauth2PasswordBearer(tokenURL: "\(services.settings.apiPrefix)/login/access-token")]
    }

    nonisolated(nonsending) func resolve(_ context: RequestContext) async throws -> CurrentUser {
        let token = try OAuth2PasswordBearer.token(context.request)
        guard let claims = try? services.tokens.decode(token) else { throw HTTPError.invalidCredentials }
        guard let subject = claims.sub else { throw HTTPError.userNotFound }
        // A password-reset token (whose subject is an e-mail) is no access token.
        guard let id = UUID(hyphenatedText: subject) else { throw HTTPError.invalidCredentials }
        guard let user = try await services.users.find(id: id) else { throw HTTPError.userNotFound }
        guard user.isActive else { throw HTTPError(.badRequest, detail: "Inactive user") }
        return CurrentUser(user: user)
    }
}

struct CurrentSuperuserResolver: DependencyResolver {
    let currentUser: CurrentUserResolver

    var securitySchemes: [SecurityScheme] { currentUser.securitySchemes }

    nonisolated(nonsending) func resolve(_ context: RequestContext) async throws -> CurrentSuperuser {
        let user = try await context.dependency(currentUser).user
        guard user.isSuperuser else { throw HTTPError.notEnoughPrivileges }
        return CurrentSuperuser(user: user)
    }
}

extension AppServices {
    /// The route input of the current user.
    var currentUser: Resolve<CurrentUserResolver> { Resolve(CurrentUserResolver(services: self)) }
    /// The route input of the current user, who must be a superuser.
    var currentSuperuser: Resolve<CurrentSuperuserResolver> {
        Resolve(CurrentSuperuserResolver(currentUser: CurrentUserResolver(services: self)))
    }
}

extension HTTPError {
    static let invalidCredentials = HTTPError(.forbidden, detail: "Could not validate credentials")
    static let userNotFound = HTTPError(.notFound, detail: "User not found")
    static let notEnoughPrivileges = HTTPError(.forbidden, detail: "The user doesn't have enough privileges")
}
