// JWT against tokens made by PyJWT 2.x (key "test-secret-key"): identical bytes when encoding, and
// PyJWT's checks when decoding (HS256 only, signature, exp/nbf truncated to integers, no leeway).

import Security
import Testing

struct JWTTests {
    let jwt = JWT(secret: "test-secret-key")
    static let subject = "0b4a0c9e-2f7d-4f57-8a46-6f1c2f3e9a10"
    /// jwt.encode({"exp": 4102444800, "sub": subject}, key, algorithm="HS256")
    static let access =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        + "eyJleHAiOjQxMDI0NDQ4MDAsInN1YiI6IjBiNGEwYzllLTJmN2QtNGY1Ny04YTQ2LTZmMWMyZjNlOWExMCJ9."
        + "C9h7BLwA4JKikGi9H-SU6JCEmcoVmdVliV4Yl_jo1Ks"
    /// jwt.encode({"exp": 1000000000, "sub": subject}, ...)
    static let expired =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        + "eyJleHAiOjEwMDAwMDAwMDAsInN1YiI6IjBiNGEwYzllLTJmN2QtNGY1Ny04YTQ2LTZmMWMyZjNlOWExMCJ9."
        + "P5RHBW3d2N_E_ZRrO8LZq67fk_L_e-40mkSjKA03I1Q"
    /// jwt.encode({"exp": 4102444800.32231, "nbf": 1700000000, "sub": "Jöhn@example.com"}, ...)
    static let reset =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        + "eyJleHAiOjQxMDI0NDQ4MDAuMzIyMzEsIm5iZiI6MTcwMDAwMDAwMCwic3ViIjoiSlx1MDBmNmhuQGV4YW1wbGUuY29tIn0."
        + "-QKWDpfk91kKMQS-qVvswLyL73wD5uOhgFuYkLcqFqM"
    /// jwt.encode({"exp": 4102444800.5, "nbf": 4000000000, "sub": "a@example.com"}, ...)
    static let notYetValid =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        + "eyJleHAiOjQxMDI0NDQ4MDAuNSwibmJmIjo0MDAwMDAwMDAwLCJzdWIiOiJhQGV4YW1wbGUuY29tIn0."
        + "wTvcww4mIB0fJykn72II1x4OJrpmglKmBYghxsjU0Lk"
    /// jwt.encode({"exp": 4102444800, "sub": "x"}, key, algorithm="HS384")
    static let hs384 =
        "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9."
        + "eyJleHAiOjQxMDI0NDQ4MDAsInN1YiI6IngifQ."
        + "RqRkNmv-jHuIHqfTAGgH8Z8DN5WJT4BicclByTFJxmRTzVFUfAwLSvlX_yriU7de"

    @Test func encodesExactlyLikePyJWT() {
        #expect(jwt.encode(["exp": .integer(4_102_444_800), "sub": .string(Self.subject)]) == Self.access)
        let resetClaims: KeyValuePairs<String, JWTClaimValue> = [
            "exp": .number(4_102_444_800.32231), "nbf": .integer(1_700_000_000), "sub": .string("Jöhn@example.com"),
        ]
        #expect(jwt.encode(resetClaims) == Self.reset)
    }

    @Test func accessTokensHaveTheReferenceClaims() {
        let eightDays: Int64 = 11520 * 60
        #expect(
            jwt.accessToken(subject: Self.subject, lifetimeSeconds: eightDays, now: 4_102_444_800.9 - 691_200)
                == Self.access)
    }

    @Test func resetTokensCarryAFloatExpiryAndAnIntegerNotBefore() throws {
        let token = jwt.passwordResetToken(email: "a@example.com", lifetimeSeconds: 172_800, now: 1_800_000_000.25)
        let claims = try jwt.decode(token, now: 1_800_000_000.5)
        #expect(claims == JWTClaims(exp: 1_800_172_800.25, nbf: 1_800_000_000, sub: "a@example.com"))
    }

    @Test func freshTokensAreValidNowAndExpireOnTime() throws {
        #expect(try jwt.decode(jwt.accessToken(subject: "someone", lifetimeSeconds: 60)).sub == "someone")
        #expect(throws: JWTError.expired) { try jwt.decode(jwt.accessToken(subject: "someone", lifetimeSeconds: -1)) }
        let now = JWT.currentTime()
        #expect(abs((now * 1_000_000).rounded() - now * 1_000_000) < 0.01)  // microseconds, like datetime.timestamp()
    }

    @Test func decodesPyJWTTokens() throws {
        #expect(try jwt.decode(Self.access, now: 1_800_000_000).sub == Self.subject)
        let reset = try jwt.decode(Self.reset, now: 1_800_000_000)
        #expect(reset == JWTClaims(exp: 4_102_444_800.32231, nbf: 1_700_000_000, sub: "Jöhn@example.com"))
    }

    @Test func expiryIsCheckedWithoutLeewayOnTheTruncatedExp() throws {
        #expect(throws: JWTError.expired) { try jwt.decode(Self.expired, now: 1_800_000_000) }
        #expect(throws: JWTError.expired) { try jwt.decode(Self.access, now: 4_102_444_800) }
        #expect(try jwt.decode(Self.access, now: 4_102_444_799.999).sub == Self.subject)
        // int(4102444800.32231) == 4102444800, so the reset token has expired at 4102444800.1 already.
        #expect(throws: JWTError.expired) { try jwt.decode(Self.reset, now: 4_102_444_800.1) }
        #expect(try jwt.decode(Self.reset, now: 4_102_444_799.9).nbf == 1_700_000_000)
    }

    @Test func notBeforeIsChecked() throws {
        #expect(throws: JWTError.notYetValid) { try jwt.decode(Self.notYetValid, now: 3_999_999_999.9) }
        #expect(try jwt.decode(Self.notYetValid, now: 4_000_000_000).sub == "a@example.com")
    }

    @Test func onlyHS256WithOurKeyIsAccepted() {
        #expect(throws: JWTError.unsupportedAlgorithm("HS384")) { try jwt.decode(Self.hs384, now: 0) }
        let unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4In0."  // {"alg":"none"}
        #expect(throws: JWTError.unsupportedAlgorithm("none")) { try jwt.decode(unsigned, now: 0) }
        #expect(throws: JWTError.invalidSignature) { try JWT(secret: "other").decode(Self.access, now: 0) }
        var tampered = Self.access
        tampered.removeLast()
        tampered += "A"
        #expect(throws: JWTError.invalidSignature) { try jwt.decode(tampered, now: 0) }
    }

    @Test(arguments: ["", "abc", "a.b", "a.b.c.d", "e30.e30.!!!", "e30.e30.", Self.access + "."])
    func malformedTokensAreRejected(token: String) {
        #expect(throws: JWTError.self) { try jwt.decode(token, now: 0) }
    }

    @Test func claimsOfTheWrongTypeAreRejected() {
        let stringExpiry = jwt.encode(["exp": .string("soon"), "sub": .string("x")])
        #expect(throws: JWTError.self) { try jwt.decode(stringExpiry, now: 0) }
        let numericSubject = jwt.encode(["exp": .integer(4_102_444_800), "sub": .integer(5)])
        #expect(throws: JWTError.self) { try jwt.decode(numericSubject, now: 0) }
    }
}
