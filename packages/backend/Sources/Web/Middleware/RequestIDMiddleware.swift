// `X-Request-ID`: the client's id when it is sane (1 to 128 letters, digits, `-`, `_`, `.`),
// else a fresh UUID; echoed on the response.

import FoundationEssentials
import HTTPServer

public struct RequestIDMiddleware: Middleware {
    public static let headerName = "X-Request-ID"

    public init() {}

    public func respond(to request: HTTPRequest, next: any HTTPResponder) async throws -> HTTPResponse {
        var request = request
        let id: String
        if let sent = request.headers[Self.headerName], Self.isSane(sent) {
            id = sent
        } else {
            id = UUID().uuidString.lowercased()
            request.headers.set(Self.headerName, id)
        }
        var response = try await next.respond(to: request)
        response.headers.set(Self.headerName, id)
        return response
    }

    static func isSane(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                    true
                default: false
                }
            }
    }
}
