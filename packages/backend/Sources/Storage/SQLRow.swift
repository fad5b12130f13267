// One result row with typed, named column access that fails with a clear error instead of trapping.

public struct SQLRow: Sendable {
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of `column`; throws when the row has no such column.
    public func value(_ column: String) throws(StorageError) -> SQLValue {
        guard let index = columns.firstIndex(of: column) else {
            throw .decoding("no column '\(column)' in the result (\(columns.joined(separator: ", ")))")
        }
        return values[index]
    }

    public func optionalInteger(_ column: String) throws(StorageError) -> Int64? {
        switch try value(column) {
        case .null: return nil
        case .integer(let number): return number
        case let other: throw mismatch(column, expected: "an integer", got: other)
        }
    }

    public func integer(_ column: String) throws(StorageError) -> Int64 {
        guard let number = try optionalInteger(column) else {
            throw mismatch(column, expected: "an integer", got: .null)
        }
        return number
    }

    public func optionalText(_ column: String) throws(StorageError) -> String? {
        switch try value(column) {
        case .null: return nil
        case .text(let text): return text
        case let other: throw mismatch(column, expected: "text", got: other)
        }
    }

    public func text(_ column: String) throws(StorageError) -> String {
        guard let text = try optionalText(column) else { throw mismatch(column, expected: "text", got: .null) }
        return text
    }

    /// Booleans are stored as the integers 0 and 1.
    public func bool(_ column: String) throws(StorageError) -> Bool {
        switch try integer(column) {
        case 0: return false
        case 1: return true
        case let number: throw mismatch(column, expected: "a boolean (0 or 1)", got: .integer(number))
        }
    }

    private func mismatch(_ column: String, expected: String, got value: SQLValue) -> StorageError {
        .decoding("column '\(column)': expected \(expected), got \(value)")
    }
}
