// PasswordHasher against hashes made by argon2-cffi and Python's bcrypt: verification, upgrades of old
// hashes, and the reference's argon2id parameters. Each argon2 operation costs ~150 ms, so they are few.

import Security
import Testing

struct PasswordHasherTests {
    let hasher = PasswordHasher()
    static let password = "correct horse"
    /// argon2.PasswordHasher().hash("correct horse") (argon2-cffi defaults).
    static let argon2Current =
        "$argon2id$v=19$m=65536,t=3,p=4$S6erlrT84dX7XnnwECPA/g$aBY1r+t1J5mWQi/aJQEi2QJQ8fDwYvfosxaOmA7sVX8"
    /// argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("correct horse")
    static let argon2Weak =
        "$argon2id$v=19$m=1024,t=1,p=1$+mO9m5NxbY6lNsB0Kgj4mw$8gftAjx+3QFUvdmgqWTv/tObNzE1lQY6ivl2TqUts+M"
    /// The same parameters with type=argon2.Type.I.
    static let argon2i =
        "$argon2i$v=19$m=1024,t=1,p=1$HZumfD3cfTbAs1p4EDJU4Q$IfOUvOwCMWPfIKnskXzN+7CBoCRzRPhhc+OyJ255Lpo"
    /// bcrypt.hashpw(b"correct horse", bcrypt.gensalt(rounds=4))
    static let bcrypt = "$2b$04$GsgIdOX2gzypUngryZmQ/eG8VH.WCXpCb4m48HFwWzBtwC1DoxKiS"

    @Test func newHashesAreArgon2idWithTheReferenceParameters() async throws {
        let hash = try await hasher.hash(Self.password)
        let fields = hash.split(separator: "$")
        #expect(hash.hasPrefix("$argon2id$v=19$m=65536,t=3,p=4$"))
        #expect(fields.count == 5 && fields[3].count == 22 && fields[4].count == 43)  // 16-byte salt, 32-byte hash
        #expect(
            try await hasher.verifyAndUpdate(Self.password, against: hash) == .init(isValid: true, updatedHash: nil))
        #expect(try await !hasher.verify("wrong horse", against: hash))
    }

    @Test func verifiesArgon2CffiHashesWithoutUpgradingCurrentOnes() async throws {
        #expect(
            try await hasher.verifyAndUpdate(Self.password, against: Self.argon2Current)
                == .init(isValid: true, updatedHash: nil))
    }

    @Test(arguments: [argon2Weak, argon2i, bcrypt])
    func oldHashesVerifyAndAreUpgraded(old: String) async throws {
        let result = try await hasher.verifyAndUpdate(Self.password, against: old)
        #expect(result.isValid)
        #expect(result.updatedHash?.hasPrefix("$argon2id$v=19$m=65536,t=3,p=4$") == true)
    }

    @Test(arguments: [argon2Weak, argon2i, bcrypt, "$2a$" + bcrypt.dropFirst(4), "$2y$" + bcrypt.dropFirst(4)])
    func wrongPasswordsDoNotVerifyAndAreNotUpgraded(hash: String) async throws {
        #expect(
            try await hasher.verifyAndUpdate("wrong horse", against: hash) == .init(isValid: false, updatedHash: nil))
        #expect(try await !hasher.verify(Self.password + "\u{0}x", against: hash))
    }

    @Test func bcryptPrefixVariantsVerify() async throws {
        for prefix in ["$2a$", "$2y$"] {
            #expect(try await hasher.verify(Self.password, against: prefix + Self.bcrypt.dropFirst(4)))
        }
    }

    @Test(arguments: ["", "plaintext", "$argon2id$v=19$m=65536,t=3,p=4$short", "$2b$04$tooshort", "$1$md5$x"])
    func unknownOrBrokenHashesNeverVerify(hash: String) async throws {
        #expect(
            try await hasher.verifyAndUpdate(Self.password, against: hash) == .init(isValid: false, updatedHash: nil))
    }

    @Test func dummyVerificationRunsAgainstACurrentArgon2Hash() async throws {
        #expect(PasswordHasher.dummyHash.hasPrefix("$argon2id$v=19$m=65536,t=3,p=4$"))
        try await hasher.verifyDummy(Self.password)
    }
}
