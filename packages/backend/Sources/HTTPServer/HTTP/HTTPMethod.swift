// HTTP request methods: the common ones as constants, any other token kept as sent.

public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")
    public static let options = HTTPMethod(rawValue: "OPTIONS")

    public var description: String { rawValue }

    /// Interns the methods clients send most, so parsing them allocates nothing.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> HTTPMethod {
        switch bytes.count {
        case 3 where bytes.equals("GET"): return .get
        case 3 where bytes.equals("PUT"): return .put
        case 4 where bytes.equals("POST"): return .post
        case 4 where bytes.equals("HEAD"): return .head
        case 5 where bytes.equals("PATCH"): return .patch
        case 6 where bytes.equals("DELETE"): return .delete
        case 7 where bytes.equals("OPTIONS"): return .options
        default: return HTTPMethod(rawValue: String(decoding: bytes, as: UTF8.self))
        }
    }
}
