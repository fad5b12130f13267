// A bounded pool of OS threads that runs blocking closures (SQLite, argon2) for async callers.
//
// `await pool.run { ... }` suspends the caller (its thread goes back to its event loop or executor)
// while one of the pool's threads runs the closure; the closure's result or error is handed back.
// Jobs wait in a FIFO queue of fixed capacity: when it is full, `run` fails at once with
// `BlockingPoolError.queueFull` instead of piling up work. Idle threads sleep on a condition
// variable; nothing polls.
//
// A pool may instead give each thread a resource of its own (a database connection): jobs then
// take the resource of whichever thread runs them, so a job waiting in the queue is picked up the
// moment any thread is free, with no lending round trip through the caller's executor.

#if canImport(Glibc)
    import CLinuxShims
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
    /// A job gets the resource of the thread that runs it (nil in a pool without resources).
    @usableFromInline typealias Job = @Sendable (_ resource: AnyObject?) -> Void

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
    /// Callers of `shutdownAndWait()`, resumed when the last thread exits.
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []

    /// Starts `threads` threads; at most `queueCapacity` jobs may wait for one.
    public convenience init(name: String, threads: Int, queueCapacity: Int) {
        self.init(name: name, resources: Array(repeating: nil, count: threads), queueCapacity: queueCapacity)
    }

    /// Starts one thread per resource, its only user; jobs run with `run(using:)` or `execute(using:)`.
    public convenience init(name: String, owning resources: [AnyObject & Sendable], queueCapacity: Int) {
        self.init(name: name, resources: resources, queueCapacity: queueCapacity)
    }

    private init(name: String, resources: [(AnyObject & Sendable)?], queueCapacity: Int) {
        precondition(!resources.isEmpty && queueCapacity > 0, "a pool needs at least one thread and one queue slot")
        self.name = name
        self.threadCount = resources.count
        self.queueCapacity = queueCapacity
        self.queue = JobQueue(capacity: queueCapacity)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wakeup, nil)
        pthread_cond_init(allExited, nil)
        for resource in resources { startThread(owning: resource) }
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
            let rejection = submit { _ in continuation.resume(with: Result(catching: work)) }
            if let rejection { continuation.resume(throwing: rejection) }
        }
    }

    /// Runs `work` on the first free thread of a pool made `owning:` resources of type `Resource`,
    /// with that thread's resource.
    @inlinable
    public func run<Resource: AnyObject & Sendable, T: Sendable>(
        using _: Resource.Type, _ work: @escaping @Sendable (Resource) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let rejection = submit { resource in
                let resource = self.owned(resource, as: Resource.self)
                continuation.resume(with: Result { try work(resource) })
            }
            if let rejection { continuation.resume(throwing: rejection) }
        }
    }

    /// Queues `work` for the first free thread and returns without waiting for it.
    public func execute(_ work: @escaping @Sendable () -> Void) throws(BlockingPoolError) {
        if let rejection = submit({ _ in work() }) { throw rejection }
    }

    /// Queues `work` for the first free thread of a pool made `owning:` resources of type `Resource`,
    /// with that thread's resource, and returns without waiting for it.
    public func execute<Resource: AnyObject & Sendable>(
        using _: Resource.Type, _ work: @escaping @Sendable (Resource) -> Void
    ) throws(BlockingPoolError) {
        let rejection = submit { resource in work(self.owned(resource, as: Resource.self)) }
        if let rejection { throw rejection }
    }

    /// A thread's resource as the `Resource` a job asked for (a job asking for another type is a bug).
    @inlinable
    func owned<Resource: AnyObject>(_ resource: AnyObject?, as _: Resource.Type) -> Resource {
        guard let resource = resource as? Resource else {
            preconditionFailure("\(name): its threads own no \(Resource.self)")
        }
        return resource
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

    /// `shutdown()`, then suspends until every thread has exited, so that no job uses a
    /// resource any more (never call it from one of the pool's own threads).
    public func shutdownAndWait() async {
        await withCheckedContinuation { continuation in
            pthread_mutex_lock(mutex)
            isShutDown = true
            pthread_cond_broadcast(wakeup)
            let exited = liveThreads == 0
            if !exited { exitWaiters.append(continuation) }
            pthread_mutex_unlock(mutex)
            if exited { continuation.resume() }
        }
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

    private func workerLoop(resource: AnyObject?) {
        while let job = nextJob() { job(resource) }
        pthread_mutex_lock(mutex)
        liveThreads -= 1
        var waiters: [CheckedContinuation<Void, Never>] = []
        if liveThreads == 0 {
            pthread_cond_broadcast(allExited)
            swap(&waiters, &exitWaiters)
        }
        pthread_mutex_unlock(mutex)
        for waiter in waiters { waiter.resume() }
    }

    private func startThread(owning resource: AnyObject?) {
        pthread_mutex_lock(mutex)
        liveThreads += 1
        pthread_mutex_unlock(mutex)
        // The thread keeps the pool (and its resource) alive until it exits.
        let box = Unmanaged.passRetained(ThreadStart(pool: self, resource: resource)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { argument in
                let start = Unmanaged<ThreadStart>.fromOpaque(argument!).takeRetainedValue()
                // Named after the pool, as `top -H` and debuggers show it (Linux keeps 15 bytes).
                _ = pthread_setname_np(pthread_self(), String(start.pool.name.utf8.prefix(15)) ?? "pool")
                start.pool.workerLoop(resource: start.resource)
                return nil
            }, box)
        precondition(created == 0, "pthread_create failed for \(name): \(created)")
        pthread_detach(thread)
    }
}

/// What a new thread starts with: its pool and the resource it owns, if any.
private final class ThreadStart {
    let pool: BlockingPool
    let resource: AnyObject?

    init(pool: BlockingPool, resource: AnyObject?) {
        self.pool = pool
        self.resource = resource
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
