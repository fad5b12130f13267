// HS256 JSON Web Tokens with PyJWT's behaviour: header {"alg":"HS256","typ":"JWT"}, claims serialised in
// the given order, only HS256 accepted, constant-time signature check, `exp` (integer or float) and
// `nbf`/`iat` when present checked without leeway.

import FoundationEssentials
import Synchronization

public enum JWTError: Error, Equatable, CustomStringConvertible {
    /// Not three base64url segments of JSON objects.
    case malformed(String)
    /// The header names an algorithm other than HS256.
    case unsupportedAlgorithm(String)
    case invalidSignature
    case expired
    /// `nbf` or `iat` lies in the future.
    case notYetValid
    /// A registered claim has the wrong type.
    case invalidClaim(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed token: \(reason)"
        case .unsupportedAlgorithm(let algorithm): "the algorithm '\(algorithm)' is not allowed"
        case .invalidSignature: "signature verification failed"
        case .expired: "signature has expired"
        case .notYetValid: "the token is not yet valid"
        case .invalidClaim(let reason): "invalid claim: \(reason)"
        }
    }
}

/// A claim value as PyJWT writes it: JSON integer, float or string.
public enum JWTClaimValue: Sendable, Equatable {
    case integer(Int64)
    case number(Double)
    case string(String)
}

/// The registered claims of a verified token (other claims are ignored).
public struct JWTClaims: Sendable, Equatable, Decodable {
    public var exp: Double?
    public var nbf: Double?
    public var iat: Double?
    public var sub: String?
    public var jti: String?

    public init(exp: Double? = nil, nbf: Double? = nil, iat: Double? = nil, sub: String? = nil, jti: String? = nil) {
        self.exp = exp
        self.nbf = nbf
        self.iat = iat
        self.sub = sub
        self.jti = jti
    }
}

public struct JWT: Sendable {
    private static let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
    private let key: [UInt8]
    private let verified = VerifiedTokens()

    /// `secret` is used as its UTF-8 bytes, as PyJWT does with a str key.
    public init(secret: String) { key = Array(secret.utf8) }

    /// Seconds since the Unix epoch, with microsecond precision (like Python's datetime.timestamp()).
    public static func currentTime() -> Double {
        (Date().timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000
    }

    /// A signed token whose payload holds `claims` in this order.
    public func encode(_ claims: KeyValuePairs<String, JWTClaimValue>) -> String {
        let members = claims.map { name, value in
            let json: String =
                switch value {
                case .integer(let number): String(number)
                case .number(let number): PythonJSON.number(number)
                case .string(let text): PythonJSON.string(text)
                }
            return PythonJSON.string(name) + ":" + json
        }
        let payload = Base64URL.encode(Array(("{" + members.joined(separator: ",") + "}").utf8))
        let signingInput = Self.header + "." + payload
        return signingInput + "." + Base64URL.encode(OpenSSL.hmacSHA256(key: key, message: Array(signingInput.utf8)))
    }

    /// The reference's access token: exactly {"exp": <int now + lifetime>, "sub": "<user id>"}.
    public func accessToken(subject: String, lifetimeSeconds: Int64, now: Double = currentTime()) -> String {
        encode(["exp": .integer(Int64(now.rounded(.down)) + lifetimeSeconds), "sub": .string(subject)])
    }

    /// The reference's password-reset token: {"exp": <float now + lifetime>, "nbf": <int now>, "sub": "<email>"}.
    public func passwordResetToken(email: String, lifetimeSeconds: Int64, now: Double = currentTime()) -> String {
        encode([
            "exp": .number(now + Double(lifetimeSeconds)), "nbf": .integer(Int64(now.rounded(.down))),
            "sub": .string(email),
        ])
    }

    /// The claims of `token` if it is a well-formed HS256 token signed with our key and valid at `now`.
    public func decode(_ token: String, now: Double = currentTime()) throws(JWTError) -> JWTClaims {
        let claims: JWTClaims
        if let known = verified.claims(of: token) {
            claims = known
        } else {
            claims = try verify(token)
            verified.insert(token, claims)
        }
        // PyJWT truncates the times to integers (int(exp)) and compares them with the current float time.
        if let iat = claims.iat, iat.rounded(.towardZero) > now { throw .notYetValid }
        if let nbf = claims.nbf, nbf.rounded(.towardZero) > now { throw .notYetValid }
        if let exp = claims.exp, exp.rounded(.towardZero) <= now { throw .expired }
        return claims
    }

    /// The claims of a well-formed HS256 token with our signature, whatever its times.
    private func verify(_ token: String) throws(JWTError) -> JWTClaims {
        let segments = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map(
            Substring.init)
        guard segments.count == 3 else { throw .malformed("expected 3 segments, found \(segments.count)") }
        guard let headerBytes = Base64URL.decode(segments[0]), let payloadBytes = Base64URL.decode(segments[1]),
            let signature = Base64URL.decode(segments[2])
        else { throw .malformed("a segment is not base64url") }
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(headerBytes)) else {
            throw .malformed("the header is not a JSON object with a string 'alg'")
        }
        guard header.alg == "HS256" else { throw .unsupportedAlgorithm(header.alg) }
        let signingInput = Array(token.utf8.prefix(segments[0].utf8.count + 1 + segments[1].utf8.count))
        guard OpenSSL.constantTimeEqual(OpenSSL.hmacSHA256(key: key, message: signingInput), signature) else {
            throw .invalidSignature
        }
        guard let claims = try? JSONDecoder().decode(JWTClaims.self, from: Data(payloadBytes)) else {
            throw .invalidClaim("the payload is not a JSON object with numeric exp/nbf/iat and string sub/jti")
        }
        return claims
    }

    private struct Header: Decodable {
        var alg: String
    }
}

/// Tokens whose signature and claims have been checked, with their claims: a client sends the same
/// token with every request, so only the times are checked again. Bounded; starts over when full.
private final class VerifiedTokens: Sendable {
    private static let capacity = 4096
    private let tokens = Mutex<[TokenKey: JWTClaims]>([:])

    func claims(of token: String) -> JWTClaims? { tokens.withLock { $0[TokenKey(token)] } }

    func insert(_ token: String, _ claims: JWTClaims) {
        tokens.withLock { tokens in
            if tokens.count >= Self.capacity { tokens.removeAll(keepingCapacity: true) }
            tokens[TokenKey(token)] = claims
        }
    }
}

/// A token as the cache's key, hashed on its length and last 16 bytes (its signature's, which an
/// HMAC makes uniform) instead of all of it; equal keys are still whole equal tokens. Only
/// verified tokens are stored, so nobody can fill a bucket with forged ones.
private struct TokenKey: Hashable {
    let token: String

    init(_ token: String) { self.token = token }

    /// Bytes, as PyJWT compares (String's `==` would take a canonically equivalent spelling of a
    /// verified token, a KELVIN SIGN for a `K`, for the token itself), in constant time: a lookup
    /// compares a presented token with a verified one.
    static func == (a: TokenKey, b: TokenKey) -> Bool { OpenSSL.constantTimeEqual(a.token, b.token) }

    func hash(into hasher: inout Hasher) {
        var token = token
        token.withUTF8 { bytes in
            hasher.combine(bytes.count)
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes).suffix(16)))
        }
    }
}
