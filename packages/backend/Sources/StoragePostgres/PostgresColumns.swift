// The row of a PostgreSQL result that a statement is on, read from libpq's binary format and
// handed out in the storage classes the SQLite engine uses, so that repositories read both alike:
// booleans as the integers 0 and 1, timestamps as microseconds since the Unix epoch, UUIDs as
// lower-case hyphenated text.

import CLibPQ
import Storage

final class PostgresColumns: SQLColumnSource {
    /// The result being read and its current row; set by the connection while rows are handed out.
    var result: OpaquePointer?
    var row: Int32 = 0
    /// UUIDs formatted as text, 36 bytes per column, valid until the row moves on.
    private var uuidText = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)

    deinit { uuidText.deallocate() }

    /// Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01.
    private static let postgresEpoch: Int64 = 946_684_800_000_000

    private func bytes(_ column: Int) -> UnsafeRawBufferPointer {
        let length = Int(PQgetlength(result, row, Int32(column)))
        return UnsafeRawBufferPointer(start: PQgetvalue(result, row, Int32(column)), count: length)
    }

    private func oid(_ column: Int) -> Oid { PQftype(result, Int32(column)) }

    func type(at column: Int) -> SQLType {
        if PQgetisnull(result, row, Int32(column)) == 1 { return .null }
        switch oid(column) {
        case PostgresType.bool, PostgresType.int2, PostgresType.int4, PostgresType.int8, PostgresType.timestamp,
            PostgresType.timestamptz:
            return .integer
        case PostgresType.float4, PostgresType.float8: return .real
        case PostgresType.bytea: return .blob
        default: return .text
        }
    }

    func integer(at column: Int) -> Int64 {
        let bytes = bytes(column)
        switch oid(column) {
        case PostgresType.bool: return bytes.first == 0 ? 0 : 1
        case PostgresType.int2: return Int64(Int16(bigEndian: bytes.loadUnaligned(as: Int16.self)))
        case PostgresType.int4: return Int64(Int32(bigEndian: bytes.loadUnaligned(as: Int32.self)))
        case PostgresType.timestamp, PostgresType.timestamptz:
            return Int64(bigEndian: bytes.loadUnaligned(as: Int64.self)) + Self.postgresEpoch
        default: return Int64(bigEndian: bytes.loadUnaligned(as: Int64.self))
        }
    }

    func real(at column: Int) -> Double {
        let bytes = bytes(column)
        if oid(column) == PostgresType.float4 {
            return Double(Float(bitPattern: UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self))))
        }
        return Double(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)))
    }

    func text(at column: Int) -> UnsafeBufferPointer<UInt8> {
        let bytes = bytes(column)
        guard oid(column) == PostgresType.uuid, bytes.count == 16 else {
            return UnsafeBufferPointer(
                start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        }
        if uuidText.count < 36 * (column + 1) {
            uuidText.deallocate()
            uuidText = .allocate(capacity: 36 * Int(max(PQnfields(result), Int32(column + 1))))
        }
        let text = UnsafeMutableBufferPointer(rebasing: uuidText[(36 * column)..<(36 * column + 36)])
        var position = 0
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 {
                text[position] = UInt8(ascii: "-")
                position += 1
            }
            text[position] = Self.hexDigits[Int(byte >> 4)]
            text[position + 1] = Self.hexDigits[Int(byte & 0xF)]
            position += 2
        }
        return UnsafeBufferPointer(text)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    func blob(at column: Int) -> UnsafeRawBufferPointer { bytes(column) }
}

/// The type OIDs the engine reads in binary (pg_type.h).
enum PostgresType {
    static let bool: Oid = 16
    static let bytea: Oid = 17
    static let int8: Oid = 20
    static let int2: Oid = 21
    static let int4: Oid = 23
    static let float4: Oid = 700
    static let float8: Oid = 701
    static let timestamp: Oid = 1114
    static let timestamptz: Oid = 1184
    static let uuid: Oid = 2950
}
