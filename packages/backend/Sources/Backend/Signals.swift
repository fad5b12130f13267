// SIGTERM and SIGINT as a callback: blocked in every thread, awaited by one of our own.

#if canImport(Glibc)
    import Glibc
#endif

enum Signals {
    /// Blocks SIGTERM/SIGINT (call before any thread starts, so all inherit the mask), ignores
    /// SIGPIPE, and calls `handler` on a dedicated thread for each termination signal.
    static func onTermination(_ handler: @escaping @Sendable (Int32) -> Void) {
        signal(SIGPIPE, SIG_IGN)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let box = Unmanaged.passRetained(SignalBox(set: set, handler: handler)).toOpaque()
        var thread = pthread_t()
        pthread_create(
            &thread, nil,
            { arg in
                let box = Unmanaged<SignalBox>.fromOpaque(arg!).takeRetainedValue()
                var set = box.set
                while true {
                    var signal: Int32 = 0
                    if sigwait(&set, &signal) == 0 { box.handler(signal) }
                }
            }, box)
        pthread_detach(thread)
    }
}

private final class SignalBox {
    let set: sigset_t
    let handler: @Sendable (Int32) -> Void

    init(set: sigset_t, handler: @escaping @Sendable (Int32) -> Void) {
        self.set = set
        self.handler = handler
    }
}
