// The peers' three endpoints on the HTTPServer module alone: a switch on the path, fixed bodies.

import HTTPServer

struct BareResponder: HTTPResponder {
    func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        switch request.path {
        case "/plaintext":
            return HTTPResponse(contentType: "text/plain", body: "Hello, World!")
        case "/json":
            return HTTPResponse(contentType: "application/json", body: #"{"message":"Hello, World!"}"#)
        case "/api/v1/utils/health-check/":
            return HTTPResponse(contentType: "application/json", body: "true")
        default:
            return HTTPResponse(status: .notFound, contentType: "application/json", body: #"{"detail":"Not Found"}"#)
        }
    }
}
