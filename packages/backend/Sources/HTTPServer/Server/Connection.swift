// One client connection, owned by one event loop: reads and parses requests, runs one at a
// time through the responder (pipelined ones wait their turn) on a task of its own that lives
// as long as the connection, writes responses in order, and enforces the timeouts of each phase
// and the bounds on what it buffers (read-ahead of pipelined requests, bodies in flight).

import Logging

#if canImport(Glibc)
    import Glibc
#endif

final class Connection: PollHandler, @unchecked Sendable {
    private enum Phase {
        /// Waiting for the first byte of a next request (keep-alive).
        case idle
        /// Receiving a request head.
        case head
        /// Receiving a request body.
        case body
        /// A request is being answered, or its response written.
        case handling
        /// Response sent, write side shut: discarding input until the peer closes.
        case lingering
    }

    let fd: Int32
    private let peer: String
    private let loop: EventLoop
    private let core: ServerCore
    private let loopState: LoopState

    // Touched only on the loop's thread and never from within an access to themselves (parsing,
    // reading and sending run no callbacks), so they skip the run-time exclusivity checks, about
    // 65 instructions per access, a dozen times per request.
    @exclusivity(unchecked) private var parser: HTTPRequestParser
    @exclusivity(unchecked) private var input: [UInt8] = []
    private var inputStart = 0
    @exclusivity(unchecked) private var output: [UInt8] = []
    private var outputSent = 0
    private var phase = Phase.idle
    private var deadline: UInt64
    private var closeAfterWrite = false
    private var finalResponseQueued = false
    private var readingPaused = false
    private var writeRegistered = false
    private var peerClosed = false
    private var closed = false
    private var requestStart: UInt64 = 0
    /// The request being answered, for the log line of a shutdown that cuts it.
    private var inFlight: (method: HTTPMethod, target: String)?
    /// Whether a request has been answered here: until then, an idle connection is one whose
    /// client has not yet sent what the kernel accepted it for.
    private var answeredAny = false
    /// Body bytes of this connection counted against the server's budget.
    private var heldBodyBytes = 0
    /// Since when the connection has been waiting for its client (accepted, or its last answer
    /// written); nil while a request is being answered.
    private(set) var waitingSince: UInt64?
    /// Whether the task answering this connection's requests, one after another, has started (with
    /// the first). Between requests it waits in `nextRequest()`, as `waitingWorker`.
    private var hasWorker = false
    private var waitingWorker: UnsafeContinuation<HTTPRequest?, Never>?
    private var nextDispatched: HTTPRequest?

    init(fd: Int32, peer: String, loop: EventLoop, core: ServerCore, loopState: LoopState) {
        self.fd = fd
        self.peer = peer
        self.loop = loop
        self.core = core
        self.loopState = loopState
        parser = HTTPRequestParser(limits: core.configuration.limits)
        let now = monotonicNanoseconds()
        deadline = now + core.idleTimeout
        waitingSince = now
    }

    /// At shutdown: closes the connection if it is idle between two requests, after answering
    /// a request that already waits in its socket (with `Connection: close`). A connection that
    /// has not sent its first request yet is left to send it, within the idle timeout.
    func closeIfIdle() {
        guard phase == .idle, answeredAny, !closed else { return }
        readAvailable()
        if phase == .idle { close() }
    }

    /// Closes the connection to make room for a new one (it has waited longest for its client):
    /// a request still arriving is told so with a 408, sent if the socket takes it at once.
    func evict() {
        if phase == .head || phase == .body {
            var bytes: [UInt8] = []
            ResponseEncoder.encodeRefusal(
                HTTPParseError(status: .requestTimeout, reason: "the server needed the connection for another client"),
                date: loopState.date.current(), into: &bytes)
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
        }
        core.logger.debug("\(peer) - closed to make room: the connection limit is reached")
        close()
    }

    /// At the end of the shutdown's grace period: closes, logging a request it cuts.
    func closeForShutdown() {
        if let inFlight, phase == .handling {
            core.logger.warning(
                "\(peer) - \"\(inFlight.method) \(inFlight.target)\" cut: the shutdown grace period is over")
        } else if phase == .head || phase == .body {
            core.logger.warning("\(peer) - a request still arriving was cut: the shutdown grace period is over")
        }
        close()
    }

    // MARK: Events

    func handle(_ event: PollEvent) {
        if event.writable { flush() }
        if !closed && (event.readable || event.hangup) { readAvailable() }
    }

