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

        // The application: the API's routes and models.
        .target(name: "App", dependencies: ["HTTPServer"], path: "\(backend)/App"),

        // The `backend` command line: serve, healthcheck, --help, --version.
        .executableTarget(
            name: "Backend",
            dependencies: ["App", "HTTPServer"],
            path: "\(backend)/Backend"
        ),

        // A bench-only server on the HTTPServer module that answers the peers' three endpoints.
        .executableTarget(
            name: "BenchServer",
            dependencies: ["HTTPServer"],
            path: "bench/BenchServer"
        ),

        .testTarget(
            name: "BackendTests",
            dependencies: ["Backend", "HTTPServer"],
            path: "Tests/BackendTests"
        ),
        .testTarget(
            name: "HTTPServerTests",
            dependencies: ["HTTPServer"],
            path: "Tests/HTTPServerTests"
        ),
        // Docker end to end: the images, docker-compose.yml's reload loop, docker-compose.prod.yml.
        .testTarget(
            name: "DockerE2ETests",
            dependencies: ["HTTPServer"],
            path: "Tests/DockerE2ETests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
