// Form bodies and query strings: `application/x-www-form-urlencoded` (also the query) and the
// fields of `multipart/form-data` (file parts are skipped).

enum FormURLEncoded {
    /// `a=1&b=x+y` -> [(a, 1), (b, x y)]; blank values kept, as Starlette's parse_qsl does.
    static func parse(_ text: Substring) -> [(name: String, value: String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (
                name: PercentDecoding.decode(parts[0], plusAsSpace: true),
                value: parts.count > 1 ? PercentDecoding.decode(parts[1], plusAsSpace: true) : ""
            )
        }
    }
}

enum Multipart {
    /// The `boundary` parameter of a `multipart/form-data` Content-Type.
    static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingWhitespace.lowercased() == "boundary" else { continue }
            var value = parts[1].trimmingWhitespace
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    /// The non-file fields, or nil when the framing is broken.
    static func fields(_ body: [UInt8], boundary: String) -> [(name: String, value: String)]? {
        let delimiter = Array("--\(boundary)".utf8)
        guard var position = find(delimiter, in: body, from: 0) else { return nil }
        var fields: [(name: String, value: String)] = []
        while true {
            position += delimiter.count
            if body[position...].starts(with: "--".utf8) { return fields }
            guard body[position...].starts(with: "\r\n".utf8) else { return nil }
            position += 2
            guard let headEnd = find(Array("\r\n\r\n".utf8), in: body, from: position),
                let next = find(Array("\r\n".utf8) + delimiter, in: body, from: headEnd + 4)
            else { return nil }
            let head = String(decoding: body[position..<headEnd], as: UTF8.self)
            if let disposition = dispositionParameters(head), disposition["filename"] == nil,
                let name = disposition["name"]
            {
                fields.append((name: name, value: String(decoding: body[(headEnd + 4)..<next], as: UTF8.self)))
            }
            position = next + 2
        }
    }

    /// The parameters of the part's Content-Disposition header (`name`, `filename`).
    private static func dispositionParameters(_ head: String) -> [String: String]? {
        for line in head.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingWhitespace.lowercased() == "content-disposition" else { continue }
            var parameters: [String: String] = [:]
            for item in parts[1].split(separator: ";").dropFirst() {
                let pair = item.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                var value = pair[1].trimmingWhitespace
                if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
                parameters[pair[0].trimmingWhitespace.lowercased()] = String(value)
            }
            return parameters
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