    /// Called on every loop tick: enforces the deadline of the current phase.
    func tick(now: UInt64) {
        guard now >= deadline, !closed else { return }
        switch phase {
        case .idle, .lingering, .handling:
            close()
        case .head, .body:
            core.logger.debug("\(peer) - request not received in time")
            reject(HTTPParseError(status: .requestTimeout, reason: "request not received in time"))
        }
    }

    private func readAvailable() {
        let n = loop.readBuffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 {
            if phase == .lingering { return }
            input.append(contentsOf: loop.readBuffer[0..<n])
            let now = monotonicNanoseconds()
            if phase == .idle {
                phase = .head
                deadline = now + core.headerTimeout
            }
            if phase == .handling {
                // Pipelined bytes wait for the current response; stop reading if they pile up.
                if pipelinedBytes > core.configuration.maxPipelinedBytes { setReading(false) }
            } else {
                processInput()
            }
        } else if n == 0 {
            peerClosed = true
            if phase == .handling {
                setReading(false)  // answer what was asked, then close
            } else {
                close()
            }
        } else if errno != EAGAIN && errno != EINTR {
            close()
        }
    }

    // MARK: Requests

    /// Parses buffered input; dispatches the next complete request, if any.
    private func processInput() {
        guard phase != .handling && phase != .lingering && !closed else { return }
        let result = Result { () throws(HTTPParseError) in try parser.parse(input, from: inputStart) }
        switch result {
        case .failure(let error):
            reject(error)
            return
        case .success(let (request, consumed)):
            inputStart += consumed
            compactInput()
            guard holdBodyBytes() else {
                reject(
                    HTTPParseError(
                        status: .serviceUnavailable, reason: "too many request bodies in flight, retry later"))
                return
            }
            if let request {
                dispatch(request)
            } else if parser.isReadingBody {
                if phase != .body {
                    // One deadline for the whole body, not restarted by each byte.
                    phase = .body
                    deadline = monotonicNanoseconds() + core.bodyTimeout
                }
                if parser.takeContinueExpectation() { queue(ResponseEncoder.continueResponse) }
            } else if peerClosed {
                close()
            } else if phase == .idle && inputStart < input.count {
                phase = .head
                deadline = monotonicNanoseconds() + core.headerTimeout
            }
        }
    }

    private var pipelinedBytes: Int { input.count - inputStart }

    /// Counts the body being received against the server's budget (beyond the part of each body
    /// that is not counted); false when the budget has no room for it.
    private func holdBodyBytes() -> Bool {
        let counted = max(0, parser.bodyBytesHeld - core.configuration.bodyBytesPerRequest)
        guard counted > heldBodyBytes else { return true }  // held until the request is answered
        guard core.reserveBodyBytes(counted - heldBodyBytes) else { return false }
        heldBodyBytes = counted
        return true
    }

    private func releaseBodyBytes() {
        if heldBodyBytes > 0 { core.releaseBodyBytes(heldBodyBytes) }
        heldBodyBytes = 0
    }

    private func compactInput() {
        if inputStart == input.count {
            // Many connections each keeping a 64 KiB buffer from one large read add up.
            input.removeAll(keepingCapacity: input.capacity <= 16 * 1024)
            inputStart = 0
        } else if inputStart > 16 * 1024 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
    }

    private func dispatch(_ parsed: HTTPRequest) {
        var request = parsed
        request.remoteAddress = peer
        phase = .handling
        deadline = .max
        requestStart = monotonicNanoseconds()
        waitingSince = nil
        inFlight = (request.method, request.target)
        if let waiting = waitingWorker {
            waitingWorker = nil
            waiting.resume(returning: request)
        } else {
            nextDispatched = request
            if !hasWorker { startWorker() }
        }
    }

    /// The worker runs on this connection's loop (its executor preference), as everything else
    /// here does, so it reads and writes the connection's state directly.
    private func startWorker() {
        let responder = core.responder
        let logger = core.logger
        hasWorker = true
        Task(executorPreference: loop) { [self] in
            while let request = await nextRequest() {
                do {
                    let response = try await responder.respond(to: request)
                    respond(response, to: request, closeAfter: false)
                } catch {
                    logger.error("\(request.method) \(request.target): unhandled error: \(error)")
                    respond(.plainText(.internalServerError, "Internal Server Error"), to: request, closeAfter: true)
                }
            }
        }
    }

    /// The next request to answer, once dispatched; nil when the connection has closed (a request
    /// already parsed is then not answered: there is no one left to answer).
    private func nextRequest() async -> HTTPRequest? {
        if closed { return nil }
        if let request = nextDispatched {
            nextDispatched = nil
            return request
        }
        return await withUnsafeContinuation { waitingWorker = $0 }
    }

