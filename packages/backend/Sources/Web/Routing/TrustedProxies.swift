// Which peers are believed when they say, in `X-Forwarded-Proto`, that the client used https:
// uvicorn's `--forwarded-allow-ips` (FORWARDED_ALLOW_IPS): addresses, CIDR networks, or `*`.
// It decides the scheme of the absolute URLs the layer builds (the 307's Location).

import HTTPServer

#if canImport(Glibc)
    import Glibc
#endif

public struct TrustedProxies: Sendable {
    private let trustsEveryone: Bool
    private let networks: [IPNetwork]

    /// uvicorn's default: only a proxy on the same host.
    public static let localhost = TrustedProxies(trustsEveryone: false, networks: [IPNetwork("127.0.0.1")!])

    private init(trustsEveryone: Bool, networks: [IPNetwork]) {
        self.trustsEveryone = trustsEveryone
        self.networks = networks
    }

    /// Parses FORWARDED_ALLOW_IPS: comma-separated `*`, addresses (`127.0.0.1`, `::1`) or
    /// networks (`10.0.0.0/8`, `fd00::/8`).
    public init(_ list: String) throws(SettingsError) {
        var trustsEveryone = false
        var networks: [IPNetwork] = []
        for entry in list.split(separator: ",").map({ $0.filter { $0 != " " && $0 != "\t" } }) where !entry.isEmpty {
            if entry == "*" {
                trustsEveryone = true
            } else if let network = IPNetwork(entry) {
                networks.append(network)
            } else {
                throw SettingsError(
                    variable: "FORWARDED_ALLOW_IPS",
                    problem: "'\(entry)' is not an IP address, a network such as 10.0.0.0/8, or *")
            }
        }
        self.init(trustsEveryone: trustsEveryone, networks: networks)
    }

    /// Whether the peer at `remoteAddress` (`host:port`, IPv6 hosts in brackets) is trusted.
    public func trusts(_ remoteAddress: String) -> Bool { trusts(host: Self.host(of: remoteAddress)) }

    /// The scheme the client used: a trusted peer's `X-Forwarded-Proto` (`http` or `https`; the
    /// last one when repeated, as uvicorn reads it), else `http`.
    public func scheme(of request: HTTPRequest) -> String {
        guard let proto = request.headers.values("x-forwarded-proto").last?.lowercased(),
            proto == "https" || proto == "http", trusts(request.remoteAddress)
        else { return "http" }
        return proto
    }

    /// The client's address, as uvicorn's proxy headers middleware finds it: from a trusted peer,
    /// the last address in `X-Forwarded-For` that is not itself a trusted proxy (the first one
    /// when all are); from any other peer, the peer's own address.
    public func clientHost(of request: HTTPRequest) -> String {
        let peer = String(Self.host(of: request.remoteAddress))
        guard trusts(request.remoteAddress) else { return peer }
        let forwarded = request.headers.values("x-forwarded-for").flatMap { $0.split(separator: ",") }
            .map(\.trimmingWhitespace).filter { !$0.isEmpty }
        guard let first = forwarded.first else { return peer }
        return String(forwarded.last { !trusts(host: $0) } ?? first)
    }

    private func trusts(host: Substring) -> Bool {
        if trustsEveryone { return true }
        guard let address = IPNetwork.bytes(host) else { return false }
        return networks.contains { $0.contains(address) }
    }

    private static func host(of remoteAddress: String) -> Substring {
        if remoteAddress.hasPrefix("["), let close = remoteAddress.firstIndex(of: "]") {
            return remoteAddress[remoteAddress.index(after: remoteAddress.startIndex)..<close]
        }
        guard let colon = remoteAddress.lastIndex(of: ":") else { return remoteAddress[...] }
        return remoteAddress[..<colon]
    }
}

/// An address or a network; IPv4 is kept in its IPv4-mapped IPv6 form so that both compare alike.
private struct IPNetwork: Sendable {
    let address: [UInt8]
    let prefixLength: Int

    /// `address` or `address/prefix` (the prefix counted in the address's own family).
    init?(_ entry: String) {
        let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.bytes(parts[0]) else { return nil }
        let width = parts[0].contains(":") ? 128 : 32
        var prefixLength = width
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...width).contains(length) else { return nil }
            prefixLength = length
        }
        self.address = address
        self.prefixLength = prefixLength + 128 - width
    }

    func contains(_ other: [UInt8]) -> Bool {
        var bits = prefixLength
        for (mine, theirs) in zip(address, other) where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if mine & mask != theirs & mask { return false }
            bits -= 8
        }
        return true
    }

    /// 16 bytes for an IPv6 address or an IPv4 one (mapped into `::ffff:0:0/96`), else nil.
    static func bytes(_ text: Substring) -> [UInt8]? {
        let text = String(text)
        var bytes = [UInt8](repeating: 0, count: 16)
        if bytes.withUnsafeMutableBytes({ inet_pton(AF_INET6, text, $0.baseAddress) }) == 1 { return bytes }
        var v4 = [UInt8](repeating: 0, count: 4)
        guard v4.withUnsafeMutableBytes({ inet_pton(AF_INET, text, $0.baseAddress) }) == 1 else { return nil }
        bytes[10] = 0xFF
        bytes[11] = 0xFF
        bytes.replaceSubrange(12..<16, with: v4)
        return bytes
    }
}
