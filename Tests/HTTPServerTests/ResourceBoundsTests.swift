// What a hostile or careless client cannot make the server hold: unread answers to pipelined
// requests, a body trickled for ever, more request bodies in flight than the budget, and what
// the kernel had accepted when a shutdown began.

import Glibc
import Logging
import Synchronization
import Testing

@testable import HTTPServer

@Suite struct ResourceBoundsTests {
    /// A client that pipelines requests faster than they are answered: the server reads no
    /// more than its bound ahead of the request it answers, so what the client has sent beyond
    /// the answers it got stays within that bound plus the kernel's socket buffers. (Each answer
    /// written let the server read another 64 KiB before: 3 million requests took 700 MB.)
    @Test func aClientThatSendsFasterThanItIsAnsweredIsNotReadWithoutBound() async throws {
        let t = try TestServer(echo)
        let client = try RawClient(port: t.port)
        // Answered after a millisecond each: the client can always send faster.
        let request = Array("GET /delay/1 HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        let answerLength = try answerSize(port: t.port, request: request)
        let received = Atomic<Int>(0)
        let fd = client.fd
        let reader = Task.detached {  // takes every answer as it comes, until the socket is shut
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while case let n = buffer.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, 0) }), n > 0 {
                received.add(n, ordering: .relaxed)
            }
        }
        let burst = Array([[UInt8]](repeating: request, count: 2048).joined())
        var sentBytes = 0
        var mostUnanswered = 0
        while received.load(ordering: .relaxed) / answerLength < 1000 && mostUnanswered < 64 << 20 {
            let n = burst.withUnsafeBytes {
                Glibc.send(
                    client.fd, $0.baseAddress! + sentBytes % request.count, $0.count - request.count,
                    Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            }
            if n > 0 {
                sentBytes += n
            } else {
                var descriptor = pollfd(fd: client.fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&descriptor, 1, 100)
            }
            let answered = received.load(ordering: .relaxed) / answerLength
            mostUnanswered = max(mostUnanswered, sentBytes - answered * request.count)
        }
        shutdown(client.fd, Int32(SHUT_RDWR))
        await reader.value
        // The server's 64 KiB and the sockets' buffers (a few MB on loopback).
        #expect(mostUnanswered < 16 << 20, "\(mostUnanswered) bytes of requests were sent unanswered")
        await t.stop()
    }

    /// The body has one deadline from the end of the head: a byte every 100 ms does not restart it.
    @Test func aTrickledBodyGets408AtTheBodyDeadline() async throws {
        let t = try TestServer(configure: { $0.bodyTimeout = .milliseconds(500) }, echo)
        let client = try RawClient(port: t.port)
        client.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        var sent = 0
        var status: Int?
        while sent < 60 && status == nil {
            client.send("x")
            sent += 1
            try await Task.sleep(for: .milliseconds(100))
            var byte: UInt8 = 0
            if recv(client.fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) == 1 { status = client.readResponse()?.status }
        }
        #expect(status == 408, "no 408 after \(sent) bytes trickled over \(sent * 100) ms")
        await t.stop()
    }

    /// Bodies beyond each request's first 8 KiB share one budget: a request that finds it full
    /// gets a 503 with Retry-After, the others finish, and small bodies never compete.
    @Test func bodiesInFlightShareOneBudget() async throws {
        let t = try TestServer(
            configure: {
                $0.maxBufferedBodyBytes = 70 * 1024
                $0.bodyBytesPerRequest = 8 * 1024
            }, echo)
        let chunk = String(repeating: "a", count: 40 * 1024)
        var uploads: [RawClient] = []
        for held in [32 * 1024, 64 * 1024] {
            let client = try RawClient(port: t.port)
            client.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: \(40 * 1024 + 10)\r\n\r\n" + chunk)
            uploads.append(client)
            // What is allocated for the body beyond its first 8 KiB, once 40 KiB of it came: about
            // 32 KiB (an allocation is rounded, and may already take the declared length).
            let around = held - 64..<held + 64
            for _ in 0..<500 where !around.contains(t.server.bodyBytesHeld) {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(around.contains(t.server.bodyBytesHeld))
        }
        let refused = try RawClient(port: t.port)
        refused.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: \(40 * 1024 + 10)\r\n\r\n" + chunk)
        let answer = try #require(refused.readResponse())
        #expect(answer.status == 503)
        #expect(answer.headers["retry-after"] == "1")
        #expect(answer.headers["content-type"] == "application/json")
        #expect(answer.body == #"{"detail":"Service Unavailable: too many request bodies in flight, retry later"}"#)
        let small = try RawClient(port: t.port)
        small.send("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
        #expect(small.readResponse()?.body == "POST /small hello")
        for upload in uploads {
            upload.send("0123456789")
            #expect(upload.readResponse()?.status == 200)
        }
        // Released once each answer is written, which the client may see just before.
        for _ in 0..<500 where t.server.bodyBytesHeld != 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(t.server.bodyBytesHeld == 0)
        await t.stop()
    }

    /// Connections the kernel accepted while the server was busy, and a request already sent on an
    /// idle keep-alive connection, are answered (with `Connection: close`) when a shutdown begins.
    @Test func aShutdownAnswersWhatTheKernelAlreadyAccepted() async throws {
        let blocking = Atomic<Bool>(false)
        let release = Atomic<Bool>(false)
        let t = try TestServer(
            configure: {
                $0.eventLoops = 1
                $0.idleTimeout = .seconds(60)  // the test's own task may wait long for a thread
            }
        ) { request in
            if request.path == "/block" {
                blocking.store(true, ordering: .releasing)
                // Holds the only event loop's thread: nothing is accepted or read meanwhile.
                while !release.load(ordering: .acquiring) { usleep(1000) }
            }
            return .plainText(.ok, "done \(request.path)")
        }
        let keptAlive = try RawClient(port: t.port, timeoutSeconds: 60)
        keptAlive.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(keptAlive.readResponse()?.body == "done /first")
        let blocker = try RawClient(port: t.port, timeoutSeconds: 60)
        blocker.send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n")
        while !blocking.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
        keptAlive.send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n")
        let queued = try (0..<20).map { index in
            let client = try RawClient(port: t.port, timeoutSeconds: 60)  // completed by the kernel, not yet accepted
            client.send("GET /queued/\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
            return client
        }
        // A grace period no wait of this test's own task for a thread can outlast (it can wait
        // seconds on a machine busy with other tests), so nothing is cut for lack of time.
        t.server.shutdown(gracePeriod: .seconds(120))
        // Long enough for the loop's periodic work (every 100 ms) to be due when it is released:
        // it then finds the shutdown begun before it has accepted or read anything more.
        try await Task.sleep(for: .milliseconds(250))
        release.store(true, ordering: .releasing)
        #expect(blocker.readResponse()?.body == "done /block")
        let second = keptAlive.readResponse()
        #expect(second?.body == "done /second")
        #expect(second?.headers["connection"] == "close")
        for (index, client) in queued.enumerated() {
            let response = client.readResponse()
            #expect(response?.body == "done /queued/\(index)")
            #expect(response?.headers["connection"] == "close")
        }
        await t.server.waitUntilStopped()
    }

    /// A request still running when the grace period ends is cut, and the log says which.
    @Test func aRequestCutAtTheGraceLimitIsLoggedAsAWarning() async throws {
        let lines = Mutex<[(Logger.Level, String)]>([])
        let logger = Logger(level: .info) { level, message in lines.withLock { $0.append((level, message)) } }
        let started = Atomic<Bool>(false)
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.accessLog = false
        let server = HTTPServer(
            configuration: configuration,
            responder: ClosureResponder { _ in
                started.store(true, ordering: .releasing)
                // Far longer than the test's own task may wait for a thread on a busy machine.
                try await Task.sleep(for: .seconds(60))
                return .plainText(.ok, "late")
            }, logger: logger)
        let port = try server.start()
        let client = try RawClient(port: port)
        client.send("GET /long/work?x=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        while !started.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
        server.shutdown(gracePeriod: .milliseconds(100))
        await server.waitUntilStopped()
        #expect(client.readResponse() == nil)
        let warnings = lines.withLock { $0.filter { $0.0 == .warning }.map(\.1) }
        #expect(warnings.contains { $0.contains("\"GET /long/work?x=1\" cut: the shutdown grace period is over") })
    }

    /// The length of the answer to `request`, from one sent on a connection of its own.
    private func answerSize(port: Int, request: [UInt8]) throws -> Int {
        let probe = try RawClient(port: port)
        probe.send(request)
        let response = try #require(probe.readResponse())
        let head =
            "HTTP/1.1 \(response.status) OK\r\n" + response.headers.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n"
        return head.utf8.count + response.body.utf8.count
    }
}

@Suite struct ConnectionLimitTests {
    /// At the limit, the connection that has waited longest for its client (a request trickling
    /// in) makes room for a new one, with a 408; a slow client cannot hold every slot.
    @Test func atTheLimitTheLongestWaitingConnectionMakesRoom() async throws {
        let t = try TestServer(
            configure: {
                $0.maxConnections = 3
                $0.evictableAfter = .zero
                $0.eventLoops = 1
            }, echo)
        let tricklers = try (0..<3).map { _ in
            let client = try RawClient(port: t.port)
            // The interim 100 says the server has read the head: the body is what is awaited.
            client.send("POST /slow HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n")
            #expect(client.readResponse()?.status == 100)
            client.send("x")
            return client
        }
        let newcomer = try RawClient(port: t.port)
        newcomer.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(newcomer.readResponse()?.status == 200)
        let evicted = tricklers[0].readResponse()
        #expect(evicted?.status == 408)
        #expect(evicted?.body == #"{"detail":"Request Timeout: the server needed the connection for another client"}"#)
        await t.stop()
    }

    /// Connections that are all being answered, or have waited less than `evictableAfter`, are
    /// not closed for a newcomer: it gets the 503.
    @Test func busyOrRecentConnectionsAreNotEvicted() async throws {
        let t = try TestServer(configure: { $0.maxConnections = 2 }, echo)
        let busy = try RawClient(port: t.port)
        busy.send("GET /delay/1000 HTTP/1.1\r\nHost: x\r\n\r\n")
        let recent = try RawClient(port: t.port)
        recent.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(recent.readResponse()?.status == 200)
        let refused = try RawClient(port: t.port)
        let answer = refused.readResponse()
        #expect(answer?.status == 503)
        #expect(answer?.headers["retry-after"] == "1")
        #expect(busy.readResponse()?.status == 200)
        await t.stop()
    }
}
