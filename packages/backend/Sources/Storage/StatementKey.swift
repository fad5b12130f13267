// SQL text as a key of an engine's prepared-statement cache, hashed cheaply.

#if canImport(Glibc)
    import Glibc
#endif

/// SQL text as the statement cache's key, hashed on its length and three of its words instead of
/// every byte: the cache holds a few dozen statements, and hashing all of a query's text (a few
/// hundred instructions) was paid on every statement run. Equal texts are still compared whole,
/// byte for byte (a query's text is usually the very same string, which compares at once).
package struct StatementKey: Hashable {
    package let sql: String

    package init(_ sql: String) { self.sql = sql }

    /// Bytes, not String's canonical equivalence: equal keys must hash alike.
    package static func == (a: StatementKey, b: StatementKey) -> Bool {
        var (a, b) = (a.sql, b.sql)
        return a.withUTF8 { a in
            b.withUTF8 { b in a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
            }
        }
    }

    package func hash(into hasher: inout Hasher) {
        var sql = sql
        sql.withUTF8 { bytes in
            hasher.combine(bytes.count)
            guard bytes.count >= 8, let base = bytes.baseAddress else { return hasher.combine(bytes: .init(bytes)) }
            let raw = UnsafeRawPointer(base)
            let (first, middle, last) = (0, (bytes.count - 8) / 2, bytes.count - 8)
            hasher.combine(raw.loadUnaligned(fromByteOffset: first, as: UInt64.self))
            hasher.combine(raw.loadUnaligned(fromByteOffset: middle, as: UInt64.self))
            hasher.combine(raw.loadUnaligned(fromByteOffset: last, as: UInt64.self))
        }
    }
}
