// TLS for the SMTP client through OpenSSL: a client context (system CA store, optional extra
// CA file, certificate and host-name checks that can be turned off for local sinks) and a
// session over a connected blocking socket.

import COpenSSL

#if canImport(Glibc)
    import Glibc
#endif

/// A configured client SSL_CTX; OpenSSL allows sharing it between threads once set up.
final class TLSContext: @unchecked Sendable {
    struct SetupError: Error {
        let detail: String
    }

    fileprivate let context: OpaquePointer
    fileprivate let verifies: Bool

    init(verifyCertificates: Bool, caFile: String?) throws(SetupError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw SetupError(detail: "SSL_CTX_new: \(openSSLErrors())")
        }
        self.context = context
        self.verifies = verifyCertificates
        SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
        guard verifyCertificates else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
            return
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard SSL_CTX_set_default_verify_paths(context) == 1 else {
            throw SetupError(detail: "cannot load the system CA store: \(openSSLErrors())")
        }
        if let caFile, SSL_CTX_load_verify_locations(context, caFile, nil) != 1 {
            throw SetupError(detail: "cannot load CA file \(caFile): \(openSSLErrors())")
        }
    }

    deinit { SSL_CTX_free(context) }
}

/// One TLS connection. Blocking, like its socket, whose receive/send timeouts bound every call.
final class TLSSession {
    private let ssl: OpaquePointer

    /// Handshakes over `fd`, checking the certificate names `host` when the context verifies.
    init(context: TLSContext, fd: Int32, host: String) throws(TransportError) {
        ERR_clear_error()
        guard let ssl = SSL_new(context.context) else { throw TransportError("SSL_new: \(openSSLErrors())") }
        self.ssl = ssl
        SSL_set_fd(ssl, fd)
        if isIPAddress(host) {
            if context.verifies { X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) }
        } else {
            host.withCString {
                _ = SSL_ctrl(
                    ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name),
                    UnsafeMutableRawPointer(mutating: $0))
            }
            if context.verifies { SSL_set1_host(ssl, host) }
        }
        let result = SSL_connect(ssl)
        guard result == 1 else {
            let verification = SSL_get_verify_result(ssl)
            if verification != X509_V_OK {
                throw TransportError(
                    "certificate verification failed: \(String(cString: X509_verify_cert_error_string(verification)))")
            }
            throw failure(result)
        }
    }

    deinit { SSL_free(ssl) }

    /// Reads into `buffer`: the byte count, or 0 when the server closed the connection.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> Int {
        ERR_clear_error()
        let count = SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
        if count > 0 { return Int(count) }
        if SSL_get_error(ssl, count) == SSL_ERROR_ZERO_RETURN { return 0 }
        throw failure(count)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TransportError) -> Int {
        ERR_clear_error()
        let count = SSL_write(ssl, bytes.baseAddress, Int32(bytes.count))
        guard count > 0 else { throw failure(count) }
        return Int(count)
    }

    /// Sends close_notify without waiting for the server's.
    func shutdown() { SSL_shutdown(ssl) }

    private func failure(_ result: Int32) -> TransportError {
        let code = errno
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return .timedOut
        case SSL_ERROR_SYSCALL where code == EAGAIN: return .timedOut
        case SSL_ERROR_SYSCALL where code != 0: return TransportError(String(cString: strerror(code)))
        case SSL_ERROR_SYSCALL: return TransportError("connection closed by the server")
        default: return TransportError(openSSLErrors())
        }
    }
}

/// Everything on this thread's OpenSSL error queue, oldest first, and clears it.
private func openSSLErrors() -> String {
    var messages: [String] = []
    while case let code = ERR_get_error(), code != 0 {
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        messages.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    return messages.isEmpty ? "unknown TLS error" : messages.joined(separator: "; ")
}

private func isIPAddress(_ host: String) -> Bool {
    var address = in6_addr()
    return inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
}
