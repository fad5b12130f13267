// /docs in a real browser: the app on a loopback port with its Swagger UI assets served from a
// local copy (DOCS_*_URL), loaded by headless Chromium; every operation of the OpenAPI document
// must be rendered. The screenshot is kept in .build/test-artifacts/docs.png. Skipped, saying
// so, without Chromium or without the assets (pip).

import Foundation
import Testing

@Suite(
    .enabled(
        if: HeadlessChromium.executable != nil,
        "needs headless Chromium: apt-get install chromium (./scripts/test installs it as root)"),
    .enabled("needs Swagger UI from PyPI (\(SwaggerUIFiles.package)) in a venv, and pip could not install it") {
        await SwaggerUIFiles.folder.value != nil
    })
struct DocsBrowserTests {
    /// Each operation as Swagger UI marks it up: `operations-{tag}-{operationId}` and its path.
    struct Operation {
        let elementID: String
        let path: String
        let summary: String
    }

    @Test func swaggerUIRendersEveryOperation() async throws {
        let assets = try await StaticFileServer(serving: try #require(await SwaggerUIFiles.folder.value))
        let server = try await AppServer(environment: [
            "DOCS_SWAGGER_JS_URL": assets.baseURL + "swagger-ui-bundle.js",
            "DOCS_SWAGGER_CSS_URL": assets.baseURL + "swagger-ui.css",
            "DOCS_FAVICON_URL": assets.baseURL + "favicon-32x32.png",
        ])
        do {
            try await checkDocsPage(of: server)
        } catch {
            Issue.record(error)
        }
        await server.stop()
        await assets.stop()
    }

    private func checkDocsPage(of server: AppServer) async throws {
        let operations = try await documentedOperations(server)
        #expect(operations.count == 23, "the template's API has 23 operations")
        let page = "http://127.0.0.1:\(server.port)/docs"

        let dom = try await HeadlessChromium.run(page, "--dump-dom")
        #expect(dom.contains("<title>Test Project - Swagger UI</title>"))
        let rendered = dom.matches(of: /class="opblock opblock-(get|post|put|patch|delete)[ "]/).count
        #expect(rendered == operations.count, "operations rendered in /docs:\n\(dom.suffix(3000))")
        for operation in operations {
            #expect(dom.contains(#"id="\#(operation.elementID)""#), "\(operation.elementID) is not rendered")
            #expect(dom.contains(#"data-path="\#(operation.path)""#))
            #expect(dom.contains(">\(operation.summary)<"))
        }

        try FileManager.default.createDirectory(at: BuildFolder.artifacts, withIntermediateDirectories: true)
        let screenshot = BuildFolder.artifacts.appendingPathComponent("docs.png")
        try? FileManager.default.removeItem(at: screenshot)
        _ = try await HeadlessChromium.run(page, "--screenshot=\(screenshot.path)")
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 50_000, "\(png.count) bytes")
        print("docs-browser: \(rendered) operations rendered; screenshot: \(screenshot.path)")
    }

    /// The operations of the OpenAPI document the app serves.
    private func documentedOperations(_ server: AppServer) async throws -> [Operation] {
        let paths = try #require(
            (try await server.call(.get, "/api/v1/openapi.json")).object["paths"] as? [String: Any])
        return paths.flatMap { path, item in
            (item as? [String: [String: Any]] ?? [:]).values.map { operation in
                let tag = (operation["tags"] as? [String])?.first ?? "default"
                return Operation(
                    elementID: "operations-\(tag)-\(operation["operationId"] as? String ?? "")", path: path,
                    summary: operation["summary"] as? String ?? "")
            }
        }
    }
}
