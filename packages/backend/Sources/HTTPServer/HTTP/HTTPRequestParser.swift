// The HTTP/1.1 request parser: incremental, strict about framing (RFC 9112) so that no two
// parsers can disagree on where a request ends, and enforcing every size limit as bytes arrive.

/// Size limits applied while parsing; each one has its own status code.
public struct HTTPParserLimits: Sendable {
    /// Longest request line (method, target, version) -> 414.
    public var maxRequestLineBytes = 8192
    /// Largest header section after the request line -> 431.
    public var maxHeaderBytes = 16384
    /// Most header fields in one request -> 431.
    public var maxHeaderCount = 100
    /// Largest request body, declared or received -> 413.
    public var maxBodyBytes = 1 << 20

    public init() {}
}

/// Why a request could not be parsed. The connection answers with `status` and closes.
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public let status: HTTPStatus
    public let reason: String

    static func bad(_ reason: String) -> HTTPParseError {
        HTTPParseError(status: .badRequest, reason: reason)
    }
    static let uriTooLong = HTTPParseError(status: .uriTooLong, reason: "request line too long")
    static let headersTooLarge = HTTPParseError(
        status: .requestHeaderFieldsTooLarge, reason: "header section too large")
    static let contentTooLarge = HTTPParseError(
        status: .contentTooLarge, reason: "request body too large")
    static let versionNotSupported = HTTPParseError(
        status: .httpVersionNotSupported, reason: "HTTP version not supported")

    public var description: String { "\(status.code) \(reason)" }

    /// The server's answer: `{"detail": "<reason phrase>: <reason>"}`, with `Retry-After` on a 503
    /// (overload passes).
    var response: HTTPResponse {
        .detail(
            status, "\(status.reasonPhrase): \(reason)",
            headers: status == .serviceUnavailable ? ["Retry-After": "1"] : [:])
    }
}

public struct HTTPRequestParser {
    public let limits: HTTPParserLimits

