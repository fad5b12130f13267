// swift-tools-version:6.0
// The backend: an HTTP/1.1 server of our own on POSIX sockets, a FastAPI-like web layer,
// the reference application and its storage. No remote package dependencies: C libraries
// come from Debian's -dev packages through system-library targets.
import PackageDescription

let backend = "packages/backend/Sources"

let package = Package(
    name: "backend",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "backend", targets: ["Backend"])
    ],
    targets: [
        // Socket server layer: epoll event loops, HTTP/1.1 parsing, limits, timeouts, shutdown.
        .target(name: "HTTPServer", dependencies: ["CLinuxShims"], path: "\(backend)/HTTPServer"),
        .target(name: "CLinuxShims", path: "\(backend)/CLinuxShims"),

        // The FastAPI-like web layer: routing, typed inputs, validation, dependencies, JSON,
        // OpenAPI and docs pages, middleware (CORS, request id, gzip) and settings.
        .target(name: "Web", dependencies: ["HTTPServer", "CZlib"], path: "\(backend)/Web"),
        .systemLibrary(
            name: "CZlib", path: "\(backend)/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // The application: the API's routes and models.
        .target(name: "App", dependencies: ["HTTPServer", "Web"], path: "\(backend)/App"),

        // The `backend` command line: serve, healthcheck, --help, --version.
        .executableTarget(
            name: "Backend",
            dependencies: ["App", "HTTPServer", "Web"],
            path: "\(backend)/Backend"
        ),

        // A bench-only server on the HTTPServer module that answers the peers' three endpoints.
        .executableTarget(
            name: "BenchServer",
            dependencies: ["HTTPServer"],
            path: "bench/BenchServer"
        ),

        .testTarget(
            name: "HTTPServerTests",
            dependencies: ["HTTPServer"],
            path: "Tests/HTTPServerTests"
        ),
        .testTarget(
            name: "WebTests",
            dependencies: ["Web", "App", "HTTPServer", "CZlib"],
            path: "Tests/WebTests",
            resources: [.copy("Resources")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
