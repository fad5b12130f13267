// `X-Request-ID`: the client's id when it is sane (1 to 128 letters, digits, `-`, `_`, `.`),
// else a fresh one (a random per-process prefix and a counter: unique without a syscall per
// request); echoed on the response and passed on in the request.

import HTTPServer
import Synchronization

public struct RequestIDMiddleware: Middleware {
    public static let headerName = "X-Request-ID"

    private let prefix: String
    private let counter = Counter()

    public init() {
        var generator = SystemRandomNumberGenerator()
        prefix = String(generator.next() as UInt64, radix: 16)
    }

    public nonisolated(nonsending) func respond(to request: HTTPRequest, next: any HTTPResponder) async throws
        -> HTTPResponse
    {
        var request = request
        let id: String
        if let sent = request.headers[Self.headerName], Self.isSane(sent) {
            id = sent
        } else {
            id = prefix + "-" + String(counter.next(), radix: 16)
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

    private final class Counter: Sendable {
        private let value = Atomic<UInt64>(0)

        func next() -> UInt64 { value.add(1, ordering: .relaxed).newValue }
    }
}
