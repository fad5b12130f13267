// The row operations both repositories share, as portable SQL over `SQLConnection`: insert, find,
// partial update, delete and paged listing ordered by created_at (newest first) with a total count.

import FoundationEssentials
import TextFormats

struct Table<Model: Sendable>: Sendable {
    /// The table name, quoted (`"user"` is a reserved word in PostgreSQL).
    let name: String
    let columns: [String]
    let decode: @Sendable (SQLRow) throws -> Model
    /// SQL built once, not per call (the statement cache looks statements up by their text).
    private let columnList: String
    private let insertSQL: String
    private let deleteSQL: String
    /// By filter column ("" for none): the lookup, the count and the page queries.
    private let findSQL: [String: String]
    private let countSQL: [String: String]
    private let pageSQL: [String: String]

    init(name: String, columns: [String], decode: @escaping @Sendable (SQLRow) throws -> Model) {
        self.name = name
        self.columns = columns
        self.decode = decode
        let columnList = columns.joined(separator: ", ")
        self.columnList = columnList
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        insertSQL = "INSERT INTO \(name) (\(columnList)) VALUES (\(placeholders))"
        deleteSQL = "DELETE FROM \(name) WHERE id = ?"
        func byFilter(_ sql: (_ condition: String) -> String) -> [String: String] {
            Dictionary(uniqueKeysWithValues: ([""] + columns).map { ($0, sql($0.isEmpty ? "" : " WHERE \($0) = ?")) })
        }
        findSQL = byFilter { "SELECT \(columnList) FROM \(name)\($0)" }
        countSQL = byFilter { "SELECT count(*) AS total FROM \(name)\($0)" }
        pageSQL = byFilter {
            "SELECT \(columnList) FROM \(name)\($0) ORDER BY created_at DESC NULLS LAST, id LIMIT ? OFFSET ?"
        }
    }

    /// The query `sql` holds for filter `column`: one of the table's columns.
    private func query(_ sql: [String: String], _ column: String) throws(StorageError) -> String {
        guard let query = sql[column] else { throw .decoding("\(name) has no column '\(column)' to filter on") }
        return query
    }

    /// Inserts `row`, given as every column's value, named, in the table's column order (pairs,
    /// not a dictionary: nothing to hash on a write), and returns `row` as the caller's model: what
    /// was written is known, so nothing is read back (no RETURNING, whose rows SQLite collects in
    /// a table of their own).
    func insert(_ connection: any SQLConnection, _ values: KeyValuePairs<String, SQLValue>, as row: Model) throws
        -> Model
    {
        precondition(
            values.count == columns.count && zip(values, columns).allSatisfy { $0.key == $1 },
            "insert into \(name): give \(columns), in that order")
        try refuseNUL(values.map(\.value))
        try connection.execute(insertSQL, values.map(\.value))
        return row
    }

    func find(_ connection: any SQLConnection, _ column: String, _ value: SQLValue) throws -> Model? {
        try refuseNUL([value])
        return try first(connection, query(findSQL, column), [value])
    }

    /// Sets the given columns of row `id` and returns the updated row, or nil when there is no such row.
    func update(_ connection: any SQLConnection, id: UUID, _ changes: [(column: String, value: SQLValue)]) throws
        -> Model?
    {
        guard !changes.isEmpty else { return try find(connection, "id", .uuid(id)) }
        try refuseNUL(changes.map(\.value))
        let assignments = changes.map { "\($0.column) = ?" }.joined(separator: ", ")
        return try first(
            connection, "UPDATE \(name) SET \(assignments) WHERE id = ? RETURNING \(columnList)",
            changes.map(\.value) + [.uuid(id)])
    }

    /// Text with a NUL character is refused on every engine: PostgreSQL's text cannot hold one.
    private func refuseNUL(_ values: [SQLValue]) throws(StorageError) {
        for case .text(let text) in values where text.utf8.contains(0) { throw .nulInText }
    }

    /// True when the row existed.
    func delete(_ connection: any SQLConnection, id: UUID) throws -> Bool {
        try connection.execute(deleteSQL, [.uuid(id)]) > 0
    }

    /// Rows newest first, `skip` rows in and at most `limit` of them, with the total count.
    /// A negative skip counts as 0 and a negative limit as no limit (SQLite's LIMIT -1; CONTRACT B.2).
    func page(
        _ connection: any SQLConnection, where filter: (column: String, value: SQLValue)? = nil, skip: Int, limit: Int
    ) throws -> Page<Model> {
        let column = filter?.column ?? ""
        let filterValues = filter.map { [$0.value] } ?? []
        let count = try connection.queryFirst(query(countSQL, column), filterValues) { try $0.integer("total") }
        let window: [SQLValue] = [.integer(limit < 0 ? .max : Int64(limit)), .integer(Int64(max(0, skip)))]
        let models = try rows(connection, query(pageSQL, column), filterValues + window)
        return Page(data: models, count: Int(count ?? 0))
    }

    // `rows` and `first`, not `SQLConnection.query` and `queryFirst`: called on `any SQLConnection`,
    // those cannot be specialized for the model, and unspecialized, each row they decode looks up
    // the metadata of `[Model]` or `Model?` (about 330 instructions a row).

    /// The rows of `sql` as models.
    private func rows(_ connection: any SQLConnection, _ sql: String, _ parameters: [SQLValue]) throws -> [Model] {
        var models: [Model] = []
        try connection.forEachRow(sql, parameters) { row in
            models.append(try decode(row))
            return true
        }
        return models
    }

    /// The first row of `sql` as a model, or nil when there is none.
    private func first(_ connection: any SQLConnection, _ sql: String, _ parameters: [SQLValue]) throws -> Model? {
        var model: Model?
        try connection.forEachRow(sql, parameters) { row in
            model = try decode(row)
            return false
        }
        return model
    }
}

extension SQLValue {
    /// UUIDs are stored as lower-case hyphenated text.
    static func uuid(_ id: UUID) -> SQLValue { .text(id.lowercaseText) }
    static func bool(_ flag: Bool) -> SQLValue { .integer(flag ? 1 : 0) }
    static func optionalText(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
    static func optionalTimestamp(_ time: Timestamp?) -> SQLValue { time.map(SQLValue.timestamp) ?? .null }
}

extension SQLRow {
    /// Parsed from the column's bytes in place.
    func uuid(_ column: String) throws(StorageError) -> UUID {
        try withOptionalUTF8(column) { (text) throws(StorageError) in
            guard let text, let id = UUID(hyphenatedUTF8: text) else {
                throw .decoding("column '\(column)': \(try value(column)) is not a UUID")
            }
            return id
        }
    }

    func optionalTimestamp(_ column: String) throws(StorageError) -> Timestamp? {
        try optionalInteger(column).map(Timestamp.init(microsecondsSinceEpoch:))
    }
}
