// What `backend serve --reload` watches, builds and runs, from the environment (and `.env`).

#if canImport(Glibc)
    import Glibc
#endif

struct ReloadSettings {
    /// Where `swift build` puts its products (RELOAD_SCRATCH_PATH; default `.build`).
    var scratchPath = ".build"
    /// Polling instead of inotify (RELOAD_POLL=1), for bind mounts that deliver no events.
    var forcePolling = false
    /// The build inputs, relative to the package root.
    var roots = ["Package.swift", "Package.resolved", "packages"]
    /// How long a new server may take to answer its health route before it is given up.
    var startupTimeout = Duration.seconds(30)
    /// How long the servers may drain after SIGTERM before they are killed (theirs is 8 s).
    var stopTimeout = Duration.seconds(12)
    /// The listening address the servers get, and where their health route is asked.
    var host: String
    var port: Int
    /// `serve` and its options, without `--reload`: the command line of each server.
    var serveArguments: [String]
    /// How the compiler's paths are shown on the host (RELOAD_SOURCE_PATH_ON_HOST); nil: as they are.
    var compilerOutputPaths: CompilerOutputPaths?

    /// `packageRoot`: the folder the supervisor runs in (the package root), as the compiler names it.
    init(
        environment: [String: String], host: String, port: Int, serveArguments: [String],
        packageRoot: String = Self.currentDirectory()
    ) {
        self.host = host
        self.port = port
        self.serveArguments = serveArguments
        if let path = environment["RELOAD_SCRATCH_PATH"] { scratchPath = path }
        forcePolling = ["1", "true", "yes"].contains(environment["RELOAD_POLL"]?.lowercased() ?? "")
        if let hostRoot = environment["RELOAD_SOURCE_PATH_ON_HOST"] {
            compilerOutputPaths = CompilerOutputPaths(packageRoot: packageRoot, hostRoot: hostRoot)
        }
    }

    static func currentDirectory() -> String {
        guard let path = getcwd(nil, 0) else { return "" }
        defer { free(path) }
        return String(cString: path)
    }

    var buildCommand: [String] { ["swift", "build", "--product", "backend", "--scratch-path", scratchPath] }
    var executable: String { scratchPath + "/debug/backend" }
}
