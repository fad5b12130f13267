// Runs one piece of blocking work on a new thread of its own and awaits its result, so the
// caller (an event-loop thread) never blocks. Small on purpose: a shared blocking pool can
// replace it later.

#if canImport(Glibc)
    import Glibc
#endif

enum DedicatedThread {
    struct StartError: Error {
        let code: Int32
    }

    /// Runs `work` on a new detached thread, on which SIGPIPE is blocked (a peer hanging up
    /// mid-write then gives EPIPE instead of ending the process).
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(StartError) -> T {
        let outcome: Result<T, StartError> = await withCheckedContinuation { continuation in
            let job = Unmanaged.passRetained(Job { continuation.resume(returning: .success(work())) })
            var thread = pthread_t()
            let status = pthread_create(
                &thread, nil,
                { argument in
                    let job = Unmanaged<Job>.fromOpaque(argument!).takeRetainedValue()
                    var signals = sigset_t()
                    sigemptyset(&signals)
                    sigaddset(&signals, SIGPIPE)
                    pthread_sigmask(SIG_BLOCK, &signals, nil)
                    job.body()
                    return nil
                }, job.toOpaque())
            if status == 0 {
                pthread_detach(thread)
            } else {
                job.release()
                continuation.resume(returning: .failure(StartError(code: status)))
            }
        }
        return try outcome.get()
    }

    private final class Job: Sendable {
        let body: @Sendable () -> Void

        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
