// What one event loop owns of the server: its listening socket, its connections, its clock.

import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

final class LoopState: PollHandler {
    private let loop: EventLoop
    private let core: ServerCore
    private var listenFD: Int32?
    private var acceptPaused = false
    private var connections: [Int32: Connection] = [:]
    private var finished = false
    var date = DateCache()

    init(loop: EventLoop, core: ServerCore, listenFD: Int32) throws(SocketError) {
        self.loop = loop
        self.core = core
        self.listenFD = listenFD
        try loop.register(listenFD, self, .connections)
    }

    /// The listening socket is readable: accept a few pending connections. Taking only a few
    /// per wake-up leaves the rest to the other loops, which spreads connections over the cores.
    func handle(_ event: PollEvent) {
        guard let listenFD else { return }
        for _ in 0..<4 {
            guard let (fd, peer) = Socket.accept(listenFD) else { break }
            guard core.connectionOpened() else {
                refuse(fd)
                continue
            }
            let connection = Connection(fd: fd, peer: peer, loop: loop, core: core, loopState: self)
            do {
                try loop.register(fd, connection, .readable)
                connections[fd] = connection
            } catch {
                connection.close()
            }
        }
        if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
            // Out of descriptors: stop accepting until the next tick instead of spinning.
            core.logger.error("accept: \(SocketError("accept"))")
            loop.poller.remove(listenFD)
            acceptPaused = true
        }
    }

    func remove(_ connection: Connection) {
        connections[connection.fd] = nil
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
            // The socket is shared: the last loop to let go of it closes it.
            loop.deregister(listenFD)
            self.listenFD = nil
            core.listenerReleased(listenFD)
        }
        for connection in Array(connections.values) {
            if forced || (draining && connection.isIdle) {
                connection.close()
            } else {
                connection.tick(now: now)
            }
        }
        if draining && connections.isEmpty && !finished {
            finished = true
            loop.stop()
            core.loopFinished()
        }
    }

    /// Over the connection cap: a short 503, best effort, then close.
    private func refuse(_ fd: Int32) {
        let message = Array(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 41\r\nconnection: close\r\n\r\nService Unavailable: too many connections"
                .utf8)
        _ = message.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        close(fd)
        core.logger.warning("connection refused: the limit of \(core.configuration.maxConnections) is reached")
    }
}
