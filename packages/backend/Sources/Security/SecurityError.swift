// The errors of the Security module.

public enum SecurityError: Error, Equatable, CustomStringConvertible {
    /// The system's random number generator failed.
    case randomness
    /// libargon2 refused to hash (its message).
    case argon2(String)

    public var description: String {
        switch self {
        case .randomness: "no random bytes available from OpenSSL"
        case .argon2(let message): "argon2 failed: \(message)"
        }
    }
}
