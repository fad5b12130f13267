// Dependencies (FastAPI's `Depends`): request-scoped values a route declares, such as the
// current user or a database session. They are resolved once per request, before the other
// inputs are validated, and declare the security schemes they need for the OpenAPI document.
//
//     struct CurrentUser: Dependency {
//         static let securitySchemes = [SecurityScheme.oauth2PasswordBearer(tokenURL: "/api/v1/login/access-token")]
//         nonisolated(nonsending) static func resolve(_ context: RequestContext) async throws -> CurrentUser {
//             let token = try OAuth2PasswordBearer.token(context.request)
//             ...
//         }
//     }

import HTTPServer
import JSON

public protocol Dependency: Sendable {
    nonisolated(nonsending) static func resolve(_ context: RequestContext) async throws -> Self
    /// The schemes a client must satisfy, including those of the dependencies this one uses.
    static var securitySchemes: [SecurityScheme] { get }
}

extension Dependency {
    public static var securitySchemes: [SecurityScheme] { [] }
}

/// Declares a dependency type as a route input: `Depends(ClientHost.self)`.
public typealias Depends<D: Dependency> = Resolve<TypeResolver<D>>

/// What a `Dependency` type resolves with: its static `resolve` and schemes.
public struct TypeResolver<D: Dependency>: DependencyResolver {
    public init() {}

    public nonisolated(nonsending) func resolve(_ context: RequestContext) async throws -> D {
        try await D.resolve(context)
    }

    public var securitySchemes: [SecurityScheme] { D.securitySchemes }
}

/// A dependency resolved by a value that holds what it needs, such as the application's services
/// (declared with `Resolve(resolver)`). The route reaches those through the value it declares, so
/// the compiler checks that they are there.
///
///     struct CurrentUserResolver: DependencyResolver {
///         let users: UserRepository
///         nonisolated(nonsending) func resolve(_ context: RequestContext) async throws -> CurrentUser { ... }
///     }
public protocol DependencyResolver: Sendable {
    associatedtype Value: Sendable
    nonisolated(nonsending) func resolve(_ context: RequestContext) async throws -> Value
    /// The schemes a client must satisfy, including those of the dependencies this one uses.
    var securitySchemes: [SecurityScheme] { get }
}

extension DependencyResolver {
    public var securitySchemes: [SecurityScheme] { [] }
}

/// Declares the dependency a resolver gives as a route input: `services.currentUser`, a
/// `Resolve(CurrentUserResolver(...))`, stands where `Depends(CurrentUser.self)` would.
public struct Resolve<R: DependencyResolver>: RouteInput {
    let resolver: R

    public init(_ resolver: R) { self.resolver = resolver }

    /// `Depends(ClientHost.self)`.
    public init<D>(_ type: D.Type) where R == TypeResolver<D> { self.init(TypeResolver()) }

    public nonisolated(nonsending) func resolve(_ context: RequestContext) async throws {
        _ = try await context.dependency(resolver)
    }

    /// Resolved by then: `resolve` ran first.
    public func extract(_ context: RequestContext) throws -> R.Value? {
        guard let dependency = context.resolvedDependency(R.Value.self) else {
            throw UnresolvedDependency(type: R.Value.self)
        }
        return dependency
    }

    public func document(_ operation: inout OperationDocument, in registry: inout SchemaRegistry) {
        for scheme in resolver.securitySchemes { operation.addSecurity(scheme) }
    }
}

/// A dependency extracted before it was resolved: a bug in the endpoint, answered with a 500.
struct UnresolvedDependency: Error, CustomStringConvertible {
    let type: Any.Type
    var description: String { "dependency \(type) extracted before it was resolved" }
}

/// An OpenAPI security scheme (`components.securitySchemes`).
public struct SecurityScheme: Sendable {
    public let name: String
    public let definition: JSONObject

    public init(name: String, definition: JSONObject) {
        self.name = name
        self.definition = definition
    }

    /// FastAPI's `OAuth2PasswordBearer(tokenUrl=...)`.
    public static func oauth2PasswordBearer(tokenURL: String) -> SecurityScheme {
        SecurityScheme(
            name: "OAuth2PasswordBearer",
            definition: ["type": "oauth2", "flows": ["password": ["scopes": [:], "tokenUrl": .string(tokenURL)]]])
    }
}

/// The bearer token of FastAPI's `OAuth2PasswordBearer`.
public enum OAuth2PasswordBearer {
    /// The token of `Authorization: Bearer <token>`, split as Starlette splits it: the scheme is
    /// what comes before the first space (all of it without one), matched case-insensitively, and
    /// the token all that follows, possibly empty (`Bearer` alone is then an invalid token, not a
    /// missing one). Without the header or with another scheme, 401 `Not authenticated` with
    /// `WWW-Authenticate: Bearer`. Byte by byte: this runs on every authenticated request.
    public static func token(_ request: HTTPRequest) throws(HTTPError) -> String {
        guard var authorization = request.headers["authorization"],
            let token = authorization.withUTF8({ bytes -> String? in
                let raw = UnsafeRawBufferPointer(bytes)
                let space = raw.firstIndex(ofByte: UInt8(ascii: " ")) ?? raw.count
                guard UnsafeRawBufferPointer(rebasing: raw[..<space]).equalsLowercased("bearer") else { return nil }
                return space < raw.count ? String(decoding: raw[(space + 1)...], as: UTF8.self) : ""
            })
        else {
            throw HTTPError(.unauthorized, detail: "Not authenticated", headers: ["WWW-Authenticate": "Bearer"])
        }
        return token
    }
}

/// The client's address (`RequestContext.clientHost`: a trusted proxy's `X-Forwarded-For`, else
/// the peer), as Starlette's `request.client.host`.
public struct ClientHost: Dependency {
    public let host: String

    public nonisolated(nonsending) static func resolve(_ context: RequestContext) async throws -> ClientHost {
        ClientHost(host: context.clientHost)
    }
}
