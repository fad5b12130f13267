// The OpenSSL primitives Security needs: HMAC-SHA256, random bytes, constant-time comparison.

import COpenSSL

enum OpenSSL {
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        // A one-byte buffer stands in for an empty key: OpenSSL reads a null key as "reuse the last one".
        let keyBytes = key.isEmpty ? [0] : key
        let result = keyBytes.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                HMAC(
                    EVP_sha256(), keyBuffer.baseAddress, Int32(key.count), messageBuffer.baseAddress,
                    messageBuffer.count,
                    &digest, &length)
            }
        }
        precondition(result != nil, "HMAC-SHA256 failed")
        return Array(digest.prefix(Int(length)))
    }

    /// Cryptographically secure random bytes.
    static func randomBytes(_ count: Int) throws(SecurityError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw .randomness }
        return bytes
    }

    /// Equal contents, compared in time that depends only on the length.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        lhs.withUnsafeBufferPointer { lhs in rhs.withUnsafeBufferPointer { rhs in constantTimeEqual(lhs, rhs) } }
    }

    /// The UTF-8 bytes of `lhs` and `rhs` are equal, compared in time that depends only on the length.
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        var (lhs, rhs) = (lhs, rhs)
        return lhs.withUTF8 { lhs in rhs.withUTF8 { rhs in constantTimeEqual(lhs, rhs) } }
    }

    private static func constantTimeEqual(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool
    {
        lhs.count == rhs.count && (lhs.isEmpty || CRYPTO_memcmp(lhs.baseAddress, rhs.baseAddress, lhs.count) == 0)
    }
}
