// What one event loop owns of the server: its listening socket, its connections, its clock;
// and the balancing of new connections between the loops.

import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Everything but `openConnections` is touched only on the loop's own thread (other loops reach
/// it through `loop.execute`), which makes the unchecked `Sendable` sound.
final class LoopState: PollHandler, @unchecked Sendable {
    private let loop: EventLoop
    private let core: ServerCore
    private var listenFD: Int32?
    private var acceptPaused = false
    private var connections: [Int32: Connection] = [:]
    private var finished = false
    var date = DateCache()
    /// This loop's connections, those handed to it and not yet adopted included.
    private let openConnections = Atomic<Int>(0)
    /// Every loop of the server, this one included; set before the loops start.
    var loops: [LoopState] = []

    init(loop: EventLoop, core: ServerCore, listenFD: Int32) throws(SocketError) {
        self.loop = loop
        self.core = core
        self.listenFD = listenFD
        try loop.register(listenFD, self, .connections)
    }

    /// The listening socket is readable: accept a few pending connections, each for the loop
    /// with the fewest (the one awake is often the one busiest with a burst of new clients).
    func handle(_ event: PollEvent) {
        guard let listenFD else { return }
        acceptPending(listenFD, atMost: 4)
    }

    /// Accepts up to `limit` connections waiting in the listening socket's queue.
    private func acceptPending(_ listenFD: Int32, atMost limit: Int) {
        for _ in 0..<limit {
            guard let (fd, peer) = Socket.accept(listenFD) else { break }
            guard core.connectionOpened() || (evictLongestWaiting() && core.connectionOpened()) else {
                refuse(fd)
                continue
            }
            // While draining, a loop may already have stopped: keep the connection here.
            let target = core.isDraining ? self : loops.min { $0.load < $1.load } ?? self
            let owner = target.load < load ? target : self
            owner.openConnections.add(1, ordering: .relaxed)
            if owner === self {
                adopt(fd, peer: peer)
            } else {
                owner.loop.execute { owner.adopt(fd, peer: peer) }
            }
        }
        if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
            // Out of descriptors: stop accepting until the next tick instead of spinning.
            core.logger.error("accept: \(SocketError("accept"))")
            loop.poller.remove(listenFD)
            acceptPaused = true
        }
    }

    private var load: Int { openConnections.load(ordering: .relaxed) }

    /// Serves an accepted connection on this loop (counted in `openConnections` by the acceptor).
    private func adopt(_ fd: Int32, peer: String) {
        let connection = Connection(fd: fd, peer: peer, loop: loop, core: core, loopState: self)
        do {
            try loop.register(fd, connection, .readable)
            connections[fd] = connection
        } catch {
            connection.close()
        }
    }

    /// At the connection limit: closes this loop's connection that has waited longest for its
    /// client, if it has waited long enough; false when none has.
    private func evictLongestWaiting() -> Bool {
        let now = monotonicNanoseconds()
        guard now >= core.evictableAfter else { return false }
        let oldest = now - core.evictableAfter
        var victim: Connection?
        for connection in connections.values {
            guard let since = connection.waitingSince, since <= oldest else { continue }
            if since < victim?.waitingSince ?? .max { victim = connection }
        }
        victim?.evict()
        return victim != nil
    }

    func remove(_ connection: Connection) {
        connections[connection.fd] = nil
        openConnections.subtract(1, ordering: .relaxed)
    }

    /// Runs about every 100 ms: timeouts, paused accepting, draining at shutdown.
    func tick() {
        let now = monotonicNanoseconds()
        if acceptPaused, let listenFD, (try? loop.poller.add(listenFD, .connections)) != nil {
            acceptPaused = false
        }
        let draining = core.isDraining
        let forced = draining && now >= core.drainDeadline
        if draining, let listenFD {
            // Connections the kernel accepted before the shutdown are answered (with
            // `Connection: close`), not reset with the socket. It is shared: the last loop to
            // let go of it closes it.
            acceptPending(listenFD, atMost: .max)
            loop.deregister(listenFD)
            self.listenFD = nil
            core.listenerReleased(listenFD)
        }
        for connection in Array(connections.values) {
            if forced {
                connection.closeForShutdown()
            } else {
                if draining { connection.closeIfIdle() }
                connection.tick(now: now)
            }
        }
        // A connection handed over by another loop but not adopted yet keeps this loop running.
        if draining && load == 0 && !finished {
            finished = true
            loops = []  // the loops reference each other until they stop
            loop.stop()
            core.loopFinished()
        }
    }

    /// Over the connection cap: a short 503, best effort, then close.
    private func refuse(_ fd: Int32) {
        var message: [UInt8] = []
        ResponseEncoder.encodeRefusal(
            HTTPParseError(status: .serviceUnavailable, reason: "too many connections"), date: date.current(),
            into: &message)
        _ = message.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        close(fd)
        core.logger.warning("connection refused: the limit of \(core.configuration.maxConnections) is reached")
    }
}
