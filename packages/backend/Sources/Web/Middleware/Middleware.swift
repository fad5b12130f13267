// The one middleware protocol (Hummingbird style): look at the request, call the next
// responder (or answer without it), adjust the response.

import HTTPServer

public protocol Middleware: Sendable {
    nonisolated(nonsending) func respond(to request: HTTPRequest, next: any HTTPResponder) async throws -> HTTPResponse
}

/// A middleware in front of the rest of the chain.
struct MiddlewareResponder: HTTPResponder {
    let middleware: any Middleware
    let next: any HTTPResponder

    nonisolated(nonsending) func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        try await middleware.respond(to: request, next: next)
    }
}
