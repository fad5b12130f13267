// The application as the HTTP server sees it: the frozen routes behind the middleware chain,
// the OpenAPI document and docs pages, and FastAPI's answers for errors (HTTPError -> its
// status and detail, validation -> 422, anything else -> 500 `Internal Server Error`).
// It is an `HTTPResponder`, so tests can call `respond(to:)` in-process, without sockets.

import HTTPServer
import JSON
import Logging

public struct WebApplication: HTTPResponder {
    private let router: RouterResponder
    /// The middleware in front of the router, each calling the next; nil when there is none, so
    /// that a request then goes straight to the router (one asynchronous call fewer).
    private let chain: (any HTTPResponder)?
    private let logger: Logger?
    /// The OpenAPI document served, if any.
    public let openAPIDocument: JSONValue?

    /// - Parameters:
    ///   - middleware: outermost first.
    ///   - openAPI: serves the OpenAPI document and docs pages as configured; nil for none.
    ///   - fallback: answers what no route (nor its other trailing-slash form) matches, instead
    ///     of the 404 (e.g. a frontend's files); its own 404 is then the answer.
    ///   - trustedProxies: the peers whose `X-Forwarded-Proto` sets the scheme of a 307's Location
    ///     and whose `X-Forwarded-For` names the client (`RequestContext.clientHost`).
    ///   - exceptionHandler: the answer to an error a route throws that is neither an `HTTPError`
    ///     nor a validation error (FastAPI's exception handlers); nil leaves it a 500.
    public init(
        router: Router, middleware: [any Middleware] = [],
        openAPI: OpenAPIConfiguration? = nil, fallback: (any HTTPResponder)? = nil,
        trustedProxies: TrustedProxies = .localhost,
        exceptionHandler: (@Sendable (any Error) -> HTTPError?)? = nil, logger: Logger? = nil
    ) {
        if let openAPI {
            let document = OpenAPIGenerator.document(routes: router.routes, configuration: openAPI)
            Self.addDocsRoutes(to: router.root, document: document, configuration: openAPI)
            openAPIDocument = document
        } else {
            openAPIDocument = nil
        }
        let routerResponder = RouterResponder(
            table: RouteTable(router.routes), fallback: fallback, trustedProxies: trustedProxies,
            exceptionHandler: exceptionHandler)
        var chain: (any HTTPResponder)?
        for layer in middleware.reversed() {
            chain = MiddlewareResponder(middleware: layer, next: chain ?? routerResponder)
        }
        self.router = routerResponder
        self.chain = chain
        self.logger = logger
    }

    public nonisolated(nonsending) func respond(to request: HTTPRequest) async -> HTTPResponse {
        do {
            if let chain { return try await chain.respond(to: request) }
            return try await router.respond(to: request)
        } catch {
            logger?.error("\(request.method) \(request.path): unhandled error: \(error)")
            var response = HTTPResponse.plainText(.internalServerError, "Internal Server Error")
            response.headers.add("Connection", "close")
            return response
        }
    }

    private static func addDocsRoutes(to root: RouteGroup, document: JSONValue, configuration: OpenAPIConfiguration) {
        var writer = JSONWriter(capacity: 64 * 1024)
        writer.write(document)
        let body = writer.bytes
        root.page(configuration.openAPIURL, name: "openapi") { HTTPResponse.json(body) }
        if let docsURL = configuration.docsURL {
            let redirectURL = docsURL + "/oauth2-redirect"
            let page = DocsPages.swaggerUI(
                title: "\(configuration.title) - Swagger UI", openAPIURL: configuration.openAPIURL,
                oauth2RedirectURL: redirectURL, assets: configuration.assets)
            root.page(docsURL, name: "swagger_ui_html") { HTTPResponse.html(page) }
            root.page(redirectURL, name: "swagger_ui_redirect") { HTTPResponse.html(DocsPages.oauth2Redirect) }
        }
        if let redocURL = configuration.redocURL {
            let page = DocsPages.redoc(
                title: "\(configuration.title) - ReDoc", openAPIURL: configuration.openAPIURL,
                assets: configuration.assets)
            root.page(redocURL, name: "redoc_html") { HTTPResponse.html(page) }
        }
    }
}

/// The innermost responder: routes the request and turns `HTTPError`s and validation errors
/// into their responses (inside the middleware, as Starlette's ExceptionMiddleware is).
struct RouterResponder: HTTPResponder {
    let table: RouteTable
    let fallback: (any HTTPResponder)?
    let trustedProxies: TrustedProxies
    let exceptionHandler: (@Sendable (any Error) -> HTTPError?)?

    @inline(__always)
    nonisolated(nonsending) func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        let match = table.match(request.method, RouteTable.matchedPath(request))
        guard case .route(let route, let parameters) = match else {
            let response = table.unmatchedResponse(request, match, trustedProxies: trustedProxies)
            guard response.status == .notFound, let fallback else { return response }
            return try await fallback.respond(to: request)
        }
        let context = RequestContext(
            request: request, trustedProxies: trustedProxies,
            pathParameterNames: route.parameterNames, pathParameterValues: parameters)
        do {
            return try await route.endpoint.respond(context)
        } catch let error as HTTPError {
            return error.response
        } catch let error as RequestValidationError {
            return error.response
        } catch {
            guard let mapped = exceptionHandler?(error) else { throw error }
            return mapped.response
        }
    }
}
