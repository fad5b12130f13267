// What careless or hostile clients cannot do to the application: lock users out by sending
// wrong passwords (throttles, a bounded hash queue), tell registered e-mails from others by
// the time password recovery takes, get a 500 from racing deletes, or from a database locked by
// another process.

import Foundation
import Glibc
import HTTPServer
import Storage
import StorageSQLite
import Synchronization
import Testing
import Web

@testable import App

@Suite struct AbuseResistanceTests {
    /// A client address over its budget of failures gets 429 with Retry-After, before any hash,
    /// its right password included; other addresses (behind the same trusted proxy) are not
    /// affected, and successful logins cost nothing (many users may share an address).
    @Test func loginFailuresAreThrottledPerClientAddress() async throws {
        try await AppServer.with(environment: ["LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE": "3"]) { app in
            let office: HTTPHeaders = ["X-Forwarded-For": "203.0.113.9"]
            for _ in 0..<5 {
                let reply = try await app.login(AppServer.superuserEmail, AppServer.superuserPassword, headers: office)
                #expect(reply.status == 200)
            }
            let attacker: HTTPHeaders = ["X-Forwarded-For": "203.0.113.7"]
            for _ in 0..<3 {
                let reply = try await app.login(AppServer.superuserEmail, "wrong-password", headers: attacker)
                #expect(reply.status == 400)
            }
            let refused = try await app.login(AppServer.superuserEmail, AppServer.superuserPassword, headers: attacker)
            #expect(refused.status == 429)
            let retryAfter = try #require(refused.headers["retry-after"].flatMap { Int($0) })
            #expect((1...20).contains(retryAfter))  // 3 a minute: one every 20 s
            #expect(refused.detail == "Too many login attempts, try again in \(retryAfter) seconds")
            let other = try await app.login(
                AppServer.superuserEmail, AppServer.superuserPassword, headers: ["X-Forwarded-For": "203.0.113.8"])
            #expect(other.status == 200)
        }
    }

