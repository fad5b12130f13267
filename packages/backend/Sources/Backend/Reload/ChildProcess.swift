// Child processes for the reloader, through posix_spawn: start, signal, reap, capture output.

#if canImport(Glibc)
    import Glibc
#endif

struct SpawnError: Error, CustomStringConvertible {
    let description: String
}

struct ChildProcess: Sendable {
    let pid: pid_t

    /// Starts `arguments[0]` (searched on PATH) with the current environment plus `environment`.
    /// The child gets the default disposition of SIGTERM, SIGINT and SIGPIPE and an empty signal
    /// mask, whatever this process has blocked or ignored. With `outputFD`, its stdout and stderr
    /// go there.
    static func spawn(
        _ arguments: [String], environment: [String: String] = [:], outputFD: Int32? = nil
    ) throws(SpawnError) -> ChildProcess {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let outputFD {
            posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
            posix_spawn_file_actions_adddup2(&actions, outputFD, 2)
        }

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result: Int32
        if environment.isEmpty {
            result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
        } else {
            let envp = Self.environment(adding: environment).map { strdup($0) } + [nil]
            defer { envp.forEach { free($0) } }
            result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        }
        guard result == 0 else {
            throw SpawnError(description: "cannot start \(arguments[0]): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid)
    }

    /// Runs `arguments` to completion: its exit status and everything it printed.
    static func run(_ arguments: [String], started: (ChildProcess) -> Void) throws(SpawnError) -> (
        status: Int32, output: String
    ) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))")
        }
        // Only this thread spawns, so no other child can inherit the pipe before this.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let child: ChildProcess
        do {
            child = try spawn(arguments, outputFD: fds[1])
        } catch {
            close(fds[0])
            close(fds[1])
            throw error
        }
        close(fds[1])
        started(child)
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if n > 0 {
                output += buffer[0..<n]
            } else if n == 0 || errno != EINTR {
                break
            }
        }
        close(fds[0])
        return (child.waitForExit(), String(decoding: output, as: UTF8.self))
    }

    /// This process's `NAME=value` entries, those named in `added` replaced by its values.
    private static func environment(adding added: [String: String]) -> [String] {
        var entries: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if added[String(text.prefix { $0 != "=" })] == nil { entries.append(text) }
            pointer += 1
        }
        return entries + added.map { "\($0.key)=\($0.value)" }
    }

    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// The exit status if the child has exited (reaping it), else nil.
    func exitStatusIfExited() -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { return Self.decode(status) }
        return result < 0 && errno == ECHILD ? -1 : nil
    }

    /// Waits for the child to exit; its exit status (128 + N if killed by signal N).
    func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return Self.decode(status)
    }

    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
