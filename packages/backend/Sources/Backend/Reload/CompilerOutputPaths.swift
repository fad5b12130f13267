// Compiler output with the host's paths: in the development container the package is mounted at
// /src, so the compiler names /src/packages/...; with RELOAD_SOURCE_PATH_ON_HOST (the repository's
// path on the host) those paths are shown as the host's, which an editor or terminal can open.

struct CompilerOutputPaths: Equatable {
    /// The package root as the compiler sees it (the supervisor's working folder, e.g. /src).
    let packageRoot: String
    /// The same folder on the host.
    let hostRoot: String

    /// Nil (nothing to rewrite) when either is empty or the filesystem root, or they are the same.
    init?(packageRoot: String, hostRoot: String) {
        let package = Self.withoutTrailingSlashes(packageRoot)
        let host = Self.withoutTrailingSlashes(hostRoot)
        guard !package.isEmpty, !host.isEmpty, package != host else { return nil }
        self.packageRoot = package
        self.hostRoot = host
    }

    /// `text` with every path that starts with the package root starting with the host's instead.
    /// A match inside a longer path (`/build/src/...` for `/src`) is left alone.
    func rewrite(_ text: String) -> String {
        let prefix = packageRoot + "/"
        var result = ""
        var rest = text[...]
        while let match = rest.firstRange(of: prefix) {
            result += rest[..<match.lowerBound]
            let startsAPath =
                match.lowerBound == text.startIndex || !Self.isPathCharacter(text[text.index(before: match.lowerBound)])
            result += startsAPath ? hostRoot + "/" : rest[match]
            rest = rest[match.upperBound...]
        }
        return result + rest
    }

    private static func isPathCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || "/._-~+@".contains(character)
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        String(path.reversed().drop { $0 == "/" }.reversed())
    }
}