    /// An account over its budget of failures gets 429 from any address, its right password
    /// included; other accounts log in.
    @Test func loginFailuresAreThrottledPerAccount() async throws {
        try await AppServer.with(environment: ["LOGIN_FAILURES_PER_ACCOUNT_PER_HOUR": "2"]) { app in
            let user = try await app.newUser()
            for address in ["198.51.100.1", "198.51.100.2"] {
                let reply = try await app.login(user.email, "wrong-password", headers: ["X-Forwarded-For": address])
                #expect(reply.status == 400)
            }
            let refused = try await app.login(user.email, user.password, headers: ["X-Forwarded-For": "198.51.100.3"])
            #expect(refused.status == 429)
            #expect(refused.headers["retry-after"] != nil)
            #expect(
                try await app.login(AppServer.superuserEmail, AppServer.superuserPassword, headers: [:]).status == 200)
        }
    }

    /// Outside development the throttles are on by default; in development off unless set.
    @Test func throttlesAreOnByDefaultOutsideDevelopment() throws {
        let production = try LoginThrottle.Limits(Settings([:]), development: false)
        #expect(production == LoginThrottle.Limits(failuresPerAddressPerMinute: 10, failuresPerAccountPerHour: 20))
        let development = try LoginThrottle.Limits(Settings([:]), development: true)
        #expect(development == LoginThrottle.Limits(failuresPerAddressPerMinute: 0, failuresPerAccountPerHour: 0))
        #expect(throws: SettingsError.self) {
            try LoginThrottle.Limits(Settings(["LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE": "-1"]), development: false)
        }
    }

    /// The budgets refill steadily: a spent one admits again once a token's time has passed.
    @Test func budgetsRefillWithTime() throws {
        let clock = ManualClock()
        let throttle = LoginThrottle(
            LoginThrottle.Limits(failuresPerAddressPerMinute: 2, failuresPerAccountPerHour: 0), now: clock.read)
        try throttle.admit(address: "a", account: "x")
        throttle.refund(address: "a", account: "x")  // a success costs nothing
        try throttle.admit(address: "a", account: "x")
        try throttle.admit(address: "a", account: "x")  // two failures
        let refused = #expect(throws: HTTPError.self) { try throttle.admit(address: "a", account: "x") }
        #expect(refused?.headers["retry-after"] == "30")
        try throttle.admit(address: "b", account: "x")
        clock.advance(by: 30)
        try throttle.admit(address: "a", account: "x")
    }

    /// Wrong passwords sent at once from one address: no more hashes run than its budget, even
    /// though none has failed yet when the others are checked.
    @Test func concurrentGuessesAreBoundedByTheBudget() async throws {
        try await AppServer.with(environment: ["LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE": "3"]) { app in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await app.login(
                            AppServer.superuserEmail, "wrong-password", headers: ["X-Forwarded-For": "203.0.113.50"]
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 400 }.count == 3)
            #expect(statuses.filter { $0 == 429 }.count == 9)
        }
    }

    /// Logins beyond what the hasher's queue holds are answered 503 at once, not queued for ever.
    @Test func aFullHashQueueAnswers503() async throws {
        // Its own server: the burst makes every login wait or fail meanwhile.
        try await AppServer.with(environment: ["PASSWORD_HASH_QUEUE_PER_CORE": "16"]) { app in
            let replies = try await withThrowingTaskGroup(of: ReplySummary.self) { group in
                for index in 0..<96 {
                    group.addTask {
                        ReplySummary(try await app.login("nobody-\(index)@example.com", "wrong-password", headers: [:]))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let busy = replies.filter { $0.status == 503 }
            #expect(!busy.isEmpty)
            #expect(busy.allSatisfy { $0.retryAfter == "1" && $0.detail == "The server is busy, try again" })
            #expect(replies.allSatisfy { $0.status == 503 || $0.status == 400 })
        }
    }

    /// Password recovery answers before it looks the address up or sends anything: an SMTP
    /// server that never answers does not hold the answer up, and is reached afterwards.
    @Test func passwordRecoveryAnswersBeforeTheMailIsSent() async throws {
        let silent = try SilentServer()
        try await AppServer.with(environment: [
            "SMTP_HOST": "127.0.0.1", "SMTP_PORT": String(silent.port), "SMTP_TLS": "false",
            "EMAILS_FROM_EMAIL": "info@example.com",
        ]) { app in
            let reply = try await app.call(.post, "/api/v1/password-recovery/\(AppServer.superuserEmail)")
            #expect(reply.status == 200)
            #expect(
                reply.object["message"] as? String == "If that email is registered, we sent a password recovery link")
            #expect(silent.waitForConnection(seconds: 30))
        }
    }

    /// Of several requests deleting one item at once, exactly one says it deleted it.
    @Test func concurrentDeletesOfOneItemSucceedOnce() async throws {
        let app = try await AppServer.shared.value
        let user = try await app.newUser()
        let id = try await app.call(.post, "/api/v1/items/", token: user.token, json: ["title": "once"]).requiredID()
        let replies = try await withThrowingTaskGroup(of: ReplySummary.self) { group in
            for _ in 0..<8 {
                group.addTask { ReplySummary(try await app.call(.delete, "/api/v1/items/\(id)", token: user.token)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let deleted = replies.filter { $0.status == 200 }
        let missing = replies.filter { $0.status == 404 && $0.detail == "Item not found" }
        #expect(deleted.count == 1)
        #expect(missing.count == 7)
    }

    /// A user deleted while creating items: each creation succeeds or answers the dependency's
    /// 404 `User not found`, never a 500 from the foreign key.
    @Test func creatingItemsWhileTheOwnerIsDeletedNeverAnswers500() async throws {
        let app = try await AppServer.shared.value
        var statuses: [Int] = []
        for round in 0..<10 {
            let owner = try await app.services.users.create(
                NewUser(
                    email: "racer-\(round)-\(UUID())@example.com", hashedPassword: "-", isActive: true,
                    isSuperuser: false))
            let token = app.services.tokens.accessToken(subject: owner.id.lowercaseText, lifetimeSeconds: 600)
            statuses += try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<4 {
                    group.addTask {
                        try await app.call(.post, "/api/v1/items/", token: token, json: ["title": "t\(index)"]).status
                    }
                }
                group.addTask {
                    _ = try await app.services.users.delete(id: owner.id)
                    return 0
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses.allSatisfy { [0, 200, 404].contains($0) }, "statuses: \(statuses)")
    }

    /// A database locked by another process for longer than the busy timeout (SQLite's 5 s,
    /// PostgreSQL's lock timeout of 3 s): 503 with Retry-After, not a 500.
    @Test func aDatabaseLockedElsewhereAnswers503() async throws {
        try await AppServer.with(environment: [:]) { app in  // its own: the lock stops every write
            let user = try await app.newUser()
            let other = try await openDatabase(app.services.settings.database)
            let locked = Flag()
            // Holds the write lock (on PostgreSQL, the item table's) past the app's timeout.
            let holding = Task {
                try await other.write { connection in
                    if other.engine == .postgresql {
                        try connection.execute("LOCK TABLE item IN ACCESS EXCLUSIVE MODE", [])
                    }
                    locked.set()
                    usleep(7_000_000)
                }
            }
            while !locked.isSet { try await Task.sleep(for: .milliseconds(10)) }
            let reply = try await app.call(.post, "/api/v1/items/", token: user.token, json: ["title": "locked out"])
            #expect(reply.status == 503)
            #expect(reply.headers["retry-after"] == "1")
            #expect(reply.detail == "The database is busy, try again")
            try await holding.value
            await other.close()
            #expect(try await app.call(.post, "/api/v1/items/", token: user.token, json: ["title": "in"]).status == 200)
        }
    }
}

/// Set once, from any thread.
private final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

/// What a test keeps of a reply across tasks.
private struct ReplySummary: Sendable {
    let status: Int
    let retryAfter: String?
    let detail: String?

    init(_ reply: Reply) {
        status = reply.status
        retryAfter = reply.headers["retry-after"]
        detail = reply.detail
    }
}

/// A clock the test moves by hand.
private final class ManualClock: Sendable {
    private let seconds = Mutex<Double>(1000)
    var read: @Sendable () -> Double { { [self] in seconds.withLock { $0 } } }
    func advance(by delta: Double) { seconds.withLock { $0 += delta } }
}

/// A loopback server that accepts connections and never says anything (an SMTP server that hangs).
private final class SilentServer: Sendable {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw TestFailure("the silent server could not listen") }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }

    /// Whether a client connected within `seconds` (the connection is kept open, unanswered).
    func waitForConnection(seconds: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, seconds * 1000) == 1
    }
}
