// The server over real loopback sockets: keep-alive, pipelining, bodies, limits, timeouts,
// isolation of slow handlers, errors, connection cap and graceful shutdown.

import Glibc
import Synchronization
import Testing

@testable import HTTPServer

@Suite struct ServerTests {
    @Test func keepAliveServesManyRequestsOnOneConnection() async throws {
        let t = try TestServer(echo)
        let client = try RawClient(port: t.port)
        for i in 0..<20 {
            client.send("GET /n/\(i) HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 200)
            #expect(response.body == "GET /n/\(i) ")
            #expect(response.headers["date"]?.hasSuffix(" GMT") == true)
            #expect(response.headers["connection"] == nil)
        }
        await t.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let t = try TestServer(echo)
        let client = try RawClient(port: t.port)
        client.send(
            "GET /delay/300 HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz"
                + "GET /delay/0 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(client.readResponse()?.body == "slept 300")
        #expect(client.readResponse()?.body == "POST /b xyz")
        #expect(client.readResponse()?.body == "slept 0")
        await t.stop()
    }

    @Test func chunkedBodiesAreDecoded() async throws {
        let t = try TestServer(echo)
        let client = try RawClient(port: t.port)
        client.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n")
        client.send("5\r\npedia\r\n0\r\n\r\n")
        #expect(client.readResponse()?.body == "POST /c Wikipedia")
        await t.stop()
    }

    @Test func expectContinueGetsAnInterimResponse() async throws {
        let t = try TestServer(echo)
        let client = try RawClient(port: t.port)
        client.send("PUT /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        #expect(client.readResponse()?.status == 100)
        client.send("data")
        #expect(client.readResponse()?.body == "PUT /e data")
        await t.stop()
    }

    @Test func headAnswersWithoutBody() async throws {
        let t = try TestServer(echo)
        let client = try RawClient(port: t.port)
        client.send("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try #require(client.readResponse(headRequest: true))
        #expect(head.headers["content-length"] == "8")
        #expect(head.body.isEmpty)
        #expect(client.readResponse()?.body == "GET /after ")
        await t.stop()
    }

    /// A header value made from user data cannot end its line early: CR, LF and NUL become spaces.
    @Test func headerValuesCannotAddHeadersOfTheirOwn() async throws {
        let t = try TestServer { request in
            var response = HTTPResponse.plainText(.ok, "body")
            response.headers.add("subject", "for evil\r\nX-Injected: yes\u{0}\nend")
            return response
        }
        let client = try RawClient(port: t.port)
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.headers["subject"] == "for evil  X-Injected: yes  end")
        #expect(response.headers["x-injected"] == nil)
        #expect(response.body == "body")
        await t.stop()
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() async throws {
        let t = try TestServer(echo)
        let client = try RawClient(port: t.port)
        client.send("GET /k HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(client.readResponse()?.headers["connection"] == "keep-alive")
        client.send("GET /c HTTP/1.0\r\n\r\n")
        #expect(client.readResponse()?.headers["connection"] == "close")
        #expect(client.isClosedByServer())
        await t.stop()
    }

    @Test func oversizedBodyIs413WithoutReadingIt() async throws {
        let t = try TestServer(echo)
        let client = try RawClient(port: t.port)
        client.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 413)
        #expect(response.headers["connection"] == "close")
        #expect(response.body.contains("body too large"))
        #expect(client.isClosedByServer())
        await t.stop()
    }

    @Test(arguments: [
        ("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 17000))\r\n\r\n", 431),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", 400),
    ])
    func badRequestsGetTheirStatusAndAClosedConnection(request: String, expected: Int) async throws {
        let t = try TestServer(echo)
        let client = try RawClient(port: t.port)
        client.send(request)
        let response = try #require(client.readResponse())
        #expect(response.status == expected)
        #expect(response.headers["connection"] == "close")
        #expect(client.isClosedByServer())
        await t.stop()
    }

    @Test func slowHeadersAreCutOff() async throws {
        let t = try TestServer(configure: { $0.headerTimeout = .milliseconds(300) }, echo)
        let client = try RawClient(port: t.port)
        client.send("GET / HTTP/1.1\r\nHost: x\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 408)
        #expect(client.isClosedByServer())
        await t.stop()
    }

    @Test func idleKeepAliveConnectionsAreClosed() async throws {
        let t = try TestServer(configure: { $0.idleTimeout = .milliseconds(300) }, echo)
        let client = try RawClient(port: t.port)
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(client.readResponse()?.status == 200)
        #expect(client.isClosedByServer())
        await t.stop()
    }

    @Test func aSlowHandlerDoesNotDelayOtherConnections() async throws {
        let t = try TestServer(configure: { $0.eventLoops = 1 }, echo)
        let slow = try RawClient(port: t.port)
        slow.send("GET /delay/2000 HTTP/1.1\r\nHost: x\r\n\r\n")
        let fast = try RawClient(port: t.port)
        fast.send("GET /quick HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(fast.readResponse()?.body == "GET /quick ")
        // The fast answer came while the slow one is still being computed.
        var byte: UInt8 = 0
        #expect(recv(slow.fd, &byte, 1, Int32(MSG_DONTWAIT)) == -1 && errno == EAGAIN)
        #expect(slow.readResponse()?.body == "slept 2000")
        await t.stop()
    }

    @Test func aThrowingHandlerGets500AndTheServerKeepsServing() async throws {
        let t = try TestServer(echo)
        let client = try RawClient(port: t.port)
        client.send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 500)
        #expect(response.body == "Internal Server Error")
        #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(client.isClosedByServer())
        let next = try RawClient(port: t.port)
        next.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(next.readResponse()?.status == 200)
        await t.stop()
    }

    /// The connection's worker finishes the request, finds the peer gone and ends: the slot is free.
    @Test func aClientLeavingDuringItsRequestFreesItsConnection() async throws {
        let t = try TestServer(configure: { $0.maxConnections = 1 }, echo)
        do {
            let leaving = try RawClient(port: t.port)
            leaving.send("GET /delay/200 HTTP/1.1\r\nHost: x\r\n\r\n")
        }  // closed here, while its handler sleeps
        var status: Int?
        for _ in 0..<50 where status != 200 {  // 503 until the server has let the first one go
            let next = try RawClient(port: t.port)
            next.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
            status = next.readResponse()?.status
            if status != 200 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(status == 200)
        await t.stop()
    }

    @Test func connectionsOverTheCapAreRefusedWith503() async throws {
        let t = try TestServer(configure: { $0.maxConnections = 2 }, echo)
        let first = try RawClient(port: t.port)
        let second = try RawClient(port: t.port)
        for client in [first, second] {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
        }
        let third = try RawClient(port: t.port)
        #expect(third.readResponse()?.status == 503)
        await t.stop()
    }

    @Test func servesIPv6() async throws {
        let t = try TestServer(configure: { $0.host = "::1" }, echo)
        let client = try RawClient(port: t.port, host: "::1")
        client.send("GET /six HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(client.readResponse()?.body == "GET /six ")
        await t.stop()
    }

    @Test func shutdownFinishesInFlightRequestsAndClosesIdleOnes() async throws {
        let t = try selfStoppingServer(grace: .seconds(5), handlerTime: .milliseconds(300))
        let idle = try RawClient(port: t.port)
        idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(idle.readResponse()?.status == 200)
        let busy = try RawClient(port: t.port)
        busy.send("GET /shutdown HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try #require(busy.readResponse())
        #expect(response.body == "done /shutdown")
        #expect(response.headers["connection"] == "close")
        #expect(idle.isClosedByServer())
        await t.server.waitUntilStopped()
        #expect(throws: SocketError.self) { try RawClient(port: t.port) }
    }

    @Test func shutdownCutsRequestsThatOutliveTheGracePeriod() async throws {
        let t = try selfStoppingServer(grace: .milliseconds(200), handlerTime: .seconds(3))
        let busy = try RawClient(port: t.port)
        busy.send("GET /shutdown HTTP/1.1\r\nHost: x\r\n\r\n")
        await t.server.waitUntilStopped()
        #expect(busy.readResponse() == nil)
    }

    /// A server whose `/shutdown` handler starts the graceful shutdown itself and then takes
    /// `handlerTime` to answer: the request is surely in flight when the shutdown begins.
    private func selfStoppingServer(grace: Duration, handlerTime: Duration) throws -> TestServer {
        let box = Mutex<HTTPServer?>(nil)
        let t = try TestServer { request in
            if request.path == "/shutdown" {
                box.withLock { $0 }?.shutdown(gracePeriod: grace)
                try await Task.sleep(for: handlerTime)
            }
            return .plainText(.ok, "done \(request.path)")
        }
        box.withLock { $0 = t.server }
        return t
    }
}

@Suite struct ExecutorTests {
    /// Handlers run on the event loops: a server keeps answering while every thread of Swift's
    /// global concurrent pool is blocked (as a test client or a careless library may block it).
    @Test func handlersDoNotNeedTheGlobalConcurrentPool() async throws {
        let t = try TestServer { request in
            // Suspend until another OS thread resumes us, as a database or hashing pool does.
            let value = await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
                var thread = pthread_t()
                let box = Unmanaged.passRetained(ContinuationBox(continuation)).toOpaque()
                pthread_create(
                    &thread, nil,
                    { argument in
                        usleep(20_000)
                        Unmanaged<ContinuationBox>.fromOpaque(argument!).takeRetainedValue().continuation.resume(
                            returning: 7)
                        return nil
                    }, box)
                pthread_detach(thread)
            }
            return .plainText(.ok, "\(value) \(request.path)")
        }
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let clients = (0..<cores * 2).map { index in
            Task.detached { () -> String? in
                // Blocks a pool thread until the answer comes.
                let client = try RawClient(port: t.port)
                client.send("GET /c\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                return client.readResponse()?.body
            }
        }
        for (index, client) in clients.enumerated() {
            #expect(try await client.value == "7 /c\(index)")
        }
        await t.stop()
    }
}

private final class ContinuationBox {
    let continuation: CheckedContinuation<Int, Never>
    init(_ continuation: CheckedContinuation<Int, Never>) { self.continuation = continuation }
}
