// The process environment merged with a `.env` file: the environment wins, and empty values
// count as unset (as pydantic-settings reads them). The one place settings come from.

#if canImport(Glibc)
    import Glibc
#endif

enum Environment {
    /// Variables from `.env` (if present) overlaid by the process environment.
    static func load(dotEnvPath: String = ".env") -> [String: String] {
        var values = parseDotEnv(readFile(dotEnvPath) ?? "")
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                values[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return values.filter { !$0.value.isEmpty }
    }

    /// `KEY=VALUE` lines; `export ` prefixes, `#` comments, and single or double quotes.
    static func parseDotEnv(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = rawLine.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7) }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: " \t")
            var value = line[line.index(after: eq)...].trimmingCharacters(in: " \t")
            if let quote = value.first, quote == "\"" || quote == "'",
                let close = value.dropFirst().firstIndex(of: quote)
            {
                value = String(value[value.index(after: value.startIndex)..<close])
            } else if let hash = value.indices.first(where: {
                value[$0] == "#" && $0 > value.startIndex && value[value.index(before: $0)] == " "
            }) {
                value = value[..<hash].trimmingCharacters(in: " \t")
            }
            values[key] = value
        }
        return values
    }

    private static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
