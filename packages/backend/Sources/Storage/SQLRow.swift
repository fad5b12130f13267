// The row a running statement is on, read in place: typed, named column access that fails with a
// clear error instead of trapping. Engines expose their current row as an `SQLColumnSource`.

/// The storage class of one column of the current row.
package enum SQLType: Sendable {
    case null, integer, real, text, blob
}

/// An engine's current result row, by column position. What these return is valid until the
/// statement moves on.
package protocol SQLColumnSource: AnyObject {
    func type(at column: Int) -> SQLType
    func integer(at column: Int) -> Int64
    func real(at column: Int) -> Double
    /// The column's text as UTF-8 bytes.
    func text(at column: Int) -> UnsafeBufferPointer<UInt8>
    func blob(at column: Int) -> UnsafeRawBufferPointer
}

/// A view of the current row, handed to the closure that decodes it and valid only during that call
/// (reading it afterwards throws). Nothing is copied out of the engine until a column is read.
public final class SQLRow {
    public let columns: [String]
    private let source: any SQLColumnSource
    /// True while the statement is on a row that the engine handed out.
    private(set) var isCurrent = false
    /// Where the previous lookup ended: decoders read columns in order, so this usually names the
    /// next. Not used when two columns share a name (the first one is the one looked up).
    private var nextColumn = 0
    private let hasUniqueNames: Bool

    package init(columns: [String], source: any SQLColumnSource) {
        self.columns = columns
        self.source = source
        hasUniqueNames = Set(columns).count == columns.count
    }

    /// Called by the engine when its statement is on a new row, and with false when it moves on.
    package func setCurrent(_ current: Bool) {
        isCurrent = current
        nextColumn = 0
    }

    /// Hands the row the engine's statement is on to `body`, current only during the call;
    /// returns what `body` returns (false: stop the statement).
    package func handOut(to body: (SQLRow) throws -> Bool) rethrows -> Bool {
        setCurrent(true)
        defer { setCurrent(false) }
        return try body(self)
    }

    /// The position of `column`; throws when the row has no such column or is no longer current.
    public func index(of column: String) throws(StorageError) -> Int {
        guard isCurrent else { throw .decoding("row read after its query moved on (column '\(column)')") }
        if hasUniqueNames, nextColumn < columns.count, columns[nextColumn] == column {
            nextColumn += 1
            return nextColumn - 1
        }
        guard let index = columns.firstIndex(of: column) else {
            throw .decoding("no column '\(column)' in the result (\(columns.joined(separator: ", ")))")
        }
        nextColumn = index + 1
        return index
    }

    /// Every column's value, in order.
    public var values: [SQLValue] {
        get throws(StorageError) {
            guard isCurrent else { throw .decoding("row read after its query moved on") }
            return columns.indices.map(value(at:))
        }
    }

    /// The value of `column`, copied out of the engine.
    public func value(_ column: String) throws(StorageError) -> SQLValue { value(at: try index(of: column)) }

    public func optionalInteger(_ column: String) throws(StorageError) -> Int64? {
        let index = try index(of: column)
        switch source.type(at: index) {
        case .null: return nil
        case .integer: return source.integer(at: index)
        default: throw mismatch(index, expected: "an integer")
        }
    }

    public func integer(_ column: String) throws(StorageError) -> Int64 {
        guard let number = try optionalInteger(column) else { throw mismatch(column, expected: "an integer") }
        return number
    }

    public func optionalText(_ column: String) throws(StorageError) -> String? {
        try withOptionalUTF8(column) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    public func text(_ column: String) throws(StorageError) -> String {
        guard let text = try optionalText(column) else { throw mismatch(column, expected: "text") }
        return text
    }

    /// Calls `body` with the UTF-8 bytes of a text column, or nil when it is NULL, without making a String.
    public func withOptionalUTF8<Result>(
        _ column: String, _ body: (UnsafeBufferPointer<UInt8>?) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        let index = try index(of: column)
        switch source.type(at: index) {
        case .null: return try body(nil)
        case .text: return try body(source.text(at: index))
        default: throw mismatch(index, expected: "text")
        }
    }

    /// Booleans are stored as the integers 0 and 1.
    public func bool(_ column: String) throws(StorageError) -> Bool {
        switch try integer(column) {
        case 0: return false
        case 1: return true
        default: throw mismatch(try index(of: column), expected: "a boolean (0 or 1)")
        }
    }

    private func value(at index: Int) -> SQLValue {
        switch source.type(at: index) {
        case .null: .null
        case .integer: .integer(source.integer(at: index))
        case .real: .real(source.real(at: index))
        case .text: .text(String(decoding: source.text(at: index), as: UTF8.self))
        case .blob: .blob(Array(source.blob(at: index)))
        }
    }

    private func mismatch(_ index: Int, expected: String) -> StorageError {
        .decoding("column '\(columns[index])': expected \(expected), got \(value(at: index))")
    }

    private func mismatch(_ column: String, expected: String) -> StorageError {
        .decoding("column '\(column)': expected \(expected), got \(SQLValue.null)")
    }
}
