// Throttling of password logins, so that a few clients sending wrong passwords cannot keep the
// password hasher (about 0.2 CPU-seconds a hash) busy for everyone: each client address and each
// account get a budget of failed logins, refilled steadily (token buckets). A login from an
// address or for an account whose budget is spent is refused before any hash runs: 429 with
// Retry-After. Successful logins cost nothing, so many users behind one address (an office's NAT,
// a proxy that is not trusted) are not held back by each other.

import Synchronization
import Web

#if canImport(Glibc)
    import Glibc
#endif

public final class LoginThrottle: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Failed logins one client address may make per minute (a burst of as many); 0: no limit.
        public var failuresPerAddressPerMinute: Int
        /// Failed logins one account may take per hour (a burst of as many); 0: no limit.
        public var failuresPerAccountPerHour: Int

        public init(failuresPerAddressPerMinute: Int, failuresPerAccountPerHour: Int) {
            self.failuresPerAddressPerMinute = failuresPerAddressPerMinute
            self.failuresPerAccountPerHour = failuresPerAccountPerHour
        }

        /// LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE and LOGIN_FAILURES_PER_ACCOUNT_PER_HOUR; on by
        /// default outside development (10 and 20), off by default in it.
        public init(_ settings: Settings, development: Bool) throws(SettingsError) {
            failuresPerAddressPerMinute = try settings.int(
                "LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE", default: development ? 0 : 10, in: 0...1_000_000)
            failuresPerAccountPerHour = try settings.int(
                "LOGIN_FAILURES_PER_ACCOUNT_PER_HOUR", default: development ? 0 : 20, in: 0...1_000_000)
        }
    }

    private let addresses: BucketTable
    private let accounts: BucketTable

    public init(_ limits: Limits, now: @escaping @Sendable () -> Double = LoginThrottle.monotonicSeconds) {
        addresses = BucketTable(capacity: limits.failuresPerAddressPerMinute, period: 60, now: now)
        accounts = BucketTable(capacity: limits.failuresPerAccountPerHour, period: 3600, now: now)
    }

    /// Takes a failure from `address`'s and the account's budgets, as if the login will fail
    /// (so that logins running at once cannot all pass the check before any has failed); throws
    /// the 429 when either is spent. `refund` gives them back when the login did not fail.
    public func admit(address: String, account: String) throws(HTTPError) {
        if let wait = addresses.take(address) { throw Self.tooMany(wait) }
        if let wait = accounts.take(account.lowercased()) {
            addresses.refund(address)
            throw Self.tooMany(wait)
        }
    }

    /// Gives back what `admit` took: the login succeeded, or ended before checking a password.
    public func refund(address: String, account: String) {
        addresses.refund(address)
        accounts.refund(account.lowercased())
    }

    /// A login within the budgets: `check` verifies the password, nil when it is wrong. A wrong
    /// one keeps the failure `admit` took; a success, or an error before the password was checked,
    /// gives it back.
    public func attempt<T>(address: String, account: String, _ check: () async throws -> T?) async throws -> T? {
        try admit(address: address, account: account)
        let result: T?
        do {
            result = try await check()
        } catch {
            refund(address: address, account: account)
            throw error
        }
        if result != nil { refund(address: address, account: account) }
        return result
    }

    private static func tooMany(_ seconds: Int) -> HTTPError {
        HTTPError(
            .tooManyRequests, detail: "Too many login attempts, try again in \(seconds) seconds",
            headers: ["Retry-After": String(seconds)])
    }

    /// CLOCK_MONOTONIC in seconds.
    public static let monotonicSeconds: @Sendable () -> Double = {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// Token buckets by key, refilled at `capacity` per `period` seconds. Full buckets are forgotten
/// when the table grows, so it holds only keys seen lately.
private final class BucketTable: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private let capacity: Double
    private let perSecond: Double
    private let now: @Sendable () -> Double
    private let buckets = Mutex<[String: Bucket]>([:])
    /// Past this many keys, full buckets are dropped (and, under a flood of new keys, all).
    private let maxKeys = 100_000

    init(capacity: Int, period: Double, now: @escaping @Sendable () -> Double) {
        self.capacity = Double(capacity)
        perSecond = Double(capacity) / period
        self.now = now
    }

    /// Takes a token; nil when one was there, else the seconds until one will be.
    func take(_ key: String) -> Int? {
        guard capacity > 0 else { return nil }
        let time = now()
        return buckets.withLock { buckets in
            var bucket = refilled(buckets[key], at: time)
            guard bucket.tokens >= 1 else { return secondsUntilToken(bucket) }
            bucket.tokens -= 1
            if buckets.count >= maxKeys { prune(&buckets, at: time) }
            buckets[key] = bucket
            return nil
        }
    }

    /// Puts back a token taken by `take`.
    func refund(_ key: String) {
        guard capacity > 0 else { return }
        let time = now()
        buckets.withLock { buckets in
            guard buckets[key] != nil else { return }
            var bucket = refilled(buckets[key], at: time)
            bucket.tokens = min(capacity, bucket.tokens + 1)
            buckets[key] = bucket
        }
    }

    private func refilled(_ bucket: Bucket?, at time: Double) -> Bucket {
        guard let bucket else { return Bucket(tokens: capacity, updated: time) }
        return Bucket(tokens: min(capacity, bucket.tokens + (time - bucket.updated) * perSecond), updated: time)
    }

    private func secondsUntilToken(_ bucket: Bucket) -> Int {
        max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
    }

    private func prune(_ buckets: inout [String: Bucket], at time: Double) {
        buckets = buckets.filter { refilled($0.value, at: time).tokens < capacity }
        if buckets.count >= maxKeys { buckets.removeAll() }
    }
}
