// BlockingPool: results and errors come back, work can be queued without waiting for it,
// concurrency stays within the thread count, a full queue rejects at once, shutdown drains queued jobs before refusing new ones, and a thread that
// owns a resource is its only user.

import Dispatch
import Foundation
import Glibc
import Synchronization
import Testing
import Workers

/// Shared mutable test state.
final class Shared<Value: Sendable>: Sendable {
    let state: Mutex<Value>
    init(_ value: Value) { state = Mutex(value) }
}

struct BlockingPoolTests {
    struct Failure: Error, Equatable {}

    @Test func returnsResultsAndPropagatesErrors() async throws {
        let pool = BlockingPool(name: "test", threads: 2, queueCapacity: 8)
        defer { pool.shutdown() }
        #expect(try await pool.run { 6 * 7 } == 42)
        await #expect(throws: Failure()) { try await pool.run { throw Failure() } }
    }

    /// `execute` queues work without waiting for it: the work runs on a thread of the pool (with
    /// that thread's resource, when asked for), and a pool that is shut down refuses it.
    @Test func executeRunsWorkOnThePoolWithoutWaiting() async throws {
        final class Box: Sendable { let name: String; init(_ name: String) { self.name = name } }
        let pool = BlockingPool(name: "exec-test", owning: [Box("resource")], queueCapacity: 4)
        let done = DispatchSemaphore(value: 0)
        let seen = Shared<[String]>([])
        try pool.execute {
            seen.state.withLock { $0.append(Self.threadName()) }
            done.signal()
        }
        try pool.execute(using: Box.self) { box in
            seen.state.withLock { $0.append(box.name) }
            done.signal()
        }
        let waiter = BlockingPool(name: "waiter", threads: 1, queueCapacity: 1)
        defer { waiter.shutdown() }
        try await waiter.run {
            done.wait()
            done.wait()
        }
        #expect(seen.state.withLock { $0 } == ["exec-test", "resource"])
        await pool.shutdownAndWait()
        #expect(throws: BlockingPoolError.shutDown(pool: "exec-test")) { try pool.execute {} }
    }

