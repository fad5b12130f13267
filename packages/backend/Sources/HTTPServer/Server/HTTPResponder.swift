// The one protocol between the socket server and whatever answers requests.

public protocol HTTPResponder: Sendable {
    /// Answers one request. Runs on an event-loop thread: never block it; await instead
    /// (see `BlockingPool` for work that has to block). A thrown error becomes a 500.
    nonisolated(nonsending) func respond(to request: HTTPRequest) async throws -> HTTPResponse
}

/// A responder made from a closure.
public struct ClosureResponder: HTTPResponder {
    let body: @Sendable (HTTPRequest) async throws -> HTTPResponse

    public init(_ body: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        self.body = body
    }

    public nonisolated(nonsending) func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        try await body(request)
    }
}
