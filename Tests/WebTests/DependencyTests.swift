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

    static func resolve(_ context: RequestContext) async throws -> CountedSession {
        guard let counter = context.services[ResolutionCounter.self] else { throw Boom() }
        return CountedSession(number: counter.count.add(1, ordering: .relaxed).newValue)
    }
}

/// A dependency built on another one.
struct SessionUser: Dependency {
    let session: CountedSession

    static func resolve(_ context: RequestContext) async throws -> SessionUser {
        SessionUser(session: try await context.dependency(CountedSession.self))
    }
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
