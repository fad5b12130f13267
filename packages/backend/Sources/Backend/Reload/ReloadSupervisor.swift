// `backend serve --reload`: builds the server, runs it as a child, and on every source change
// rebuilds while the running server keeps serving. A successful build starts a new server on the
// same port (its servers bind with SO_REUSEPORT, which this sets for them); once it answers its health route the old one
// gets SIGTERM and drains. A failed build prints the compiler's output (its paths as the host
// names them, with RELOAD_SOURCE_PATH_ON_HOST) and changes nothing. The settings' warnings are
// logged by the session's first server only.
// SIGTERM/SIGINT stop the build and the servers; the supervisor exits after them.

import HTTPServer
import Logging
import Synchronization

#if canImport(Glibc)
    import CLinuxShims
    import Glibc
#endif

final class ReloadSupervisor: Sendable {
    /// Tells the servers it starts to bind with SO_REUSEPORT.
    static let reusePortVariable = "BACKEND_REUSE_PORT"
    /// Tells a server that an earlier one of this session has logged the settings' warnings
    /// (`changethis` secrets), so it logs them at debug only: once per session, not per reload.
    static let settingsWarnedVariable = "BACKEND_SETTINGS_WARNED"

    private struct State {
        var stopping = false
        var build: ChildProcess?
        /// The serving server and any old ones still draining.
        var servers: [ChildProcess] = []
        /// A server of this session has answered, so it has logged the settings' warnings.
        var settingsWarned = false
    }

    private let settings: ReloadSettings
    private let logger: Logger
    private let state = Mutex(State())
    /// Written once by `stop`; every wait of the main loop watches it.
    private let wakeFD = eventfd(0, Int32(EFD_CLOEXEC))

    init(settings: ReloadSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Runs until SIGTERM or SIGINT; the exit status of the last server (0 after a clean drain).
    func run() -> Int32 {
        guard settings.port != 0 else {
            logger.error("reload: --reload needs a fixed port (the servers take turns on it), not 0")
            return 2
        }
        guard access("Package.swift", F_OK) == 0 else {
            logger.error("reload: run `backend serve --reload` in the package root (no Package.swift here)")
            return 2
        }
        setenv(Self.reusePortVariable, "1", 1)
        Signals.onTermination { [self] _ in stop() }
        let watcher = SourceWatcher(roots: settings.roots, forcePolling: settings.forcePolling, wakeFD: wakeFD)
        logger.info(
            "reload: watching \(settings.roots.joined(separator: ", ")) (\(watcher.mode.rawValue)); "
                + "building into \(settings.scratchPath)")
        if let paths = settings.compilerOutputPaths {
            logger.info("reload: compiler messages name \(paths.packageRoot)/ as \(paths.hostRoot)/")
        }
        var inputs = watcher.snapshot()
        var current: ChildProcess?
        if build() { current = startServer(replacing: nil) }
        while let changed = watcher.waitForChange(from: inputs) {
            inputs = changed
            let exited = reapExited()
            if let server = current, exited.contains(server.pid) { current = nil }
            logger.info("reload: sources changed; rebuilding while the running server keeps serving")
            if build(), let next = startServer(replacing: current) { current = next }
        }
        return finish(current)
    }

    /// From the signal thread: interrupt the build, stop every server, wake the main loop.
    private func stop() {
        state.withLock { state in
            state.stopping = true
            state.build?.signal(SIGINT)
            state.servers.forEach { $0.signal(SIGTERM) }
        }
        _ = eventfd_write(wakeFD, 1)
    }

    private var stopping: Bool { state.withLock { $0.stopping } }

    /// Builds the product; false (after printing the compiler's output) when the build fails.
    private func build() -> Bool {
        let started = ContinuousClock.now
        let result: (status: Int32, output: String)
        do {
            result = try ChildProcess.run(settings.buildCommand) { child in
                state.withLock { state in
                    state.build = child
                    if state.stopping { child.signal(SIGINT) }
                }
            }
        } catch {
            logger.error("reload: \(error)")
            return false
        }
        state.withLock { $0.build = nil }
        if stopping { return false }
        guard result.status == 0 else {
            logger.error(
                "reload: the build failed (exit status \(result.status)); the running server keeps serving.\n"
                    + (settings.compilerOutputPaths?.rewrite(result.output) ?? result.output))
            return false
        }
        logger.info("reload: built in \(format(ContinuousClock.now - started))")
        return true
    }

    /// Starts the freshly built server; once it is ready, retires `old`. Nil if it never got ready.
    private func startServer(replacing old: ChildProcess?) -> ChildProcess? {
        let child: ChildProcess
        let warned = state.withLock { $0.settingsWarned }
        do {
            child = try ChildProcess.spawn(
                [settings.executable] + settings.serveArguments,
                environment: warned ? [Self.settingsWarnedVariable: "1"] : [:])
        } catch {
            logger.error("reload: \(error)")
            return nil
        }
        state.withLock { state in
            state.servers.append(child)
            if state.stopping { child.signal(SIGTERM) }
        }
        let keeping = old == nil ? "waiting for the next change" : "the old server keeps serving"
        switch ServerReadiness.wait(
            for: child, host: settings.host, port: settings.port, timeout: settings.startupTimeout)
        {
        case .ready:
            state.withLock { $0.settingsWarned = true }
            if let old {
                old.signal(SIGTERM)
                logger.info("reload: server \(child.pid) answers; the old server \(old.pid) drains and stops")
            } else {
                logger.info("reload: server \(child.pid) answers on port \(settings.port)")
            }
            return child
        case .exited(let status):
            forget(child)
            if !stopping { logger.error("reload: the new server exited with status \(status); \(keeping)") }
            return nil
        case .timedOut:
            child.signal(SIGTERM)
            _ = child.waitForExit()
            forget(child)
            logger.error("reload: the new server did not answer within \(format(settings.startupTimeout)); \(keeping)")
            return nil
        }
    }

    /// Reaps the servers that have exited (logging each); their pids.
    private func reapExited() -> [pid_t] {
        let servers = state.withLock { $0.servers }
        var exited: [pid_t] = []
        for server in servers {
            guard let status = server.exitStatusIfExited() else { continue }
            exited.append(server.pid)
            forget(server)
            logger.log(status == 0 ? .debug : .warning, "reload: server \(server.pid) exited with status \(status)")
        }
        return exited
    }

    private func forget(_ child: ChildProcess) {
        state.withLock { state in state.servers.removeAll { $0.pid == child.pid } }
    }

    /// After `stop`: waits for every server to exit (SIGKILL after `stopTimeout`); the status of
    /// `current`, else 0.
    private func finish(_ current: ChildProcess?) -> Int32 {
        let deadline = ContinuousClock.now + settings.stopTimeout
        var result: Int32 = 0
        for server in state.withLock({ $0.servers }) {
            var status = server.exitStatusIfExited()
            while status == nil && ContinuousClock.now < deadline {
                usleep(50_000)
                status = server.exitStatusIfExited()
            }
            if status == nil {
                logger.warning("reload: server \(server.pid) did not stop in time; killing it")
                server.signal(SIGKILL)
                status = server.waitForExit()
            }
            if server.pid == current?.pid { result = status ?? 0 }
        }
        logger.info("reload: stopped")
        return result
    }

    private func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return "\(milliseconds / 1000).\(milliseconds % 1000 / 100) s"
    }
}
