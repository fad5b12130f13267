// The bench peers' three endpoints on our HTTPServer module alone, so the socket server is
// compared like for like with nginx, Hummingbird and the others (see bench/README.md).

import HTTPServer

#if canImport(Glibc)
    import Glibc
#endif

struct BenchResponder: HTTPResponder {
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

signal(SIGPIPE, SIG_IGN)
var configuration = HTTPServer.Configuration()
configuration.port = getenv("PORT").flatMap { Int(String(cString: $0)) } ?? 8000
configuration.accessLog = false
let server = HTTPServer(configuration: configuration, responder: BenchResponder(), logger: Logger(level: .warning))
try server.start()
await server.waitUntilStopped()
