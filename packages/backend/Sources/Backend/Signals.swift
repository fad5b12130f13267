// SIGTERM and SIGINT as a callback. The C handler only writes the signal number to a pipe
// (async-signal-safe, whichever thread the kernel picks); a thread of ours reads it.

#if canImport(Glibc)
    import Glibc
#endif

/// The pipe's write end, set once before the handler is installed.
nonisolated(unsafe) private var signalPipeWriteFD: Int32 = -1

enum Signals {
    /// Ignores SIGPIPE and calls `handler` on a dedicated thread for each SIGTERM or SIGINT.
    static func onTermination(_ handler: @escaping @Sendable (Int32) -> Void) {
        signal(SIGPIPE, SIG_IGN)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { fatalError("pipe: \(errno)") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        signalPipeWriteFD = fds[1]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in
            var byte = UInt8(truncatingIfNeeded: number)
            _ = write(signalPipeWriteFD, &byte, 1)
        }
        action.sa_flags = SA_RESTART
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGINT, &action, nil)

        let box = Unmanaged.passRetained(SignalReader(fd: fds[0], handler: handler)).toOpaque()
        var thread = pthread_t()
        pthread_create(
            &thread, nil,
            { arg in
                let reader = Unmanaged<SignalReader>.fromOpaque(arg!).takeRetainedValue()
                var byte: UInt8 = 0
                while true {
                    let n = read(reader.fd, &byte, 1)
                    if n == 1 { reader.handler(Int32(byte)) } else if n < 0 && errno != EINTR { return nil }
                }
            }, box)
        pthread_detach(thread)
    }
}

private final class SignalReader {
    let fd: Int32
    let handler: @Sendable (Int32) -> Void

    init(fd: Int32, handler: @escaping @Sendable (Int32) -> Void) {
        self.fd = fd
        self.handler = handler
    }
}
