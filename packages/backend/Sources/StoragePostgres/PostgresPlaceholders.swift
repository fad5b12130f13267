// The portable SQL's `?` placeholders as PostgreSQL's numbered `$1, $2, ...`, leaving quoted
// strings, quoted identifiers and comments alone.

enum PostgresPlaceholders {
    /// `sql` with its placeholders numbered, and how many there are.
    static func numbered(_ sql: String) -> (sql: String, count: Int) {
        var output = ""
        var count = 0
        var quote: Character?
        var inLineComment = false
        for character in sql {
            if inLineComment {
                if character == "\n" { inLineComment = false }
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "-", output.last == "-" {
                inLineComment = true
            } else if character == "?" {
                count += 1
                output += "$\(count)"
                continue
            }
            output.append(character)
        }
        return (output, count)
    }
}
