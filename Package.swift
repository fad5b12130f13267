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
        // Leveled log lines, for every layer.
        .target(name: "Logging", path: "\(backend)/Logging"),

        // Socket server layer: epoll event loops, HTTP/1.1 parsing, limits, timeouts, shutdown.
        .target(name: "HTTPServer", dependencies: ["CLinuxShims", "Logging"], path: "\(backend)/HTTPServer"),
        .target(name: "CLinuxShims", path: "\(backend)/CLinuxShims"),

        // JSON as Python's json module reads and writes it: a parser, a streaming reader, a writer.
        .target(name: "JSON", dependencies: ["TextFormats"], path: "\(backend)/JSON"),

        // E-mail addresses as email-validator checks and normalizes them (syntax, IDNA, Punycode).
        .target(name: "EmailValidation", path: "\(backend)/EmailValidation"),

        // The FastAPI-like web layer: routing, typed inputs, validation, dependencies, OpenAPI and
        // docs pages, middleware (CORS, request id, gzip) and settings.
        .target(
            name: "Web", dependencies: ["HTTPServer", "Logging", "JSON", "EmailValidation", "TextFormats", "CZlib"],
            path: "\(backend)/Web"),
        .systemLibrary(
            name: "CZlib", path: "\(backend)/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Text forms the wire and the database share: lower-case hyphenated UUIDs, RFC 3339 instants.
        .target(name: "TextFormats", path: "\(backend)/TextFormats"),

        // E-mail: our SMTP client (plain, STARTTLS, implicit TLS), MIME, and the application's three e-mails.
        .target(name: "Mail", dependencies: ["COpenSSL"], path: "\(backend)/Mail"),

        // The application: the API's routes, schemas, services and settings; it picks the
        // database engine from DATABASE_URL.
        .target(
            name: "App",
            dependencies: [
                "HTTPServer", "Logging", "Web", "JSON", "Storage", "StorageSQLite", "StoragePostgres", "TextFormats",
                "Security", "Mail", "Workers",
            ],
            path: "\(backend)/App"),

        // The `backend` command line: serve [--reload], healthcheck, check-settings, migrate,
        // prestart, openapi.
        .executableTarget(
            name: "Backend",
            dependencies: ["App", "HTTPServer", "Logging", "Storage", "Web", "JSON"],
            path: "\(backend)/Backend"
        ),

        // A bench-only server that answers the peers' three endpoints on the HTTPServer module
        // alone, or (`BenchServer web`) a JSON model and a validated JSON body through the Web layer.
        .executableTarget(
            name: "BenchServer",
            dependencies: ["HTTPServer", "Web", "JSON"],
            path: "bench/BenchServer"
        ),

        // C libraries from Debian -dev packages: SQLite, Argon2, OpenSSL (HMAC, RNG, TLS), libxcrypt (bcrypt).
        .systemLibrary(
            name: "CSQLite", path: "\(backend)/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CArgon2", path: "\(backend)/CArgon2", pkgConfig: "libargon2", providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(
            name: "COpenSSL", path: "\(backend)/COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CCrypt", path: "\(backend)/CCrypt", pkgConfig: "libxcrypt", providers: [.apt(["libcrypt-dev"])]),

        // A bounded pool of OS threads that runs blocking work (SQLite, argon2) for async callers.
        .target(name: "Workers", dependencies: ["CLinuxShims"], path: "\(backend)/Workers"),

        // What every database engine shares: the `Database` interface, the entities, the
        // repositories and the migrator.
        .target(
            name: "Storage", dependencies: ["CLinuxShims", "Logging", "TextFormats", "Workers"],
            path: "\(backend)/Storage"),
        // The SQLite engine of `Database` (WAL, one writer, readers, group commit) and its migrations.
        .target(
            name: "StorageSQLite",
            dependencies: ["Storage", "CLinuxShims", "CSQLite", "TextFormats", "Workers"],
            path: "\(backend)/StorageSQLite",
            resources: [.embedInCode("Migrations")]
        ),
        // The PostgreSQL engine of `Database` (a pool of libpq connections on threads of their
        // own) and its migrations, which serve the FastAPI template's own schema.
        .target(
            name: "StoragePostgres",
            dependencies: ["Storage", "CLibPQ", "Logging", "TextFormats", "Workers"],
            path: "\(backend)/StoragePostgres",
            resources: [.embedInCode("Migrations")]
        ),
        .systemLibrary(
            name: "CLibPQ", path: "\(backend)/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // Password hashing (argon2id, bcrypt verification) and HS256 JWTs.
        .target(
            name: "Security",
            dependencies: ["CArgon2", "COpenSSL", "CCrypt", "Workers"],
            path: "\(backend)/Security"
        ),

        .testTarget(
            name: "AppTests",
            dependencies: [
                "App", "HTTPServer", "Logging", "Web", "JSON", "Storage", "StorageSQLite", "StoragePostgres",
                "TestSupport",
            ],
            path: "Tests/AppTests"
        ),
        // Test-only helpers shared by test targets: the aiosmtpd sink (smtp_sink.py) for MailTests and
        // AppTests, and running commands without blocking the test pool.
        .target(
            name: "TestSupport", dependencies: ["Mail"], path: "Tests/TestSupport",
            exclude: ["smtp_sink.py", "Fixtures"]),
        .testTarget(
            name: "BackendTests",
            dependencies: [
                "Backend", "HTTPServer", "Logging", "Storage", "StorageSQLite", "StoragePostgres", "TestSupport",
            ],
            path: "Tests/BackendTests"
        ),
        .testTarget(
            name: "MailTests",
            dependencies: ["Mail", "TestSupport"],
            path: "Tests/MailTests"
        ),
        .testTarget(
            name: "HTTPServerTests",
            dependencies: ["HTTPServer", "Logging"],
            path: "Tests/HTTPServerTests"
        ),
        .testTarget(
            name: "WebTests",
            dependencies: ["Web", "HTTPServer", "Logging", "JSON", "EmailValidation", "TextFormats", "CZlib"],
            path: "Tests/WebTests",
            resources: [.copy("Resources")]
        ),
        .testTarget(name: "WorkersTests", dependencies: ["Workers"], path: "Tests/WorkersTests"),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "StorageSQLite", "StoragePostgres", "TextFormats", "CSQLite", "Workers",
                "StorageDurabilityProbe", "TestSupport",
            ],
            path: "Tests/StorageTests"
        ),
        // Test-only: signs users up and prints each acknowledgement until it is SIGKILLed (StorageTests).
        .executableTarget(
            name: "StorageDurabilityProbe",
            dependencies: ["App", "Storage"],
            path: "Tests/StorageDurabilityProbe"
        ),
        .testTarget(name: "SecurityTests", dependencies: ["Security"], path: "Tests/SecurityTests"),
        .testTarget(name: "TextFormatsTests", dependencies: ["TextFormats"], path: "Tests/TextFormatsTests"),
        // The `serve --reload` supervisor's parts: watcher, child processes, readiness.
        .testTarget(
            name: "ReloadTests",
            dependencies: ["Backend", "HTTPServer"],
            path: "Tests/ReloadTests"
        ),
        // Docker end to end: the images, docker-compose.yml's reload loop, docker-compose.prod.yml.
        .testTarget(
            name: "DockerE2ETests",
            dependencies: ["HTTPServer", "TestSupport"],
            path: "Tests/DockerE2ETests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
