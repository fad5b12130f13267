// What the /docs browser test needs besides the app: headless Chromium (Debian's `chromium`),
// Swagger UI 5's files from PyPI (swagger-ui-bundle-v2, in a test-only venv under .build) and
// a static file server for them on an ephemeral 127.0.0.1 port (python3 -m http.server).

import Foundation
import TestSupport

/// The package's folders that git ignores: the venv, and the screenshots kept as test artifacts.
enum BuildFolder {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build")
    static let artifacts = root.appendingPathComponent("test-artifacts")
}

enum HeadlessChromium {
    /// `$CHROMIUM`, else the first of Debian's `chromium`, `chromium-browser` or `google-chrome` on PATH.
    static let executable: String? = {
        let environment = ProcessInfo.processInfo.environment
        let folders = (environment["PATH"] ?? "").split(separator: ":")
        let candidates =
            environment["CHROMIUM"].map { [$0] }
            ?? ["chromium", "chromium-browser", "google-chrome"].flatMap { name in folders.map { "\($0)/\(name)" } }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Loads `url` headless, lets its scripts run for up to ten seconds of virtual time, then
    /// runs `action` (`--dump-dom`, `--screenshot=...`); what it printed on stdout and stderr.
    static func run(_ url: String, _ action: String, windowSize: String = "1280,2200") async throws -> String {
        let result = try await Shell.run(
            [
                executable!, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--virtual-time-budget=10000", "--window-size=\(windowSize)", action, url,
            ], timeout: .seconds(90))
        guard result.succeeded else {
            throw TestFailure("chromium \(action) exited \(result.status):\n\(result.output)")
        }
        return result.output
    }
}

enum SwaggerUIFiles {
    static let package = "swagger-ui-bundle-v2==5.31.0"
    private static let venv = BuildFolder.root.appendingPathComponent("test-venvs/swagger-ui")

    /// The folder of swagger-ui-bundle.js, swagger-ui.css and the favicons, installing the
    /// package on first use; nil when python3 or pip cannot (no network to PyPI, say).
    static let folder = Task<String?, Never> {
        let python = venv.appendingPathComponent("bin/python").path
        let locate = [python, "-c", "import swagger_ui_bundle; print(swagger_ui_bundle.swagger_ui_path)"]
        if let found = try? await Shell.run(locate), found.succeeded, found.output.contains("5.31.0") {
            return found.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard (try? await Shell.run(["python3", "-m", "venv", "--clear", venv.path]))?.succeeded == true,
            (try? await Shell.run([python, "-m", "pip", "install", "--quiet", package], timeout: .seconds(300)))?
                .succeeded == true,
            let found = try? await Shell.run(locate), found.succeeded
        else { return nil }
        return found.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// `python3 -m http.server` serving one folder on an ephemeral 127.0.0.1 port.
final class StaticFileServer {
    let baseURL: String
    private let command: RunningCommand

    init(serving folder: String) async throws {
        command = try RunningCommand([
            "python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", folder,
        ])
        // Only against a hang: while the suites start, this task may wait seconds for a thread
        // (a CI run saw the line printed and the 10 s this was found too short).
        let deadline = ContinuousClock.now + .seconds(120)
        // Its first line: "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
        while ContinuousClock.now < deadline {
            if let match = command.outputSoFar.firstMatch(of: /port (\d+)/) {
                baseURL = "http://127.0.0.1:\(match.1)/"
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let output = await command.finish(timeout: .zero).output
        throw TestFailure("python3 -m http.server did not start:\n\(output)")
    }

    func stop() async { _ = await command.finish(timeout: .zero) }
}
