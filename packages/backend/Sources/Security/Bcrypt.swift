// bcrypt verification ($2a$, $2b$, $2y$) through libxcrypt's crypt_rn, for hashes from releases that
// used passlib's bcrypt.

import CCrypt

enum Bcrypt {
    static func isBcrypt(_ hash: String) -> Bool {
        ["$2a$", "$2b$", "$2y$"].contains { hash.hasPrefix($0) }
    }

    /// True when `hash` is `password`'s bcrypt hash. Passwords with NUL bytes never match (as in Python's bcrypt).
    static func verify(_ password: [UInt8], against hash: String) -> Bool {
        guard !password.contains(0) else { return false }
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer { data.deallocate() }
        UnsafeMutableRawPointer(data).initializeMemory(
            as: UInt8.self, repeating: 0, count: MemoryLayout<crypt_data>.size)
        let computed: [UInt8]? = (password + [0]).withUnsafeBufferPointer { phrase in
            phrase.withMemoryRebound(to: CChar.self) { phrase in
                crypt_rn(phrase.baseAddress, hash, data, Int32(MemoryLayout<crypt_data>.size)).map {
                    Array(String(cString: $0).utf8)
                }
            }
        }
        guard let computed else { return false }
        return OpenSSL.constantTimeEqual(computed, Array(hash.utf8))
    }
}
