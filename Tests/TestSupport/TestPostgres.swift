// A PostgreSQL 15 cluster of the tests' own: Debian's postgresql-15 binaries, initdb in a
// temporary folder, started on a free loopback port as an unprivileged user (`postgres` when the
// tests run as root), with a password over TCP as in production. Each test that wants one gets a
// fresh database. The cluster stops when the test process ends, however it ends: a watchdog
// shell waits for the end of a pipe only this process holds.
//
// TEST_DATABASE=postgresql runs the Storage and App suites on it instead of SQLite
// (`./scripts/test` runs them both ways).

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

public final class TestPostgres: @unchecked Sendable {
    /// True when the suites should run on PostgreSQL (TEST_DATABASE=postgresql).
    public static let isSelected = ProcessInfo.processInfo.environment["TEST_DATABASE"] == "postgresql"

    /// The process's cluster, started on first use.
    public static let shared = Task { try await TestPostgres() }

    /// A cluster for one test alone (one that stops and starts it), stopped when the process ends.
    public static func startPrivate() async throws -> TestPostgres { try await TestPostgres() }

    /// The FastAPI template's schema at its last revision, and a database the template itself
    /// made (its header gives the passwords), as pg_dump 15 printed them (../shared/reference).
    public static let templateSchemaFile = fixtures + "/fastapi-template.postgres-schema.sql"
    public static let templateDumpFile = fixtures + "/fastapi-template.postgres-dump.sql"
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    public static let password = "test-password"
    public let port: Int
    public let binaries: String
    let directory: String
    /// The write end of the watchdog's pipe: it closes when this process ends.
    private let watchdog: Process
    private let watchdogInput = Pipe()

    private init() async throws {
        binaries = ProcessInfo.processInfo.environment["TEST_POSTGRES_BIN"] ?? "/usr/lib/postgresql/15/bin"
        guard FileManager.default.isExecutableFile(atPath: binaries + "/initdb") else {
            throw TestPostgresError("PostgreSQL 15 is needed for these tests: apt-get install postgresql-15")
        }
        directory = "/tmp/backend-tests-postgres-\(UUID().uuidString.prefix(8))"
        let data = directory + "/data"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.password.write(toFile: directory + "/pwfile", atomically: true, encoding: .utf8)
        if getuid() == 0 {
            try await Self.check(Shell.run(["chown", "-R", "postgres:postgres", directory]))
        }
        try await Self.check(
            Shell.run(
                Self.unprivileged + [
                    binaries + "/initdb", "-D", data, "-U", "postgres", "--auth-local=trust",
                    "--auth-host=scram-sha-256", "--pwfile=\(directory)/pwfile", "-E", "UTF8", "--locale=C.UTF-8",
                    "--no-sync",
                ]))
        port = try freeLoopbackPort()
        // fsync off: a test cluster needs no crash safety against power loss, and the suites
        // create hundreds of databases. Commits still wait for the server (synchronous_commit).
        let settings = [
            "port = \(port)", "listen_addresses = '127.0.0.1'", "unix_socket_directories = '\(directory)'",
            "max_connections = 400", "shared_buffers = 64MB", "fsync = off", "full_page_writes = off",
        ]
        let configuration = try FileHandle(forWritingTo: URL(fileURLWithPath: data + "/postgresql.conf"))
        try configuration.seekToEnd()
        try configuration.write(contentsOf: Data(("\n" + settings.joined(separator: "\n") + "\n").utf8))
        try configuration.close()
        try await Self.pgCtl(binaries, data, ["-l", directory + "/server.log", "-w", "start"])
        watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        let stop = (Self.unprivileged + [binaries + "/pg_ctl", "-D", data, "-m", "immediate", "stop"]).joined(
            separator: " ")
        watchdog.arguments = ["-c", "cat > /dev/null; \(stop) > /dev/null 2>&1; rm -rf \(directory)"]
        watchdog.standardInput = watchdogInput
        // Only this process may hold the write end: not the watchdog, nor any command started later.
        _ = fcntl(watchdogInput.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
    }

    /// As root, commands run as `postgres` (initdb and postgres refuse root).
    static var unprivileged: [String] { getuid() == 0 ? ["runuser", "-u", "postgres", "--"] : [] }

    private static func check(_ result: CommandResult) throws {
        guard result.succeeded else { throw TestPostgresError("PostgreSQL set-up failed: \(result.output)") }
    }

    /// The URL of database `name`, in the FastAPI template's form.
    public func url(database name: String) -> String {
        "postgresql+psycopg://postgres:\(Self.password)@127.0.0.1:\(port)/\(name)"
    }

    /// Creates an empty database and returns its URL.
    public func newDatabase() async throws -> String { url(database: try await createDatabase()) }

    /// Creates an empty database and returns its name.
    public func createDatabase() async throws -> String {
        let name = "test_" + UUID().uuidString.prefix(13).lowercased().replacingOccurrences(of: "-", with: "_")
        try await psql("postgres", "CREATE DATABASE \(name)")
        return name
    }

    /// Restores the database the template made into a new database and returns its name.
    public func restoreTemplateDump() async throws -> String {
        let name = try await createDatabase()
        try await psql(name, file: Self.templateDumpFile)
        return name
    }

    /// Runs `sql` (`-c`) or the file `file` (`-f`) in database `name` with psql, stopping at the
    /// first error; returns what it printed (unaligned, tuples only).
    @discardableResult
    public func psql(_ name: String, _ sql: String? = nil, file: String? = nil) async throws -> String {
        var arguments = [
            binaries + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port),
            "-U", "postgres", "-d", name,
        ]
        if let sql { arguments += ["-c", sql] }
        if let file { arguments += ["-f", file] }
        let result = try await Shell.run(arguments, environment: ["PGPASSWORD": Self.password])
        try Self.check(result)
        return result.output
    }

    /// Runs `pg_dump --schema-only` of database `name`.
    public func schema(of name: String) async throws -> String {
        let result = try await Shell.run(
            [binaries + "/pg_dump", "--schema-only", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", name],
            environment: ["PGPASSWORD": Self.password])
        try Self.check(result)
        return result.output
    }

    /// Stops the server with a fast shutdown (its connections are closed; `start()` brings it back).
    public func stop() async throws {
        try await Self.pgCtl(binaries, directory + "/data", ["-m", "fast", "-w", "stop"])
    }

    /// Starts the server and waits until it accepts connections.
    public func start() async throws {
        try await Self.pgCtl(binaries, directory + "/data", ["-l", directory + "/server.log", "-w", "start"])
    }

    /// Runs pg_ctl with no descriptor of ours but the standard three: the server it starts lives
    /// on, and Foundation sees a command end when the last holder of its descriptors does.
    private static func pgCtl(_ binaries: String, _ data: String, _ arguments: [String]) async throws {
        let closeOthers = "for fd in $(ls /proc/$$/fd); do [ $fd -gt 2 ] && eval \"exec $fd>&-\"; done; exec \"$@\""
        try check(
            await Shell.run(
                ["bash", "-c", closeOthers, "pg_ctl"] + unprivileged + [binaries + "/pg_ctl", "-D", data] + arguments))
    }
}

public struct TestPostgresError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A loopback TCP port that nothing listens on right now.
public func freeLoopbackPort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
        }
    }
    guard bound else { throw TestPostgresError("no free port: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}
