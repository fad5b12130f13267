// The application's routes, answered over the HTTPServer module.

import HTTPServer

public struct BackendApp: HTTPResponder {
    public init() {}

    public func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        switch (request.method, request.path) {
        case (.get, "/api/v1/utils/health-check/"):
            return .json("true")
        default:
            return .json(#"{"detail":"Not Found"}"#, status: .notFound)
        }
    }
}

extension HTTPResponse {
    static func json(_ body: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json", body: body)
    }
}
