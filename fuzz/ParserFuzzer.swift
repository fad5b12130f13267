// libFuzzer entry point for the HTTP request parser. Properties checked on every input:
// no crash or trap, consumed counts stay in bounds, limits hold, and parsing the same bytes
// whole or split at an input-chosen point gives the same requests or the same error.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let split = Int(data[0])
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let whole = run(bytes, chunk: bytes.count + 1)
    let pieces = run(bytes, chunk: max(1, split))
    precondition(whole == pieces, "split parsing disagrees: \(whole) vs \(pieces)")
    return 0
}

private struct Outcome: Equatable, CustomStringConvertible {
    var requests: [String] = []
    var error: Int?
    var description: String { "\(requests) error=\(error.map(String.init) ?? "none")" }
}

private func run(_ bytes: [UInt8], chunk: Int) -> Outcome {
    var limits = HTTPParserLimits()
    limits.maxRequestLineBytes = 256
    limits.maxHeaderBytes = 512
    limits.maxHeaderCount = 16
    limits.maxBodyBytes = 1024
    var parser = HTTPRequestParser(limits: limits)
    var buffer: [UInt8] = []
    var outcome = Outcome()
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunk)
        buffer += bytes[offset..<end]
        offset = end
        while true {
            do throws(HTTPParseError) {
                let (request, consumed) = try parser.parse(buffer)
                precondition(consumed >= 0 && consumed <= buffer.count)
                buffer.removeFirst(consumed)
                guard let request else { break }
                precondition(request.body.count <= limits.maxBodyBytes)
                outcome.requests.append(
                    "\(request.method) \(request.target) \(request.version) \(request.headers.count) "
                        + "\(request.body) \(request.keepAlive)")
            } catch {
                outcome.error = error.status.code
                return outcome
            }
        }
    }
    return outcome
}
