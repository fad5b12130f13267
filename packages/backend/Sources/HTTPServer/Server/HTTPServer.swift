// The HTTP/1.1 server: listening sockets, one event loop per core, graceful shutdown.

import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

public final class HTTPServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks an ephemeral port; `start` returns the one bound.
        public var port = 8000
        /// Event-loop threads; defaults to the number of cores.
        public var eventLoops = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        public var limits = HTTPParserLimits()
        /// An idle keep-alive connection is closed after this (uvicorn's default).
        public var idleTimeout = Duration.seconds(5)
        /// A request head must arrive within this of its first byte, else 408.
        public var headerTimeout = Duration.seconds(10)
        /// A request's body must arrive whole within this of its head, else 408: a total, so that
        /// a body trickled a byte at a time cannot hold a connection for ever.
        public var bodyTimeout = Duration.seconds(30)
        /// A client that reads none of a response for this long is cut off.
        public var writeTimeout = Duration.seconds(30)
        /// Connections beyond this are answered 503 and closed, unless one has waited at least
        /// `evictableAfter` for its client (a request trickling in, an idle keep-alive, a client
        /// that never spoke): the one that has waited longest is then closed to make room (with
        /// a 408 if a request was arriving), so slow clients cannot hold every slot.
        public var maxConnections = 10_000
        public var evictableAfter = Duration.seconds(2)
        /// Input read ahead of the request being answered (pipelined requests), per connection:
        /// past it the connection is not read until its answers are taken (backpressure).
        public var maxPipelinedBytes = 64 * 1024
        /// Bytes of request bodies still arriving that all connections may hold together, beyond
        /// the first `bodyBytesPerRequest` of each: past it a request is answered 503 with
        /// `Retry-After` and closed, so that many slow uploads cannot exhaust memory.
        public var maxBufferedBodyBytes = 64 << 20
        /// The part of each body not counted against `maxBufferedBodyBytes`: the API's bodies
        /// are smaller than this, so they never compete with large uploads for the budget.
        public var bodyBytesPerRequest = 8 * 1024
        /// At shutdown, in-flight requests get this long to finish.
        public var shutdownGracePeriod = Duration.seconds(8)
        /// One log line per request, at info level.
        public var accessLog = true
        /// Bind with SO_REUSEPORT, so that a successor process can listen on the same port while
        /// this one drains (`serve --reload`). Off by default: it lets any process of the same
        /// user share the port.
        public var reusePort = false

        public init() {}
    }

    /// The `User-Agent` of `backend healthcheck`: its requests are logged at debug, not info.
    public static let healthCheckUserAgent = "backend-healthcheck"

    public let configuration: Configuration
    private let core: ServerCore
    private let stopped = StopSignal()
    private let boundPort = Atomic<Int>(0)

    public init(configuration: Configuration = Configuration(), responder: any HTTPResponder, logger: Logger = Logger())
    {
        self.configuration = configuration
        core = ServerCore(
            configuration: configuration, responder: responder, logger: logger,
            loops: configuration.eventLoops, stopped: stopped.fire)
    }

    /// Bytes of request bodies still arriving held against `maxBufferedBodyBytes` (diagnostics).
    var bodyBytesHeld: Int { core.bodyBytesHeld }

    /// The port listened on, once started.
    public var port: Int { boundPort.load(ordering: .acquiring) }

    /// Binds and starts the event loops; returns the bound port.
    @discardableResult
    public func start() throws(SocketError) -> Int {
        let listener = try Socket.listen(
            host: configuration.host, port: configuration.port, reusePort: configuration.reusePort)
        var loops: [EventLoop] = []
        var states: [LoopState] = []
        do {
            for _ in 0..<configuration.eventLoops {
                let loop = try EventLoop()
                let loopState = try LoopState(loop: loop, core: core, listenFD: listener)
                loop.onTick = { loopState.tick() }
                loops.append(loop)
                states.append(loopState)
            }
            for state in states { state.loops = states }
            for loop in loops { try loop.start() }
        } catch {
            close(listener)
            throw error
        }
        let port = Socket.localPort(listener)
        boundPort.store(port, ordering: .releasing)
        core.logger.info(
            "Server listening on http://\(configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host):\(port)"
        )
        return port
    }

    /// Begins a graceful shutdown: stop accepting, close idle connections, let in-flight
    /// requests finish within the grace period. Returns at once; `waitUntilStopped` waits.
    public func shutdown(gracePeriod: Duration? = nil) {
        guard core.beginDraining(grace: gracePeriod ?? configuration.shutdownGracePeriod) else { return }
        core.logger.info("Shutting down: finishing in-flight requests")
    }

    /// Returns when every loop has finished after `shutdown`.
    public func waitUntilStopped() async {
        await stopped.wait()
    }
}

/// A one-shot event that any number of tasks can await.
final class StopSignal: Sendable {
    private let state = Mutex<(fired: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    @Sendable func fire() {
        let waiters = state.withLock { state in
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let fired = state.withLock { state in
                if !state.fired { state.waiters.append(continuation) }
                return state.fired
            }
            if fired { continuation.resume() }
        }
    }
}