    private enum State {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytes: Int)
    }

    private var state = State.head
    /// While in `.head`: where the first line not yet terminated starts, from the head's start.
    private var headScan = 0
    /// While in `.head`: the length of the request line once its LF has been seen.
    private var requestLineLength: Int?
    /// The head of the request whose body is being read.
    private var pending: HTTPRequest?
    private var pendingExpectsContinue = false

    /// Longest chunk-size line, extensions included.
    static let maxChunkSizeLine = 4096

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    /// True while a request's head has been parsed and its body is still being received.
    public var isReadingBody: Bool { pending != nil }

    /// The memory the body being received holds so far (what is allocated for it, not only what
    /// arrived).
    public var bodyBytesHeld: Int { pending?.body.capacity ?? 0 }

    /// Returns true once for a request that sent `Expect: 100-continue` and whose body has not
    /// arrived yet: the caller then sends `100 Continue`.
    public mutating func takeContinueExpectation() -> Bool {
        guard pendingExpectsContinue, pending != nil else { return false }
        pendingExpectsContinue = false
        return true
    }

    /// Parses what it can of `input`. Returns a complete request, if one is, and how many bytes
    /// of `input` were consumed; the caller drops those and calls again with what follows.
    public mutating func parse(
        _ input: UnsafeRawBufferPointer
    ) throws(HTTPParseError) -> (request: HTTPRequest?, consumed: Int) {
        var offset = 0
        while true {
            switch state {
            case .head:
                if headScan == 0 && requestLineLength == nil {
                    // RFC 9112 §2.2: ignore empty lines received before a request line.
                    while offset + 1 < input.count && input[offset] == cr && input[offset + 1] == lf {
                        offset += 2
                    }
                }
                guard let headEnd = try scanHead(input, from: offset) else {
                    return (nil, offset)
                }
                let head = try parseHead(UnsafeRawBufferPointer(rebasing: input[offset..<headEnd]))
                offset = headEnd
                headScan = 0
                requestLineLength = nil
                if let complete = try beginBody(of: head) { return (complete, offset) }

            case .fixedBody(let remaining):
                let n = min(remaining, input.count - offset)
                let (count, capacity) = (pending!.body.count, pending!.body.capacity)
                if count + n > capacity {
                    // Doubling, as an append would, but never past the declared length.
                    pending!.body.reserveCapacity(min(count + remaining, max(2 * capacity, count + n)))
                }
                pending!.body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset..<offset + n]))
                offset += n
                if n < remaining {
                    state = .fixedBody(remaining: remaining - n)
                    return (nil, offset)
                }
                return (finish(), offset)

            case .chunkSize:
                // The same limit whether or not the line's end has arrived yet.
                let lineEnd = input.firstIndex(ofByte: lf, from: offset)
                if (lineEnd ?? input.count) - offset > Self.maxChunkSizeLine {
                    throw .bad("chunk size line too long")
                }
                guard let lineEnd else { return (nil, offset) }
                let size = try parseChunkSize(UnsafeRawBufferPointer(rebasing: input[offset..<lineEnd]))
                offset = lineEnd + 1
                if size == 0 {
                    state = .trailers(bytes: 0)
                } else {
                    if pending!.body.count + size > limits.maxBodyBytes { throw .contentTooLarge }
                    state = .chunkData(remaining: size)
                }

            case .chunkData(let remaining):
                let n = min(remaining, input.count - offset)
                pending!.body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset..<offset + n]))
                offset += n
                if n < remaining {
                    state = .chunkData(remaining: remaining - n)
                    return (nil, offset)
                }
                state = .chunkDataEnd

            case .chunkDataEnd:
                guard input.count - offset >= 2 else { return (nil, offset) }
                guard input[offset] == cr && input[offset + 1] == lf else {
                    throw .bad("chunk data not followed by CRLF")
                }
                offset += 2
                state = .chunkSize

            case .trailers(let bytes):
                guard let lineEnd = input.firstIndex(ofByte: lf, from: offset) else {
                    if bytes + input.count - offset > limits.maxHeaderBytes { throw .headersTooLarge }
                    return (nil, offset)
                }
                let line = UnsafeRawBufferPointer(rebasing: input[offset..<lineEnd])
                // Size first, as while the line is still arriving, so split input gives the same error.
                let total = bytes + line.count + 1
                if total > limits.maxHeaderBytes { throw .headersTooLarge }
                guard line.last == cr else { throw .bad("trailer line not terminated by CRLF") }
                offset = lineEnd + 1
                if line.count == 1 { return (finish(), offset) }
                if line.first == sp || line.first == htab { throw .bad("obsolete line folding") }
                state = .trailers(bytes: total)
            }
        }
    }

    /// `parse` over `bytes[start...]`.
    public mutating func parse(
        _ bytes: [UInt8], from start: Int = 0
    ) throws(HTTPParseError) -> (request: HTTPRequest?, consumed: Int) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(HTTPParseError) in try parse(UnsafeRawBufferPointer(rebasing: raw[start...])) }
        }
        return try result.get()
    }

    // MARK: - Head

    /// Finds the end of the head (just past its empty line) or checks the limits on what has
    /// arrived so far. Remembers how far it looked, so a slow sender costs no rescanning.
    private mutating func scanHead(_ input: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError) -> Int? {
        var lineStart = start + headScan
        while let lf = input.firstIndex(ofByte: lf, from: lineStart) {
            let lineLength = lf - lineStart  // without the LF
            if let requestLine = requestLineLength {
                if lf + 1 - start - requestLine > limits.maxHeaderBytes { throw .headersTooLarge }
                if lineLength == 0 || (lineLength == 1 && input[lineStart] == cr) {
                    return lf + 1
                }
            } else {
                if lineLength > limits.maxRequestLineBytes { throw .uriTooLong }
                requestLineLength = lineLength + 1
            }
            lineStart = lf + 1
        }
        headScan = lineStart - start
        let pendingBytes = input.count - lineStart
        if let requestLine = requestLineLength {
            if input.count - start - requestLine > limits.maxHeaderBytes { throw .headersTooLarge }
        } else if pendingBytes > limits.maxRequestLineBytes {
            throw .uriTooLong
        }
        return nil
    }

    /// Parses a complete head (request line, header fields, empty line) into a request.
    private func parseHead(_ head: UnsafeRawBufferPointer) throws(HTTPParseError) -> ParsedHead {
        guard let firstLF = head.firstIndex(ofByte: lf, from: 0) else { throw .bad("malformed request line") }
        let (method, target, version) = try parseRequestLine(UnsafeRawBufferPointer(rebasing: head[0..<firstLF]))

        var headers = HTTPHeaders(capacity: 8)
        var framing = Framing()
        var lineStart = firstLF + 1
        while let lineEnd = head.firstIndex(ofByte: lf, from: lineStart) {
            let line = UnsafeRawBufferPointer(rebasing: head[lineStart..<lineEnd])
            lineStart = lineEnd + 1
            guard line.last == cr else { throw .bad("header line not terminated by CRLF") }
            if line.count == 1 { break }
            if headers.count == limits.maxHeaderCount { throw .headersTooLarge }
            let (name, value) = try parseField(UnsafeRawBufferPointer(rebasing: line[0..<line.count - 1]))
            // A common name is a valid token as it is; only others are checked byte by byte.
            let interned = HeaderNames.interned(name)
            if interned == nil, !name.allSatisfy(isTokenByte) { throw .bad("invalid header field name") }
            try framing.observe(interned?.role ?? HeaderRole(anyCase: name), value)
            headers.add(
                interned?.name ?? String(decoding: name, as: UTF8.self), bytes: name,
                String(decoding: value, as: UTF8.self))
        }
        return try framing.head(method: method, target: target, version: version, headers: headers)
    }

    private func parseRequestLine(
        _ line: UnsafeRawBufferPointer
    ) throws(HTTPParseError) -> (HTTPMethod, String, HTTPVersion) {
        guard line.last == cr else { throw .bad("request line not terminated by CRLF") }
        let content = UnsafeRawBufferPointer(rebasing: line[0..<line.count - 1])
        guard let sp1 = content.firstIndex(ofByte: sp, from: 0), sp1 > 0,
            let sp2 = content.firstIndex(ofByte: sp, from: sp1 + 1), sp2 > sp1 + 1
        else { throw .bad("malformed request line") }
        let methodBytes = UnsafeRawBufferPointer(rebasing: content[0..<sp1])
        guard methodBytes.allSatisfy(isTokenByte) else { throw .bad("invalid method") }
        let targetBytes = UnsafeRawBufferPointer(rebasing: content[sp1 + 1..<sp2])
        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") }) else {
            throw .bad("invalid character in request target")
        }
        let version = try parseVersion(UnsafeRawBufferPointer(rebasing: content[(sp2 + 1)...]))
        return (HTTPMethod.parse(methodBytes), try originForm(of: targetBytes), version)
    }

    /// The target as a path and query: origin-form (`/a?b`) and `*` as sent; absolute-form
    /// (`http://host/a?b`, which HTTP/1.1 servers must accept, RFC 9112 3.2.2) without its scheme
    /// and authority, so it routes as its path does.
    private func originForm(of target: UnsafeRawBufferPointer) throws(HTTPParseError) -> String {
        if target.first == UInt8(ascii: "/") || target.elementsEqual("*".utf8) {
            return String(decoding: target, as: UTF8.self)
        }
        let schemeLength =
            target.starts(with: "http://".utf8) ? 7 : target.starts(with: "https://".utf8) ? 8 : 0
        guard schemeLength > 0 else { throw .bad("invalid request target") }
        let afterScheme = UnsafeRawBufferPointer(rebasing: target[schemeLength...])
        let authority = afterScheme.prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") }
        guard !authority.isEmpty else { throw .bad("invalid request target") }
        let rest = String(decoding: afterScheme[authority.count...], as: UTF8.self)
        return rest.hasPrefix("/") ? rest : "/" + rest
    }

    private func parseVersion(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPVersion {
        guard bytes.count == 8, UnsafeRawBufferPointer(rebasing: bytes[..<5]).equals("HTTP/"),
            bytes[6] == UInt8(ascii: "."),
            isDigit(bytes[5]), isDigit(bytes[7])
        else { throw .bad("invalid HTTP version") }
        let version = HTTPVersion(major: Int(bytes[5] - 0x30), minor: Int(bytes[7] - 0x30))
        guard version.major == 1 else { throw .versionNotSupported }
        return version
    }

    /// Splits a header line into its name (not yet checked to be a token) and its value without
    /// surrounding white space.
    private func parseField(
        _ line: UnsafeRawBufferPointer
    ) throws(HTTPParseError) -> (name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        if line.first == sp || line.first == htab { throw .bad("obsolete line folding") }
        guard let colon = line.firstIndex(ofByte: UInt8(ascii: ":"), from: 0), colon > 0 else {
            throw .bad("header line without a field name")
        }
        let name = UnsafeRawBufferPointer(rebasing: line[0..<colon])
        let value = UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]).trimmingOWS
        guard isFieldValue(value) else { throw .bad("invalid character in header field value") }
        return (name, value)
    }

    // MARK: - Body

    /// Starts reading the body the head declared; returns the request if it has none.
    private mutating func beginBody(of head: ParsedHead) throws(HTTPParseError) -> HTTPRequest? {
        pending = head.request
        pendingExpectsContinue = head.expectsContinue
        switch head.framing {
        case .chunked:
            state = .chunkSize
            return nil
        case .length(let n) where n > 0:
            if n > limits.maxBodyBytes { throw .contentTooLarge }
            // Grown as bytes arrive: a declared length is no promise that they will.
            pending!.body.reserveCapacity(min(n, 16 * 1024))
            state = .fixedBody(remaining: n)
            return nil
        default:
            return finish()
        }
    }

    private mutating func finish() -> HTTPRequest {
        let request = pending!
        pending = nil
        pendingExpectsContinue = false
        state = .head
        return request
    }

    private func parseChunkSize(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> Int {
        guard line.last == cr else { throw .bad("chunk size line not terminated by CRLF") }
        var size = 0
        var digits = 0
        var i = 0
        while i < line.count - 1, let digit = hexValue(line[i]) {
            digits += 1
            if digits > 15 { throw .bad("chunk size too large") }
            size = size << 4 | digit
            i += 1
        }
        guard digits > 0 else { throw .bad("invalid chunk size") }
        while i < line.count - 1 && (line[i] == sp || line[i] == htab) { i += 1 }
        if i < line.count - 1 {
            guard line[i] == UInt8(ascii: ";") else { throw .bad("invalid chunk size") }
            let ext = UnsafeRawBufferPointer(rebasing: line[i..<line.count - 1])
            guard ext.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == htab }) else {
                throw .bad("invalid chunk extension")
            }
        }
        return size
    }
}

