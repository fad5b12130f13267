// Names FastAPI derives from Python identifiers: titles and summaries ("read_items" ->
// "Read Items", Python's str.title()) and operation ids ("{tag}-{name}").

enum OpenAPINames {
    /// `name` with underscores as spaces, title-cased like Python's `str.title()`.
    static func title(_ name: String) -> String {
        var result = ""
        var previousIsLetter = false
        for character in name.replacingUnderscores {
            let isLetter = character.isLetter
            result +=
                isLetter ? (previousIsLetter ? character.lowercased() : character.uppercased()) : String(character)
            previousIsLetter = isLetter
        }
        return result
    }

    static func operationID(name: String, tags: [String]) -> String {
        tags.first.map { "\($0)-\(name)" } ?? name
    }
}

extension String {
    fileprivate var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
