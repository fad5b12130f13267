// CORS as Starlette's CORSMiddleware does it with one allowed origin, credentials, and every
// method and header allowed: preflights are answered here, other requests get the headers.

import HTTPServer

public struct CORSMiddleware: Middleware {
    public let allowedOrigin: String
    public let maxAge: Int

    /// Starlette's `ALL_METHODS`, what `allow_methods=["*"]` stands for.
    static let allowedMethods = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]

    public init(allowedOrigin: String, maxAge: Int = 600) {
        self.allowedOrigin = allowedOrigin
        self.maxAge = maxAge
    }

    public nonisolated(nonsending) func respond(to request: HTTPRequest, next: any HTTPResponder) async throws
        -> HTTPResponse
    {
        guard let origin = request.headers["origin"] else { return try await next.respond(to: request) }
        if request.method == .options, request.headers.contains("access-control-request-method") {
            return preflight(request, origin: origin)
        }
        var response = try await next.respond(to: request)
        response.headers.set("Access-Control-Allow-Credentials", "true")
        if origin == allowedOrigin {
            response.headers.set("Access-Control-Allow-Origin", origin)
            response.headers.addVary("Origin")
        }
        return response
    }

    /// 200 `OK`, or 400 naming what is refused: the origin, the requested method, or both.
    private func preflight(_ request: HTTPRequest, origin: String) -> HTTPResponse {
        var headers: HTTPHeaders = [
            "Vary": "Origin", "Access-Control-Allow-Methods": Self.allowedMethods.joined(separator: ", "),
            "Access-Control-Max-Age": String(maxAge), "Access-Control-Allow-Credentials": "true",
        ]
        var refused: [String] = []
        if origin == allowedOrigin {
            headers.add("Access-Control-Allow-Origin", origin)
        } else {
            refused.append("origin")
        }
        if !Self.allowedMethods.contains(request.headers["access-control-request-method"] ?? "") {
            refused.append("method")
        }
        if let requested = request.headers["access-control-request-headers"] {
            headers.add("Access-Control-Allow-Headers", requested)
        }
        var response =
            refused.isEmpty
            ? HTTPResponse.plainText(.ok, "OK")
            : HTTPResponse.plainText(.badRequest, "Disallowed CORS \(refused.joined(separator: ", "))")
        for (name, value) in headers { response.headers.add(name, value) }
        return response
    }
}

extension HTTPHeaders {
    /// Adds `token` to the `Vary` header, keeping what is there.
    mutating func addVary(_ token: String) {
        if let existing = self["vary"] {
            set("Vary", "\(existing), \(token)")
        } else {
            add("Vary", token)
        }
    }
}
