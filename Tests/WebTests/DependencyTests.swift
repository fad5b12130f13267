// Dependencies: resolved once per request even when several inputs need them, given by
// resolvers that hold the application's services, and declared in the OpenAPI document only
// when they carry security.

import HTTPServer
import Synchronization
import Testing
import Web

/// Counts resolutions, standing in for a database pool.
final class ResolutionCounter: Sendable {
    let count = Atomic<Int>(0)
}

struct CountedSession: Sendable {
    let number: Int
}

/// Gives a session numbered by the counter it holds (as a route holds the application's services).
struct CountedSessions: DependencyResolver {
    let counter: ResolutionCounter

    nonisolated(nonsending) func resolve(_ context: RequestContext) async throws -> CountedSession {
        CountedSession(number: counter.count.add(1, ordering: .relaxed).newValue)
    }
}

/// A dependency built on another one.
struct SessionUser: Sendable {
    let session: CountedSession
}

struct SessionUsers: DependencyResolver {
    let sessions: CountedSessions

    nonisolated(nonsending) func resolve(_ context: RequestContext) async throws -> SessionUser {
        SessionUser(session: try await context.dependency(sessions))
    }
}

/// An input of the application's own that resolves something: its `resolve` must run before extraction.
struct ResolvedGreeting: RouteInput {
    let sessions: CountedSessions

    func resolve(_ context: RequestContext) async throws { _ = try await context.dependency(sessions) }

    func extract(_ context: RequestContext) throws -> String? { "hello" }

    func document(_ operation: inout OperationDocument, in registry: inout SchemaRegistry) {}
}

@Suite struct DependencyTests {
    let counter = ResolutionCounter()

    func makeApp() -> WebApplication {
        let router = Router()
        let sessions = CountedSessions(counter: counter)
        router.root.get(
            "/session/{name}", name: "read_session", Resolve(sessions), Resolve(SessionUsers(sessions: sessions)),
            Path<String>("name")
        ) { session, user, name in
            "\(name) \(session.number) \(user.session.number)"
        }
        return WebApplication(router: router, openAPI: OpenAPIConfiguration(title: "T"))
    }

    @Test func resolvedOncePerRequestByTheirResolvers() async {
        let app = makeApp()
        #expect(await app.send(.get, "/session/a").text == #""a 1 1""#)
        #expect(await app.send(.get, "/session/b").text == #""b 2 2""#)
        #expect(counter.count.load(ordering: .relaxed) == 2)
    }

    @Test func anInputsOwnResolveRunsAsADependencyDoes() async {
        let router = Router()
        let sessions = CountedSessions(counter: counter)
        router.root.get("/greet", name: "greet", ResolvedGreeting(sessions: sessions), Resolve(sessions)) {
            greeting, session in
            "\(greeting) \(session.number)"
        }
        let app = WebApplication(router: router)
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
