// A complete HTTP/1.x request as the parser hands it to a responder.

public struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    public var description: String { "HTTP/\(major).\(minor)" }
}

/// A value with one shared storage object: passing a request along (to the responder, into a
/// request context, through middleware) retains one reference instead of copying its seven
/// fields; a mutation copies the storage first when it is shared.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod {
        get { storage.method }
        set { uniqueStorage.method = newValue }
    }
    /// The request target as sent, e.g. `/items/?skip=0`.
    public var target: String {
        get { storage.target }
        set { uniqueStorage.setTarget(newValue) }
    }
    public var version: HTTPVersion {
        get { storage.version }
        set { uniqueStorage.version = newValue }
    }
    public var headers: HTTPHeaders {
        _read { yield storage.headers }
        _modify { yield &uniqueStorage.headers }
    }
    public var body: [UInt8] {
        _read { yield storage.body }
        _modify { yield &uniqueStorage.body }
    }
    /// The peer's address, `host:port` (IPv6 hosts in brackets), or empty when unknown.
    public var remoteAddress: String {
        get { storage.remoteAddress }
        set { uniqueStorage.remoteAddress = newValue }
    }
    /// Whether the connection stays open after the response (HTTP/1.1 default, or keep-alive).
    public var keepAlive: Bool {
        get { storage.keepAlive }
        set { uniqueStorage.keepAlive = newValue }
    }

    private var storage: Storage

    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = [:], body: [UInt8] = [], remoteAddress: String = "",
        keepAlive: Bool = true
    ) {
        storage = Storage(
            method: method, target: target, version: version, headers: headers, body: body,
            remoteAddress: remoteAddress, keepAlive: keepAlive)
    }

    /// The path part of the target, before any `?`.
    public var path: Substring { storage.target[..<storage.queryMark] }

    /// The query part of the target, after the first `?`, if any.
    public var query: Substring? {
        let target = storage.target
        let mark = storage.queryMark
        return mark == target.endIndex ? nil : target[target.utf8.index(after: mark)...]
    }

    private var uniqueStorage: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    private final class Storage: @unchecked Sendable {
        // Mutated only through `uniqueStorage`, that is, never while shared, so the request's own
        // (static) exclusivity covers these fields: they skip the run-time checks, which cost
        // more than the accesses themselves.
        @exclusivity(unchecked) var method: HTTPMethod
        @exclusivity(unchecked) private(set) var target: String
        /// Where the target's `?` is, or its end: found once, not on every `path`.
        @exclusivity(unchecked) private(set) var queryMark: String.Index
        @exclusivity(unchecked) var version: HTTPVersion
        @exclusivity(unchecked) var headers: HTTPHeaders
        @exclusivity(unchecked) var body: [UInt8]
        @exclusivity(unchecked) var remoteAddress: String
        @exclusivity(unchecked) var keepAlive: Bool

        init(
            method: HTTPMethod, target: String, version: HTTPVersion, headers: HTTPHeaders, body: [UInt8],
            remoteAddress: String, keepAlive: Bool
        ) {
            self.method = method
            self.target = target
            queryMark = Self.queryMark(in: target)
            self.version = version
            self.headers = headers
            self.body = body
            self.remoteAddress = remoteAddress
            self.keepAlive = keepAlive
        }

        func setTarget(_ newTarget: String) {
            target = newTarget
            queryMark = Self.queryMark(in: newTarget)
        }

        func copy() -> Storage {
            Storage(
                method: method, target: target, version: version, headers: headers, body: body,
                remoteAddress: remoteAddress, keepAlive: keepAlive)
        }

        /// Where the first `?` of `target` is, or its end.
        private static func queryMark(in target: String) -> String.Index {
            var bytes = target
            let offset = bytes.withUTF8 {
                UnsafeRawBufferPointer($0).firstIndex(ofByte: UInt8(ascii: "?")) ?? $0.count
            }
            return target.utf8.index(target.utf8.startIndex, offsetBy: offset)
        }
    }
}