// MARK: - Framing headers

/// How a request's body is delimited.
private enum BodyFraming {
    case length(Int)
    case chunked
}

/// A parsed head: the request without its body, and how the body is delimited.
private struct ParsedHead {
    var request: HTTPRequest
    var framing: BodyFraming
    var expectsContinue: Bool
}

/// Collects the headers that decide framing and connection reuse, rejecting every ambiguity
/// that could let a proxy and this server disagree on where a request ends.
private struct Framing {
    var contentLength: Int?
    /// Transfer codings named so far (the only one accepted is a single `chunked`).
    var transferCodings = 0
    var chunked = false
    var sawTransferEncoding = false
    var connectionClose = false
    var connectionKeepAlive = false
    var expectsContinue = false
    var hostCount = 0

    /// Looks at the fields that frame the request.
    mutating func observe(_ role: HeaderRole, _ value: UnsafeRawBufferPointer) throws(HTTPParseError) {
        switch role {
        case .contentLength:
            try value.forEachListElement(keepingEmpty: true) { (digits) throws(HTTPParseError) in
                guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy(isDigit) else {
                    throw .bad("invalid Content-Length")
                }
                let n = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                if let seen = contentLength, seen != n { throw .bad("conflicting Content-Length values") }
                contentLength = n
            }
        case .transferEncoding:
            sawTransferEncoding = true
            value.forEachListElement(keepingEmpty: false) { coding in
                transferCodings += 1
                chunked = coding.equalsLowercased("chunked")
            }
        case .connection:
            value.forEachListElement(keepingEmpty: false) { option in
                if option.equalsLowercased("close") { connectionClose = true }
                if option.equalsLowercased("keep-alive") { connectionKeepAlive = true }
            }
        case .host:
            hostCount += 1
        case .expect:
            expectsContinue = value.equalsLowercased("100-continue")
        case .other:
            break
        }
    }

