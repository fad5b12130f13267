// One thread, one poller: runs socket callbacks, timers, and (as a TaskExecutor) the tasks
// that answer requests, so a handler that never leaves the loop costs no thread hop.

import Synchronization

#if canImport(Glibc)
    import CLinuxShims
    import Glibc
#endif

/// Something registered with a loop for readiness events on its descriptor.
protocol PollHandler: AnyObject {
    func handle(_ event: PollEvent)
}

final class EventLoop: TaskExecutor, @unchecked Sendable {
    private enum Work {
        case job(UnownedJob)
        case closure(@Sendable () -> Void)
    }

    let poller: Poller
    // The loop's own state, touched only on its thread and never from within an access to itself
    // (no callbacks run while one is open): run-time exclusivity checks would cost about 65
    // instructions per access, several times per request.
    /// A read buffer shared by every connection of this loop.
    @exclusivity(unchecked) var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)

    private let wakeFD: Int32
    /// Work from other threads; once the loop has stopped it takes no more.
    private let remoteWork = Mutex<(work: [Work], stopped: Bool)>(([], false))
    private let wakePending = Atomic<Bool>(false)
    @exclusivity(unchecked) private var localWork: [Work] = []
    private var handlers: [PollHandler?] = []
    /// Written once, by `pthread_create` in `start`, before any other thread reads it; only read
    /// after (`inLoop`, on every executor hop), so no access can conflict with it.
    @exclusivity(unchecked) private var thread = pthread_t()
    private var running = true
    private let tickIntervalMS: Int32
    /// Runs on the loop about every `tickIntervalMS`; set before `start`.
    var onTick: () -> Void = {}

    init(tickIntervalMS: Int32 = 100) throws(SocketError) {
        poller = try Poller()
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw SocketError("eventfd") }
        self.tickIntervalMS = tickIntervalMS
        try poller.add(wakeFD, .readable)
    }

    /// Starts the loop's thread, which ends after `stop`.
    func start() throws(SocketError) {
        let box = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { arg in
                let loop = Unmanaged<EventLoop>.fromOpaque(arg!).takeRetainedValue()
                _ = pthread_setname_np(pthread_self(), "event-loop")  // as `top -H` and debuggers show it
                loop.run()
                return nil
            }, box)
        guard created == 0 else {
            Unmanaged<EventLoop>.fromOpaque(box).release()
            throw SocketError("pthread_create", code: created)
        }
        pthread_detach(thread)
    }

    var inLoop: Bool { pthread_equal(pthread_self(), thread) != 0 }

    // MARK: Registration (loop thread only)

    func register(_ fd: Int32, _ handler: PollHandler, _ interest: PollInterest) throws(SocketError) {
        if Int(fd) >= handlers.count {
            handlers += Array(repeating: nil, count: Int(fd) + 1 - handlers.count + 64)
        }
        handlers[Int(fd)] = handler
        try poller.add(fd, interest)
    }

    /// Stops watching `fd` and forgets its handler; the descriptor stays open.
    func deregister(_ fd: Int32) {
        poller.remove(fd)
        handlers[Int(fd)] = nil
    }

    /// Forgets `fd` and closes it.
    func closeDescriptor(_ fd: Int32) {
        deregister(fd)
        close(fd)
    }

    // MARK: Work from anywhere

    /// Runs `work` on the loop: now if called on it, else as soon as the loop wakes.
    func execute(_ work: @escaping @Sendable () -> Void) {
        if inLoop { work() } else { submit(.closure(work)) }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if inLoop { localWork.append(.job(job)) } else { submit(.job(job)) }
    }

    /// Asks the thread to finish after the current iteration.
    func stop() { execute { [self] in running = false } }

    private func submit(_ work: Work) {
        let accepted = remoteWork.withLock { remote in
            if !remote.stopped { remote.work.append(work) }
            return !remote.stopped
        }
        guard accepted else { return Self.abandon([work]) }
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
    }

    // MARK: The loop

    private func run() {
        var nextTick = monotonicNanoseconds() + UInt64(tickIntervalMS) * 1_000_000
        while running {
            let now = monotonicNanoseconds()
            let untilTick = nextTick > now ? Int32((nextTick - now) / 1_000_000) : 0
            poller.wait(timeoutMS: localWork.isEmpty ? untilTick : 0) { event in
                if event.fd == wakeFD {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                    wakePending.store(false, ordering: .releasing)
                } else if let handler = handlers[Int(event.fd)] {
                    handler.handle(event)
                }
            }
            localWork += remoteWork.withLock { remote in
                defer { remote.work.removeAll(keepingCapacity: true) }
                return remote.work
            }
            runLocalWork()
            if monotonicNanoseconds() >= nextTick {
                onTick()
                nextTick = monotonicNanoseconds() + UInt64(tickIntervalMS) * 1_000_000
            }
        }
        let leftover = remoteWork.withLock { remote in
            remote.stopped = true
            return remote.work
        }
        Self.abandon(localWork + leftover)
        localWork = []
    }

    /// Work for a stopped loop: tasks still waiting on it (say, a handler that outlived the
    /// shutdown grace period) finish on the global executor; closures, which touch this loop's
    /// connections, are dropped. Every connection is closed before its loop stops, so a
    /// connection's worker finishing there only finds it closed and ends.
    private static func abandon(_ work: [Work]) {
        for case .job(let job) in work { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }

    deinit {
        // Closed only here: other threads may still wake a stopped loop until the last reference goes.
        close(wakeFD)
    }

    private func runLocalWork() {
        // Work queued while running goes in the next batch, so I/O is never starved.
        var batch: [Work] = []
        swap(&batch, &localWork)
        for work in batch {
            switch work {
            case .job(let job): job.runSynchronously(on: asUnownedTaskExecutor())
            case .closure(let closure): closure()
            }
        }
    }
}

/// CLOCK_MONOTONIC in nanoseconds.
func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