    private func respond(_ response: HTTPResponse, to request: HTTPRequest, closeAfter: Bool) {
        guard !closed else { return }
        let keepAlive =
            request.keepAlive && !closeAfter && !core.isDraining
            && response.headers["connection"]?.equalsIgnoringASCIICase("close") != true
        closeAfterWrite = !keepAlive
        var buffer: [UInt8] = []
        swap(&buffer, &output)
        ResponseEncoder.encode(
            response, headOnly: request.method == .head, keepAlive: keepAlive, version: request.version,
            date: loopState.date.current(), into: &buffer)
        swap(&buffer, &output)
        if core.configuration.accessLog && core.logger.isEnabled(.info) {
            // The container's own health checks every few seconds would drown the log at info.
            let level: Logger.Level =
                request.headers["user-agent"] == HTTPServer.healthCheckUserAgent ? .debug : .info
            let micros = (monotonicNanoseconds() - requestStart) / 1000
            core.logger.log(
                level,
                "\(peer) - \"\(request.method) \(request.target) \(request.version)\" \(response.status.code) "
                    + "\(micros / 1000).\(String(micros % 1000 + 1000).dropFirst())ms")
        }
        finalResponseQueued = true
        flush()
    }

    /// Answers a request that could not be parsed (or arrived too slowly, or found no room),
    /// then closes.
    private func reject(_ error: HTTPParseError) {
        core.logger.info("\(peer) - invalid request: \(error)")
        phase = .handling
        deadline = .max
        waitingSince = nil
        closeAfterWrite = true
        input.removeAll()
        inputStart = 0
        parser = HTTPRequestParser(limits: core.configuration.limits)  // drops a body half received
        releaseBodyBytes()
        ResponseEncoder.encodeRefusal(error, date: loopState.date.current(), into: &output)
        finalResponseQueued = true
        flush()
    }

    // MARK: Writing

    private func queue(_ bytes: [UInt8]) {
        output.append(contentsOf: bytes)
        flush()
    }

    private func flush() {
        while outputSent < output.count {
            let n = output.withUnsafeBytes {
                send(fd, $0.baseAddress! + outputSent, $0.count - outputSent, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                outputSent += n
            } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
                if errno == EAGAIN {
                    if !writeRegistered {
                        writeRegistered = true
                        updateInterest()
                    }
                    if phase == .handling { deadline = monotonicNanoseconds() + core.writeTimeout }
                    return
                }
            } else {
                close()
                return
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputSent = 0
        if writeRegistered {
            writeRegistered = false
            updateInterest()
        }
        if finalResponseQueued {
            finalResponseQueued = false
            responseWritten()
        }
    }

    private func responseWritten() {
        let now = monotonicNanoseconds()
        answeredAny = true
        waitingSince = now
        inFlight = nil
        releaseBodyBytes()
        if closeAfterWrite {
            lingeringClose()
            return
        }
        phase = .idle
        deadline = now + core.idleTimeout
        processInput()
        // Read on once what is buffered no longer exceeds the bound (the next request may be
        // answered from it alone), or a request is incomplete and needs more.
        if readingPaused && !peerClosed && !closed
            && (phase != .handling || pipelinedBytes <= core.configuration.maxPipelinedBytes)
        {
            setReading(true)
        }
    }

    // MARK: Closing

    /// Shuts the write side and drains input for a moment, so that a client still sending
    /// (a refused body, say) reads our response instead of a reset.
    private func lingeringClose() {
        if peerClosed {
            close()
            return
        }
        shutdown(fd, Int32(SHUT_WR))
        phase = .lingering
        deadline = monotonicNanoseconds() + 2_000_000_000
        input.removeAll()
        inputStart = 0
        if readingPaused { setReading(true) }
    }

    func close() {
        guard !closed else { return }
        closed = true
        releaseBodyBytes()
        waitingWorker?.resume(returning: nil)
        waitingWorker = nil
        loop.closeDescriptor(fd)
        loopState.remove(self)
        core.connectionClosed()
    }

    private func setReading(_ on: Bool) {
        readingPaused = !on
        updateInterest()
    }

    private func updateInterest() {
        var interest: PollInterest = []
        if !readingPaused { interest.insert(.readable) }
        if writeRegistered { interest.insert(.writable) }
        do {
            try loop.poller.modify(fd, interest)
        } catch {
            close()
        }
    }
}
