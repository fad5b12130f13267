// Gzip for responses of at least `minimumSize` bytes when the client accepts it, as Starlette's
// GZipMiddleware does (substring check of Accept-Encoding, `Vary: Accept-Encoding`).

import CZlib
import HTTPServer

public struct GZipMiddleware: Middleware {
    public let minimumSize: Int
    public let level: Int32

    public init(minimumSize: Int = 500, level: Int32 = 9) {
        self.minimumSize = minimumSize
        self.level = level
    }

    public nonisolated(nonsending) func respond(to request: HTTPRequest, next: any HTTPResponder) async throws
        -> HTTPResponse
    {
        var response = try await next.respond(to: request)
        guard request.headers["accept-encoding"]?.contains("gzip") == true, response.body.count >= minimumSize,
            !response.headers.contains("content-encoding"),
            response.headers["content-type"]?.hasPrefix("text/event-stream") != true,
            let compressed = Self.gzip(response.body, level: level)
        else { return response }
        response.body = compressed
        response.headers.set("Content-Encoding", "gzip")
        response.headers.addVary("Accept-Encoding")
        return response
    }

    /// `bytes` as a gzip member, or nil if zlib fails.
    static func gzip(_ bytes: [UInt8], level: Int32) -> [UInt8]? {
        var stream = z_stream()
        let windowBitsForGzip: Int32 = 15 + 16
        guard
            deflateInit2_(
                &stream, level, Z_DEFLATED, windowBitsForGzip, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { return nil }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        var input = bytes
        let status = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        output.removeLast(output.count - Int(stream.total_out))
        return output
    }
}
