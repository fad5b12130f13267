// A throw-away copy of the repository for the development-loop tests: they edit its sources
// (the health route's body) while a container serves them, and never touch the real tree.

import Foundation

struct ScratchRepository {
    /// The real repository: three levels above this file (Tests/DockerE2ETests/ScratchRepository.swift).
    static let original = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The health route's path as the App sources spell it; its body is the first `true` or
    /// `false` token after it (`.json("true")`, `{ true }`, ...).
    private static let healthMarker = "health-check"
    private static let brokenLine = "\nlet brokenOnPurpose = \n"

    let root: URL
    private let healthSource: URL

    /// Copies the repository without build products, VCS data or editor state.
    init() throws {
        let files = FileManager.default
        root = files.temporaryDirectory.appendingPathComponent("docker-e2e-repo-\(UUID().uuidString)")
        try files.createDirectory(at: root, withIntermediateDirectories: true)
        for name in try files.contentsOfDirectory(atPath: Self.original.path)
        where ![".git", ".swiftpm"].contains(name) && !name.hasPrefix(".build") {
            try files.copyItem(at: Self.original.appendingPathComponent(name), to: root.appendingPathComponent(name))
        }
        let app = root.appendingPathComponent("packages/backend/Sources/App")
        let sources = try files.subpathsOfDirectory(atPath: app.path).filter { $0.hasSuffix(".swift") }
            .map { app.appendingPathComponent($0) }
        guard
            let health = try sources.first(where: {
                Self.bodyTokenRange(in: try String(contentsOf: $0, encoding: .utf8)) != nil
            })
        else {
            throw ComposeError(
                description: "no App source has a `true`/`false` body after '\(Self.healthMarker)': "
                    + "update ScratchRepository for the new health route")
        }
        healthSource = health
    }

    /// Flips the health route's body between `true` and `false` and removes the line
    /// `breakSyntax` added, in one write; the body the route now answers.
    func toggleHealthBody() throws -> String {
        var flipped = ""
        try edit { text in
            var text = text.replacingOccurrences(of: Self.brokenLine, with: "")
            guard let range = Self.bodyTokenRange(in: text) else { return text }
            flipped = text[range] == "true" ? "false" : "true"
            text.replaceSubrange(range, with: flipped)
            return text
        }
        return flipped
    }

    /// Appends a line that does not compile to the health route's file.
    func breakSyntax() throws {
        try edit { $0 + Self.brokenLine }
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    private func edit(_ change: (String) -> String) throws {
        let text = try String(contentsOf: healthSource, encoding: .utf8)
        try change(text).write(to: healthSource, atomically: false, encoding: .utf8)
    }

    /// The first `true` or `false` after the health route's path in `text`.
    private static func bodyTokenRange(in text: String) -> Range<String.Index>? {
        guard let marker = text.range(of: healthMarker) else { return nil }
        let rest = text[marker.upperBound...]
        return [rest.range(of: "true"), rest.range(of: "false")].compactMap { $0 }
            .min { $0.lowerBound < $1.lowerBound }
    }
}
