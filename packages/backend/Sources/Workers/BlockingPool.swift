// A bounded pool of OS threads that runs blocking closures (SQLite, argon2) for async callers.
//
// `await pool.run { ... }` suspends the caller (its thread goes back to its event loop or executor)
// while one of the pool's threads runs the closure; the closure's result or error is handed back.
// Jobs wait in a FIFO queue of fixed capacity: when it is full, `run` fails at once with
// `BlockingPoolError.queueFull` instead of piling up work. Idle threads sleep on a condition
// variable; nothing polls.

#if canImport(Glibc)
    import Glibc
#endif

public enum BlockingPoolError: Error, Equatable, CustomStringConvertible {
    /// The pool's queue already holds `capacity` waiting jobs.
    case queueFull(pool: String, capacity: Int)
    /// `shutdown()` was called; the pool takes no new jobs.
    case shutDown(pool: String)

    public var description: String {
        switch self {
        case .queueFull(let pool, let capacity): "\(pool): queue full (\(capacity) jobs waiting)"
        case .shutDown(let pool): "\(pool): the pool is shut down"
        }
    }
}

/// A fixed set of threads serving a bounded FIFO queue of blocking jobs.
public final class BlockingPool: @unchecked Sendable {
    @usableFromInline typealias Job = @Sendable () -> Void

    public let name: String
    public let threadCount: Int
    public let queueCapacity: Int

    // `mutex` guards `queue`, `isShutDown` and `liveThreads`; `wakeup` signals new jobs or shutdown;
    // `allExited` signals the last thread's exit.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wakeup = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let allExited = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var queue: JobQueue
    private var isShutDown = false
    private var liveThreads = 0

    /// Starts `threads` threads; at most `queueCapacity` jobs may wait for one.
    public init(name: String, threads: Int, queueCapacity: Int) {
        precondition(threads > 0 && queueCapacity > 0, "a pool needs at least one thread and one queue slot")
        self.name = name
        self.threadCount = threads
        self.queueCapacity = queueCapacity
        self.queue = JobQueue(capacity: queueCapacity)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wakeup, nil)
        pthread_cond_init(allExited, nil)
        for _ in 0..<threads { startThread() }
    }

    deinit {
        pthread_cond_destroy(allExited)
        pthread_cond_destroy(wakeup)
        pthread_mutex_destroy(mutex)
        allExited.deallocate()
        wakeup.deallocate()
        mutex.deallocate()
    }

    /// Runs `work` on one of the pool's threads and returns its result; never blocks the caller's thread.
    /// Inlinable, so that it is compiled for `T` where it is called (generic, its continuation's
    /// metadata was looked up at run time on every call).
    @inlinable
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let rejection = submit { continuation.resume(with: Result(catching: work)) }
            if let rejection { continuation.resume(throwing: rejection) }
        }
    }

    /// Stops taking jobs; the threads finish the queued ones, then exit. Waits for them when `wait` is true
    /// (never call it with `wait` from one of the pool's own threads).
    public func shutdown(wait: Bool = false) {
        pthread_mutex_lock(mutex)
        isShutDown = true
        pthread_cond_broadcast(wakeup)
        while wait && liveThreads > 0 { pthread_cond_wait(allExited, mutex) }
        pthread_mutex_unlock(mutex)
    }

    /// Queues `job`, or returns why it cannot be queued.
    @usableFromInline
    func submit(_ job: @escaping Job) -> BlockingPoolError? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if isShutDown { return .shutDown(pool: name) }
        guard queue.push(job) else { return .queueFull(pool: name, capacity: queueCapacity) }
        pthread_cond_signal(wakeup)
        return nil
    }

    /// The next job, waiting for one; nil once the pool is shut down and drained.
    private func nextJob() -> Job? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if let job = queue.pop() { return job }
            if isShutDown { return nil }
            pthread_cond_wait(wakeup, mutex)
        }
    }

    private func workerLoop() {
        while let job = nextJob() { job() }
        pthread_mutex_lock(mutex)
        liveThreads -= 1
        if liveThreads == 0 { pthread_cond_broadcast(allExited) }
        pthread_mutex_unlock(mutex)
    }

    private func startThread() {
        pthread_mutex_lock(mutex)
        liveThreads += 1
        pthread_mutex_unlock(mutex)
        // The thread keeps the pool alive until it exits.
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { argument in
                Unmanaged<BlockingPool>.fromOpaque(argument!).takeRetainedValue().workerLoop()
                return nil
            }, box)
        precondition(created == 0, "pthread_create failed for \(name): \(created)")
        pthread_detach(thread)
    }
}

/// A fixed-capacity FIFO ring buffer of jobs.
struct JobQueue {
    private var slots: [BlockingPool.Job?]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) { slots = Array(repeating: nil, count: capacity) }

    /// False when full.
    mutating func push(_ job: @escaping BlockingPool.Job) -> Bool {
        guard count < slots.count else { return false }
        slots[(head + count) % slots.count] = job
        count += 1
        return true
    }

    mutating func pop() -> BlockingPool.Job? {
        guard count > 0 else { return nil }
        let job = slots[head]
        slots[head] = nil
        head = (head + 1) % slots.count
        count -= 1
        return job
    }
}
