// The bearer-token dependencies, checked in the template's order (CONTRACT A.2): no token
// 401, bad token 403, unknown user 404, inactive user 400, and for superuser routes 403.

import FoundationEssentials
import Storage
import TextFormats
import Web

/// The active user the request's access token names (FastAPI's `CurrentUser`).
public struct CurrentUser: Dependency {
    public let user: User

    public static let securitySchemes = [SecurityScheme.oauth2PasswordBearer(tokenURL: "/api/v1/login/access-token")]

    public nonisolated(nonsending) static func resolve(_ context: RequestContext) async throws -> CurrentUser {
        let token = try OAuth2PasswordBearer.token(context.request)
        let services = try context.appServices
        guard let claims = try? services.tokens.decode(token) else { throw HTTPError.invalidCredentials }
        guard let subject = claims.sub else { throw HTTPError.userNotFound }
        // A password-reset token (whose subject is an e-mail) is no access token.
        guard let id = UUID(hyphenatedText: subject) else { throw HTTPError.invalidCredentials }
        guard let user = try await services.users.find(id: id) else { throw HTTPError.userNotFound }
        guard user.isActive else { throw HTTPError(.badRequest, detail: "Inactive user") }
        return CurrentUser(user: user)
    }
}

/// The current user, who must be a superuser (`get_current_active_superuser`).
public struct CurrentSuperuser: Dependency {
    public let user: User

    public static var securitySchemes: [SecurityScheme] { CurrentUser.securitySchemes }

    public nonisolated(nonsending) static func resolve(_ context: RequestContext) async throws -> CurrentSuperuser {
        let user = try await context.dependency(CurrentUser.self).user
        guard user.isSuperuser else { throw HTTPError.notEnoughPrivileges }
        return CurrentSuperuser(user: user)
    }
}

extension HTTPError {
    static let invalidCredentials = HTTPError(.forbidden, detail: "Could not validate credentials")
    static let userNotFound = HTTPError(.notFound, detail: "User not found")
    static let notEnoughPrivileges = HTTPError(.forbidden, detail: "The user doesn't have enough privileges")
}

extension RequestContext {
    var appServices: AppServices {
        get throws {
            guard let services = services[AppServices.self] else {
                throw HTTPError(.internalServerError, detail: "AppServices not registered")
            }
            return services
        }
    }
}