    static func threadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func runsAtMostThreadCountJobsAtOnce() async throws {
        let pool = BlockingPool(name: "test", threads: 3, queueCapacity: 64)
        defer { pool.shutdown() }
        let counters = Shared((running: 0, peak: 0))
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for job in 0..<40 {
                group.addTask {
                    try await pool.run {
                        counters.state.withLock {
                            $0.running += 1; $0.peak = max($0.peak, $0.running)
                        }
                        usleep(2000)
                        counters.state.withLock { $0.running -= 1 }
                        return job
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(total == (0..<40).reduce(0, +))
        #expect(counters.state.withLock { $0.peak } <= 3)
    }

    @Test func waitingCallersDoNotHoldTheirThreads() async throws {
        // 32 jobs block until this task releases them. Were each awaiting caller parked on a thread of the
        // (few-threaded) cooperative pool, this task could never run to release them.
        let pool = BlockingPool(name: "wide", threads: 32, queueCapacity: 32)
        defer { pool.shutdown() }
        let gate = DispatchSemaphore(value: 0)
        let released = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<32 {
                group.addTask { try await pool.run { gate.wait(timeout: .now() + 10) == .success } }
            }
            for _ in 0..<32 { gate.signal() }
            return try await group.reduce(true) { $0 && $1 }
        }
        #expect(released)
    }

    @Test func rejectsWhenTheQueueIsFull() async throws {
        let pool = BlockingPool(name: "tiny", threads: 1, queueCapacity: 1)
        let helper = BlockingPool(name: "helper", threads: 1, queueCapacity: 1)
        defer {
            pool.shutdown()
            helper.shutdown()
        }
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        async let blocker: Void = pool.run {
            started.signal()
            release.wait()
        }
        try await helper.run { started.wait() }
        // The only thread is busy: of two more jobs one takes the only queue slot, the other is refused now.
        try await withThrowingTaskGroup(of: Result<String, BlockingPoolError>.self) { group in
            for name in ["b", "c"] {
                group.addTask {
                    do { return .success(try await pool.run { name }) } catch let error as BlockingPoolError {
                        return .failure(error)
                    }
                }
            }
            let first = try await group.next()
            #expect(first == .failure(.queueFull(pool: "tiny", capacity: 1)))
            release.signal()
            let second = try await group.next()
            #expect(second.flatMap { try? $0.get() } != nil)
        }
        try await blocker
    }

    /// A resource that records which thread uses it, and whether two jobs ever overlap on it.
    final class Resource: Sendable {
        let id: Int
        let use = Mutex((threads: Set<UInt>(), busy: false, overlapped: false))
        init(id: Int) { self.id = id }
    }

    @Test func eachThreadIsTheOnlyUserOfItsResource() async throws {
        let resources = (0..<3).map(Resource.init)
        let pool = BlockingPool(name: "owning", owning: resources, queueCapacity: 256)
        defer { pool.shutdown() }
        let used = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<120 {
                group.addTask {
                    try await pool.run(using: Resource.self) { resource in
                        resource.use.withLock {
                            $0.threads.insert(UInt(pthread_self()))
                            if $0.busy { $0.overlapped = true }
                            $0.busy = true
                        }
                        usleep(200)
                        resource.use.withLock { $0.busy = false }
                        return resource.id
                    }
                }
            }
            return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        #expect(used == [0, 1, 2])
        let threads = resources.map { $0.use.withLock { $0.threads } }
        #expect(threads.allSatisfy { $0.count == 1 })
        #expect(Set(threads.flatMap { $0 }).count == 3)
        #expect(resources.allSatisfy { !$0.use.withLock { $0.overlapped } })
    }

    /// Jobs accepted before the shutdown all finish before `shutdownAndWait()` returns; later ones
    /// are refused.
    @Test func shutdownAndWaitReturnsOnceAcceptedJobsAreDone() async throws {
        let pool = BlockingPool(name: "draining", owning: [Resource(id: 0)], queueCapacity: 16)
        let finished = Shared(0)
        let jobs = (0..<5).map { _ in
            Task {
                do {
                    try await pool.run(using: Resource.self) { _ in
                        usleep(2000)
                        finished.state.withLock { $0 += 1 }
                    }
                    return true
                } catch BlockingPoolError.shutDown(_) {
                    return false
                }
            }
        }
        while finished.state.withLock({ $0 }) == 0 { await Task.yield() }
        await pool.shutdownAndWait()
        let finishedBeforeReturn = finished.state.withLock { $0 }
        var accepted = 0
        for job in jobs {
            if try await job.value { accepted += 1 }
        }
        #expect(accepted == finishedBeforeReturn && accepted >= 1)
        await #expect(throws: BlockingPoolError.shutDown(pool: "draining")) {
            try await pool.run(using: Resource.self) { $0.id }
        }
        await pool.shutdownAndWait()  // again: returns at once
    }

    /// Threads are named after their pool (cut to Linux's 15 bytes), as `top -H` shows them.
    @Test func threadsAreNamedAfterTheirPool() async throws {
        let pool = BlockingPool(name: "named-pool-with-a-long-name", threads: 1, queueCapacity: 1)
        defer { pool.shutdown() }
        let name = try await pool.run { try String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8) }
        #expect(name == "named-pool-with\n")
    }

    @Test func shutdownFinishesQueuedJobsThenRefusesNewOnes() async throws {
        let pool = BlockingPool(name: "closing", threads: 1, queueCapacity: 16)
        let finished = Shared(0)
        let jobs = (0..<5).map { _ in
            Task {
                try await pool.run {
                    usleep(1000); finished.state.withLock { $0 += 1 }
                }
            }
        }
        for job in jobs { try await job.value }
        pool.shutdown(wait: true)
        #expect(finished.state.withLock { $0 } == 5)
        await #expect(throws: BlockingPoolError.shutDown(pool: "closing")) { try await pool.run { 1 } }
    }
}
