// Dependencies: resolved once per request even when several inputs need them, looked up from
// application services, and declared in the OpenAPI document only when they carry security.

import HTTPServer
import Synchronization
import Testing
import Web

/// Counts resolutions, standing in for a database pool.
final class ResolutionCounter: Sendable {
    let count = Atomic<Int>(0)
}

struct CountedSession: Dependency {
    let number: Int

    nonisolated(nonsending) static func resolve(_ context: RequestContext) async throws -> CountedSession {
        guard let counter = context.services[ResolutionCounter.self] else { throw Boom() }
        return CountedSession(number: counter.count.add(1, ordering: .relaxed).newValue)
    }
}

/// A dependency built on another one.
struct SessionUser: Dependency {
    let session: CountedSession

    nonisolated(nonsending) static func resolve(_ context: RequestContext) async throws -> SessionUser {
        SessionUser(session: try await context.dependency(CountedSession.self))
    }
}

/// An input of the application's own that resolves something: its `resolve` must run before extraction.
struct ResolvedGreeting: RouteInput {
    func resolve(_ context: RequestContext) async throws { _ = try await context.dependency(CountedSession.self) }

    func extract(_ context: RequestContext) throws -> String? { "hello" }

    func document(_ operation: inout OperationDocument, in registry: inout SchemaRegistry) {}
}

@Suite struct DependencyTests {
    let counter = ResolutionCounter()

    func makeApp() -> WebApplication {
        let router = Router()
        router.root.get(
            "/session/{name}", name: "read_session", Depends(CountedSession.self), Depends(SessionUser.self),
            Path<String>("name")
        ) { session, user, name in
            "\(name) \(session.number) \(user.session.number)"
        }
        var services = Services()
        services.register(counter)
        return WebApplication(router: router, services: services, openAPI: OpenAPIConfiguration(title: "T"))
    }

    @Test func resolvedOncePerRequestFromServices() async {
        let app = makeApp()
        #expect(await app.send(.get, "/session/a").text == #""a 1 1""#)
        #expect(await app.send(.get, "/session/b").text == #""b 2 2""#)
        #expect(counter.count.load(ordering: .relaxed) == 2)
    }

    @Test func anInputsOwnResolveRunsAsADependencyDoes() async {
        let router = Router()
        router.root.get("/greet", name: "greet", ResolvedGreeting(), Depends(CountedSession.self)) {
            greeting, session in
            "\(greeting) \(session.number)"
        }
        var services = Services()
        services.register(counter)
        let app = WebApplication(router: router, services: services)
        #expect(await app.send(.get, "/greet").text == #""hello 1""#)
        #expect(counter.count.load(ordering: .relaxed) == 1)
    }

    @Test func multiByteAndEncodedSegmentsBeforeAParameterKeepItsBytes() async {
        let router = Router()
        router.root.get("/caf\u{E9}/\u{1F986}/{name}", name: "duck", Path<String>("name")) { name in name }
        let app = WebApplication(router: router)
        #expect(await app.send(.get, "/caf%C3%A9/%F0%9F%A6%86/d%C3%BCck").text == #""dück""#)
        #expect(await app.send(.get, "/cafe/%F0%9F%A6%86/x").status.code == 404)
    }

    @Test func pathIsPercentDecodedBeforeMatching() async {
        let app = makeApp()
        #expect(await app.send(.get, "/session/a%40b.com").text == #""a@b.com 1 1""#)
        #expect(await app.send(.get, "/sess%69on/x").text == #""x 2 2""#)
    }

    @Test func dependenciesWithoutSecurityAddNothingToTheDocument() throws {
        guard case .object(let document)? = makeApp().openAPIDocument,
            case .object(let paths)? = document["paths"],
            case .object(let operations)? = paths["/session/{name}"],
            case .object(let operation)? = operations["get"]
        else { throw Boom() }
        #expect(operation["security"] == nil)
        #expect(operation["parameters"] != nil)
        #expect(document["components"].map { $0.serialized.contains("securitySchemes") } == false)
    }
}

@Suite struct BearerTokenTests {
    /// Starlette's split: the scheme before the first space (any case), the token all after it.
    @Test(arguments: [
        ("Bearer abc", "abc"), ("bearer abc", "abc"), ("BEARER a b", "a b"), ("Bearer  abc", " abc"),
        ("bEaReR é", "é"), ("Bearer", ""), ("Bearer ", ""),
    ])
    func theTokenFollowsTheFirstSpace(header: String, token: String) throws {
        let request = HTTPRequest(method: .get, target: "/", headers: ["Authorization": header])
        #expect(try OAuth2PasswordBearer.token(request) == token)
    }

    @Test(arguments: ["Basic abc", " Bearer abc", "Bearerabc", "Bearer\tabc", "Béarer abc", ""])
    func anythingElseIsNotAuthenticated(header: String) {
        let request = HTTPRequest(method: .get, target: "/", headers: ["Authorization": header])
        #expect(throws: HTTPError.self) { try OAuth2PasswordBearer.token(request) }
        let without = HTTPRequest(method: .get, target: "/")
        #expect(throws: HTTPError.self) { try OAuth2PasswordBearer.token(without) }
    }
}