    func head(
        method: HTTPMethod, target: String, version: HTTPVersion, headers: HTTPHeaders
    ) throws(HTTPParseError) -> ParsedHead {
        if sawTransferEncoding {
            if version == .http1_0 { throw .bad("Transfer-Encoding in an HTTP/1.0 request") }
            if contentLength != nil { throw .bad("both Content-Length and Transfer-Encoding") }
            guard transferCodings == 1, chunked else { throw .bad("unsupported transfer coding") }
        }
        if version.minor >= 1 && hostCount != 1 {
            throw .bad(hostCount == 0 ? "missing Host header" : "more than one Host header")
        }
        let keepAlive = version.minor >= 1 ? !connectionClose : connectionKeepAlive && !connectionClose
        let request = HTTPRequest(
            method: method, target: target, version: version, headers: headers, keepAlive: keepAlive)
        return ParsedHead(
            request: request,
            framing: sawTransferEncoding ? .chunked : .length(contentLength ?? 0),
            expectsContinue: expectsContinue && version.minor >= 1)
    }
}

// MARK: - Bytes

private let cr = UInt8(ascii: "\r")
private let lf = UInt8(ascii: "\n")
private let sp = UInt8(ascii: " ")
private let htab = UInt8(ascii: "\t")

private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

private func hexValue(_ b: UInt8) -> Int? {
    switch b {
    case 0x30...0x39: return Int(b - 0x30)
    case 0x41...0x46: return Int(b - 0x41 + 10)
    case 0x61...0x66: return Int(b - 0x61 + 10)
    default: return nil
    }
}

