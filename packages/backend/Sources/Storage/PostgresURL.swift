// A PostgreSQL DATABASE_URL as the FastAPI template writes it (SQLAlchemy's form) and libpq reads
// it: `postgresql://`, `postgres://` or `postgresql+psycopg://`; user and password
// percent-encoded; a host (an IPv6 address in brackets), a port, a database; libpq's connection
// parameters in the query (`sslmode`, `connect_timeout`, `application_name`, a socket directory
// as `host=/var/run/postgresql`, ...). What it prints, and every error about it, leaves the
// password out.

import TextFormats

public struct PostgresURL: Equatable, Sendable, CustomStringConvertible {
    public var user: String?
    public var password: String?
    /// A host name or address, or a socket directory (`/var/run/postgresql`); nil: libpq's default.
    public var host: String?
    public var port: Int?
    public var database: String?
    /// libpq connection parameters from the query, in their order.
    public var parameters: [Parameter]

    public struct Parameter: Equatable, Sendable {
        public var keyword: String
        public var value: String

        public init(keyword: String, value: String) {
            self.keyword = keyword
            self.value = value
        }
    }

    /// The schemes taken: SQLAlchemy's dialect with the template's drivers, and libpq's own.
    static let schemes: Set<String> = ["postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2"]

    /// The libpq keywords a query may set (the others are refused, naming the one given).
    static let keywords: Set<String> = [
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "connect_timeout", "options",
        "application_name", "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
        "keepalives_count", "tcp_user_timeout", "sslmode", "sslcompression", "sslcert", "sslkey", "sslpassword",
        "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer", "ssl_min_protocol_version",
        "ssl_max_protocol_version", "gssencmode", "krbsrvname", "gsslib", "service", "target_session_attrs",
        "channel_binding", "load_balance_hosts",
    ]

    public init(
        user: String? = nil, password: String? = nil, host: String? = nil, port: Int? = nil, database: String? = nil,
        parameters: [Parameter] = []
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.parameters = parameters
    }

    /// Parses `url`, whose scheme is one of `schemes`.
    init(parsing url: String) throws(StorageError) {
        let scheme = url.prefix { $0 != ":" }
        guard url.dropFirst(scheme.count).hasPrefix("://") else {
            throw .invalidURL("a PostgreSQL URL starts with \(scheme)://")
        }
        var rest = url.dropFirst(scheme.count + 3)
        let query = rest.firstIndex(of: "?").map { rest[rest.index(after: $0)...] }
        if let query { rest = rest[..<rest.index(before: query.startIndex)] }
        let slash = rest.firstIndex(of: "/")
        let authority = slash.map { rest[..<$0] } ?? rest
        let path = slash.map { rest[rest.index(after: $0)...] } ?? ""
        self.init(parameters: [])
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            let colon = credentials.firstIndex(of: ":")
            user = try Self.decoded(colon.map { credentials[..<$0] } ?? credentials, "the user name")
            if let colon {
                password = try Self.decoded(credentials[credentials.index(after: colon)...], "the password")
            }
            try parseHostAndPort(authority[authority.index(after: at)...])
        } else {
            try parseHostAndPort(authority)
        }
        if !path.isEmpty { database = try Self.decoded(path, "the database name") }
        for pair in query?.split(separator: "&") ?? [] {
            let equals = pair.firstIndex(of: "=")
            let keyword = try Self.decoded(equals.map { pair[..<$0] } ?? pair, "a parameter name")
            let value = try Self.decoded(equals.map { pair[pair.index(after: $0)...] } ?? "", "a parameter value")
            guard Self.keywords.contains(keyword) else {
                throw .invalidURL("'\(keyword)' is not a libpq connection parameter")
            }
            if keyword == "password" {
                password = value
            } else {
                parameters.append(Parameter(keyword: keyword, value: value))
            }
        }
    }

    private mutating func parseHostAndPort(_ text: Substring) throws(StorageError) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .invalidURL("an IPv6 host lacks its ']'") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            if after.isEmpty { return }
            guard after.hasPrefix(":") else { throw .invalidURL("only a port may follow an IPv6 host") }
            return try parsePort(after.dropFirst())
        }
        var hostText = text
        if let colon = hostText.lastIndex(of: ":") {
            try parsePort(hostText[hostText.index(after: colon)...])
            hostText = hostText[..<colon]
        }
        if !hostText.isEmpty { host = try Self.decoded(hostText, "the host") }
    }

    private mutating func parsePort(_ text: Substring) throws(StorageError) {
        guard let number = Int(text), (1...65_535).contains(number) else {
            throw .invalidURL("the port '\(text)' is not a number from 1 to 65535")
        }
        port = number
    }

    /// `text` with its %XX escapes decoded (as UTF-8); `what` names it in an error, which never
    /// shows the text itself (it may be the password).
    private static func decoded(_ text: Substring, _ what: String) throws(StorageError) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                guard first < utf8.endIndex, utf8.index(after: first) < utf8.endIndex,
                    let high = hexDigitValue(utf8[first]), let low = hexDigitValue(utf8[utf8.index(after: first)])
                else { throw .invalidURL("\(what) has a '%' that is not followed by two hex digits") }
                bytes.append(high << 4 | low)
                index = utf8.index(first, offsetBy: 2)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .invalidURL("\(what) is not UTF-8 once decoded")
        }
        return decoded
    }

    /// The URL without its password (`postgresql://app:***@db:5432/app?sslmode=require`).
    public var description: String {
        var text = "postgresql://"
        if let user { text += user + (password == nil ? "" : ":***") + "@" }
        if let host { text += host.contains(":") ? "[\(host)]" : host }
        if let port { text += ":\(port)" }
        if let database { text += "/" + database }
        if !parameters.isEmpty { text += "?" + parameters.map { "\($0.keyword)=\($0.value)" }.joined(separator: "&") }
        return text
    }
}
