// A throw-away copy of the repository for the development-loop tests: they edit its sources
// (the health route's body) while a container serves them, and never touch the real tree.

import Foundation

struct ScratchRepository {
    /// The real repository: three levels above this file (Tests/DockerE2ETests/ScratchRepository.swift).
    static let original = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let root: URL
    private let healthSource: URL
    private var bodyLiteral = Self.initialBodyLiteral
    private static let initialBodyLiteral = "\"true\""
    private static let brokenLine = "\nlet brokenOnPurpose = \n"

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
                let text = try String(contentsOf: $0, encoding: .utf8)
                return text.contains("health-check") && text.contains(Self.initialBodyLiteral)
            })
        else {
            throw ComposeError(
                description: "no App source holds the health route's body literal \(Self.initialBodyLiteral): "
                    + "update ScratchRepository for the new health route")
        }
        healthSource = health
    }

    /// Makes the health route answer `value` (a JSON number), replacing the body literal, and
    /// removes the line `breakSyntax` added, in one write.
    mutating func setHealthBody(_ value: Int) throws {
        let replacement = "\"\(value)\""
        try edit {
            $0.replacingOccurrences(of: Self.brokenLine, with: "").replacingOccurrences(
                of: bodyLiteral, with: replacement)
        }
        bodyLiteral = replacement
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
}
