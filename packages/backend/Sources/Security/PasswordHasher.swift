// Password hashing as the reference does it (pwdlib: argon2id first, then bcrypt), on a bounded pool of
// its own so that a burst of logins (~150 ms of CPU each) cannot stall other blocking work.

import Workers

#if canImport(Glibc)
    import Glibc
#endif

public final class PasswordHasher: Sendable {
    /// The outcome of `verifyAndUpdate`: whether the password matched, and a fresh argon2id hash to
    /// store when the old one was bcrypt or used other argon2 parameters.
    public struct Verification: Sendable, Equatable {
        public var isValid: Bool
        public var updatedHash: String?

        public init(isValid: Bool, updatedHash: String?) {
            self.isValid = isValid
            self.updatedHash = updatedHash
        }
    }

    /// A fixed argon2id hash with the current parameters, verified against for unknown emails so that
    /// a login takes as long whether or not the email exists.
    public static let dummyHash =
        "$argon2id$v=19$m=65536,t=3,p=4$FPmTn0X4VFnNCA87tgYXvA$0VEOgehs1RvRTlotXmNlRiOnOOGrQipaDQ8bPDqScaI"

    private let pool: BlockingPool

    /// `threads` concurrent hashes (64 MiB of memory each); at most `queuePerThread` for each
    /// thread waiting, beyond which calls fail at once with `BlockingPoolError.queueFull`: a
    /// longer queue would only make every login wait longer.
    public init(threads: Int = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))), queuePerThread: Int = 128) {
        pool = BlockingPool(name: "password", threads: threads, queueCapacity: threads * queuePerThread)
    }

    deinit { pool.shutdown() }

    /// A new argon2id PHC string: `$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>`.
    public func hash(_ password: String) async throws -> String {
        try await pool.run { try Argon2.hash(Array(password.utf8)) }
    }

    /// True when `hash` (argon2 or bcrypt) matches `password`; false for any other kind of hash.
    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await verifyAndUpdate(password, against: hash, rehash: false).isValid
    }

    /// Verifies like `verify`; when the password matches a bcrypt hash or an argon2 hash with other
    /// parameters, also returns its new argon2id hash (the login stores it).
    public func verifyAndUpdate(_ password: String, against hash: String) async throws -> Verification {
        try await verifyAndUpdate(password, against: hash, rehash: true)
    }

    /// Spends the time of one verification, for logins with an unknown email.
    public func verifyDummy(_ password: String) async throws {
        _ = try await verify(password, against: Self.dummyHash)
    }

    private func verifyAndUpdate(_ password: String, against hash: String, rehash: Bool) async throws
        -> Verification
    {
        try await pool.run {
            let password = Array(password.utf8)
            let isValid: Bool
            let isCurrent: Bool
            if let parameters = Argon2Parameters(phc: hash) {
                isValid = Argon2.verify(password, against: hash, parameters: parameters)
                isCurrent = parameters == .current
            } else if Bcrypt.isBcrypt(hash) {
                isValid = Bcrypt.verify(password, against: hash)
                isCurrent = false
            } else {
                return Verification(isValid: false, updatedHash: nil)
            }
            let updatedHash = isValid && rehash && !isCurrent ? try Argon2.hash(password) : nil
            return Verification(isValid: isValid, updatedHash: updatedHash)
        }
    }
}
