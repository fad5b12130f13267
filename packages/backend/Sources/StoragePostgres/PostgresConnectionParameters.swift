// A PostgresURL as libpq's keyword/value connection parameters, with the engine's defaults for
// what the URL leaves out: a connect timeout (an unreachable host fails in seconds, not minutes)
// and the application name that `pg_stat_activity` shows.

import CLibPQ
import Storage

#if canImport(Glibc)
    import Glibc
#endif

struct PostgresConnectionParameters: Sendable {
    let keywords: [String]
    let values: [String]

    init(_ url: PostgresURL, connectTimeoutSeconds: Int = 5) {
        var pairs: [(String, String)] = []
        if let host = url.host { pairs.append(("host", host)) }
        if let port = url.port { pairs.append(("port", String(port))) }
        if let database = url.database { pairs.append(("dbname", database)) }
        if let user = url.user { pairs.append(("user", user)) }
        if let password = url.password { pairs.append(("password", password)) }
        pairs += url.parameters.map { ($0.keyword, $0.value) }
        let given = Set(pairs.map(\.0))
        if !given.contains("connect_timeout") { pairs.append(("connect_timeout", String(connectTimeoutSeconds))) }
        if !given.contains("application_name") { pairs.append(("application_name", "backend")) }
        pairs.append(("client_encoding", "UTF8"))
        keywords = pairs.map(\.0)
        values = pairs.map(\.1)
    }

    /// Calls `body` with NULL-terminated C arrays of the keywords and values.
    func withCArrays<T>(_ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T
    {
        withCStrings(keywords + [nil]) { keywords in
            withCStrings(values + [nil]) { values in
                keywords.withUnsafeBufferPointer { keywords in
                    values.withUnsafeBufferPointer { values in body(keywords.baseAddress!, values.baseAddress!) }
                }
            }
        }
    }

    /// True when a server at this address accepts connections (libpq's ping): a connection it
    /// refused was refused for good (a wrong password, an unknown database), while one that found
    /// no server, or one starting up or shutting down, may succeed later.
    func serverAcceptsConnections() -> Bool {
        withCArrays { PQpingParams($0, $1, 0) } == PQPING_OK
    }
}
