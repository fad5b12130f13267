// argon2 through libargon2: argon2id PHC strings with the reference's parameters, verification of
// argon2id/argon2i/argon2d PHC strings, and reading a PHC string's parameters.

import CArgon2

/// The parameters of an argon2 PHC string (`$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>`).
struct Argon2Parameters: Equatable {
    var variant: String
    var version: Int
    var memoryKiB: Int
    var iterations: Int
    var parallelism: Int
    var saltLength: Int
    var hashLength: Int

    /// argon2-cffi's defaults, which the reference (pwdlib) uses for every new hash.
    static let current = Argon2Parameters(
        variant: "argon2id", version: 19, memoryKiB: 65536, iterations: 3, parallelism: 4, saltLength: 16,
        hashLength: 32)
}

extension Argon2Parameters {
    /// Reads a PHC string; nil when it is not one.
    init?(phc: String) {
        let fields = phc.split(separator: "$", omittingEmptySubsequences: false)
        // ["", variant, "v=19", "m=…,t=…,p=…", salt, hash]; version 16 strings have no "v=" field.
        guard fields.count == 5 || fields.count == 6, fields[0].isEmpty else { return nil }
        let hasVersion = fields.count == 6
        let settings = Self.keyValues(fields[hasVersion ? 3 : 2])
        guard ["argon2id", "argon2i", "argon2d"].contains(fields[1]),
            let version = hasVersion ? Self.keyValues(fields[2])["v"] : 16,
            let memory = settings["m"], let iterations = settings["t"], let parallelism = settings["p"]
        else { return nil }
        self.init(
            variant: String(fields[1]), version: version, memoryKiB: memory, iterations: iterations,
            parallelism: parallelism, saltLength: Self.decodedLength(fields[fields.count - 2]),
            hashLength: Self.decodedLength(fields[fields.count - 1]))
    }

    private static func keyValues(_ field: Substring) -> [Substring: Int] {
        var values: [Substring: Int] = [:]
        for pair in field.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let number = Int(parts[1]) { values[parts[0]] = number }
        }
        return values
    }

    /// Bytes encoded by unpadded base64 of this length.
    private static func decodedLength(_ base64: Substring) -> Int { base64.count * 3 / 4 }
}

enum Argon2 {
    /// A new argon2id PHC string for `password` with `Argon2Parameters.current` and a random salt.
    static func hash(_ password: [UInt8]) throws(SecurityError) -> String {
        let parameters = Argon2Parameters.current
        let salt = try OpenSSL.randomBytes(parameters.saltLength)
        let (t, m, p) = (UInt32(parameters.iterations), UInt32(parameters.memoryKiB), UInt32(parameters.parallelism))
        let length = argon2_encodedlen(t, m, p, UInt32(salt.count), UInt32(parameters.hashLength), Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let status = argon2id_hash_encoded(
            t, m, p, password, password.count, salt, salt.count, parameters.hashLength, &encoded, length)
        guard status == ARGON2_OK.rawValue else { throw .argon2(String(cString: argon2_error_message(status))) }
        return String(decoding: encoded.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
    }

    /// True when `phc` is a well-formed argon2 string for `password` (libargon2 compares in constant time).
    static func verify(_ password: [UInt8], against phc: String, parameters: Argon2Parameters) -> Bool {
        let type: argon2_type =
            switch parameters.variant {
            case "argon2id": Argon2_id
            case "argon2i": Argon2_i
            default: Argon2_d
            }
        return argon2_verify(phc, password, password.count, type) == ARGON2_OK.rawValue
    }
}