/// RFC 9110 `field-value` bytes: visible ASCII, space, tab and obs-text (0x80 and up); no other
/// control character, no DEL. Eight bytes at a time while none is below 0x20 or DEL.
private func isFieldValue(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    func below(_ bound: UInt64, _ word: UInt64) -> UInt64 { (word &- ones &* bound) & ~word & (ones &* 0x80) }
    var index = 0
    while index + 8 <= bytes.count {
        let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        if below(0x20, word) | below(1, word ^ (ones &* 0x7F)) != 0 { break }
        index += 8
    }
    while index < bytes.count {
        let byte = bytes[index]
        guard byte >= 0x20 && byte != 0x7F || byte == htab else { return false }
        index += 1
    }
    return true
}

/// RFC 9110 `tchar`: a bit per byte value below 128, in two words (no table to initialise).
private func isTokenByte(_ byte: UInt8) -> Bool {
    let (low, high): (UInt64, UInt64) = (0x03FF_6CFA_0000_0000, 0x57FF_FFFF_C7FF_FFFE)
    return byte < 64 ? low >> byte & 1 == 1 : byte < 128 && high >> (byte - 64) & 1 == 1
}

extension UnsafeRawBufferPointer {
    /// Calls `body` with each element of this comma-separated list (RFC 9110 `#rule`), without the
    /// white space around it; empty elements only when `keepingEmpty`.
    fileprivate func forEachListElement<Failure: Error>(
        keepingEmpty: Bool, _ body: (UnsafeRawBufferPointer) throws(Failure) -> Void
    ) throws(Failure) {
        var start = 0
        while start <= count {
            var end = start
            while end < count && self[end] != UInt8(ascii: ",") { end += 1 }
            let element = UnsafeRawBufferPointer(rebasing: self[start..<end]).trimmingOWS
            if keepingEmpty || !element.isEmpty { try body(element) }
            start = end + 1
        }
    }
}
