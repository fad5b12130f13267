// The server-wide state every loop and connection shares: settings, responder, counters,
// and the shutdown state.

import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

final class ServerCore: Sendable {
    let configuration: HTTPServer.Configuration
    let responder: any HTTPResponder
    let logger: Logger
    let idleTimeout: UInt64
    let headerTimeout: UInt64
    let bodyTimeout: UInt64
    let writeTimeout: UInt64
    let evictableAfter: UInt64

    private let openConnections = Atomic<Int>(0)
    /// Body bytes held against `maxBufferedBodyBytes`.
    private let bufferedBodyBytes = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)
    private let drainDeadlineNS = Atomic<UInt64>(.max)
    private let runningLoops: Atomic<Int>
    private let loopsHoldingListener: Atomic<Int>
    private let stopped: @Sendable () -> Void

    init(
        configuration: HTTPServer.Configuration, responder: any HTTPResponder, logger: Logger, loops: Int,
        stopped: @escaping @Sendable () -> Void
    ) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        idleTimeout = configuration.idleTimeout.nanoseconds
        headerTimeout = configuration.headerTimeout.nanoseconds
        bodyTimeout = configuration.bodyTimeout.nanoseconds
        writeTimeout = configuration.writeTimeout.nanoseconds
        evictableAfter = configuration.evictableAfter.nanoseconds
        runningLoops = Atomic(loops)
        loopsHoldingListener = Atomic(loops)
        self.stopped = stopped
    }

    /// Counts a new connection; false when the cap is reached (the caller refuses it).
    func connectionOpened() -> Bool { Self.take(1, from: openConnections, limit: configuration.maxConnections) }

    func connectionClosed() { openConnections.subtract(1, ordering: .relaxed) }

    /// Takes `count` more body bytes from the server's budget; false (nothing taken) when that
    /// would exceed it.
    func reserveBodyBytes(_ count: Int) -> Bool {
        Self.take(count, from: bufferedBodyBytes, limit: configuration.maxBufferedBodyBytes)
    }

    func releaseBodyBytes(_ count: Int) { bufferedBodyBytes.subtract(count, ordering: .relaxed) }

    /// Body bytes held against the budget now.
    var bodyBytesHeld: Int { bufferedBodyBytes.load(ordering: .relaxed) }

    /// Adds `amount` to `counter` unless that would take it past `limit`; true when added.
    private static func take(_ amount: Int, from counter: borrowing Atomic<Int>, limit: Int) -> Bool {
        guard counter.add(amount, ordering: .relaxed).newValue > limit else { return true }
        counter.subtract(amount, ordering: .relaxed)
        return false
    }

    var isDraining: Bool { draining.load(ordering: .acquiring) }
    var drainDeadline: UInt64 { drainDeadlineNS.load(ordering: .acquiring) }

    /// Starts the graceful shutdown; false if it had already started.
    func beginDraining(grace: Duration) -> Bool {
        drainDeadlineNS.store(monotonicNanoseconds() + grace.nanoseconds, ordering: .releasing)
        return !draining.exchange(true, ordering: .acquiringAndReleasing)
    }

    /// A loop stopped watching the listening socket; the last one closes it.
    func listenerReleased(_ fd: Int32) {
        if loopsHoldingListener.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { close(fd) }
    }

    func loopFinished() {
        if runningLoops.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { stopped() }
    }
}

extension Duration {
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
