// The request parser alone: valid framing, incremental input, and every malformed or
// oversized input answered with its status code.

import Testing

@testable import HTTPServer

/// Feeds `text` to a parser in pieces of `chunk` bytes; returns the requests, or the error.
func parse(
    _ text: String, chunk: Int = .max, limits: HTTPParserLimits = HTTPParserLimits()
) -> Result<[HTTPRequest], HTTPParseError> {
    var parser = HTTPRequestParser(limits: limits)
    var buffer: [UInt8] = []
    var requests: [HTTPRequest] = []
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunk)
        buffer += bytes[offset..<end]
        offset = end
        while true {
            do throws(HTTPParseError) {
                let (request, consumed) = try parser.parse(buffer)
                buffer.removeFirst(consumed)
                guard let request else { break }
                requests.append(request)
            } catch {
                return .failure(error)
            }
        }
    }
    return .success(requests)
}

func status(_ text: String, limits: HTTPParserLimits = HTTPParserLimits()) -> Int? {
    if case .failure(let error) = parse(text, limits: limits) { return error.status.code }
    return nil
}

@Suite struct ParserTests {
    @Test func simpleGet() throws {
        let requests = try parse("GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Thing:  spaced value \r\n\r\n").get()
        #expect(requests.count == 1)
        let r = requests[0]
        #expect(r.method == .get)
        #expect(r.target == "/a?b=1")
        #expect(r.path == "/a")
        #expect(r.query == "b=1")
        #expect(r.version == .http1_1)
        #expect(r.headers["x-thing"] == "spaced value")
        #expect(r.keepAlive)
    }

    @Test(arguments: [1, 2, 3, 7, 1000])
    func incrementalInputGivesTheSameRequests(chunk: Int) throws {
        let text =
            "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
            + "PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\n"
            + "GET /last HTTP/1.1\r\nHost: x\r\n\r\n"
        let requests = try parse(text, chunk: chunk).get()
        #expect(requests.map(\.target) == ["/p", "/c", "/last"])
        #expect(requests[0].body == Array("hello".utf8))
        #expect(requests[1].body == Array("abcde".utf8))
        #expect(requests[2].body.isEmpty)
    }

    @Test func keepAliveRules() throws {
        #expect(try parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").get()[0].keepAlive == false)
        #expect(try parse("GET / HTTP/1.0\r\n\r\n").get()[0].keepAlive == false)
        #expect(try parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").get()[0].keepAlive == true)
        #expect(
            try parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Close\r\n\r\n").get()[0].keepAlive == false)
        #expect(try parse("GET / HTTP/1.0\r\nConnection: , upgrade ,keep-alive\r\n\r\n").get()[0].keepAlive == true)
    }

    /// Header lists (RFC 9110 `#rule`): white space around elements is ignored; an empty element is
    /// a malformed Content-Length but is skipped in the other lists.
    @Test func headerListsAreSplitAndTrimmed() throws {
        let repeated = try parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2 ,\t2\r\n\r\nok").get()
        #expect(repeated[0].body == Array("ok".utf8))
        let chunked = try parse(
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: , Chunked ,\r\n\r\n2\r\nok\r\n0\r\n\r\n"
        ).get()
        #expect(chunked[0].body == Array("ok".utf8))
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2,\r\n\r\nok") == 400)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ,2\r\n\r\nok") == 400)
    }

    @Test func leadingEmptyLinesAreIgnored() throws {
        #expect(try parse("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n").get().count == 1)
    }

    @Test func identicalContentLengthsAreOneLength() throws {
        let r = try parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok").get()
        #expect(r[0].body == Array("ok".utf8))
    }

    /// Each status writes its line made once: code and reason phrase, standard or given.
    @Test func statusLinesCarryTheCodeAndThePhrase() {
        let cases: [(HTTPStatus, String)] = [
            (.ok, "HTTP/1.1 200 OK\r\n"), (.unprocessableContent, "HTTP/1.1 422 Unprocessable Content\r\n"),
            (HTTPStatus(code: 299, reasonPhrase: "Custom Thing"), "HTTP/1.1 299 Custom Thing\r\n"),
            (HTTPStatus(code: 299), "HTTP/1.1 299 Unknown\r\n"),
        ]
        for (status, line) in cases {
            var buffer: [UInt8] = []
            ResponseEncoder.encode(
                HTTPResponse(status: status, body: Array("x".utf8)), headOnly: false, keepAlive: true,
                version: .http1_1, date: Array("today".utf8), into: &buffer)
            let text = String(decoding: buffer, as: UTF8.self)
            #expect(text.hasPrefix(line))
            #expect(text.hasSuffix("\r\ndate: today\r\ncontent-length: 1\r\n\r\nx"))
        }
    }

    /// Field values are checked eight bytes at a time: a control character or DEL anywhere in a
    /// 20-byte value is a 400; tab and bytes from 0x80 are allowed anywhere.
    @Test func everyForbiddenByteInAFieldValueIsFoundWhereverItFalls() throws {
        for offset in 0..<20 {
            for (byte, allowed) in [
                (0x00, false), (0x01, false), (0x0D, false), (0x1F, false), (0x7F, false),
                (0x09, true), (0x80, true), (0xFF, true), (0x20, true),
            ] as [(UInt8, Bool)] {
                var value = Array(repeating: UInt8(ascii: "v"), count: 20)
                value[offset] = byte
                let head = Array("GET / HTTP/1.1\r\nHost: x\r\nX-Value: ".utf8) + value + Array("\r\n\r\n".utf8)
                var parser = HTTPRequestParser()
                let accepted: Bool
                do throws(HTTPParseError) {
                    accepted = try parser.parse(head).request != nil
                } catch {
                    #expect(error.status.code == 400)
                    accepted = false
                }
                #expect(accepted == allowed, "byte \(byte) at \(offset)")
            }
        }
    }

    /// The common spellings are recognised from a table, any other by comparing in lower case.
    @Test(arguments: ["Title", "lower", "UPPER", "mIxEd"])
    func framingHeadersAreRecognisedInAnyCase(spelling: String) throws {
        func spell(_ name: String) -> String {
            switch spelling {
            case "lower": name.lowercased()
            case "UPPER": name.uppercased()
            case "mIxEd":
                String(name.enumerated().map { $0.offset % 2 == 0 ? $0.element : Character($0.element.uppercased()) })
            default: name
            }
        }
        let host = "\(spell("Host")): x\r\n"
        let requests = try parse(
            "POST /a HTTP/1.1\r\n\(host)\(spell("Content-Length")): 2\r\n\r\nok"
                + "POST /b HTTP/1.1\r\n\(host)\(spell("Transfer-Encoding")): chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
                + "GET /c HTTP/1.1\r\n\(host)\(spell("Connection")): close\r\n\r\n"
        ).get()
        #expect(requests.map(\.body) == [Array("ok".utf8), Array("hi".utf8), []])
        #expect(requests.map(\.keepAlive) == [true, true, false])
        #expect(status("GET / HTTP/1.1\r\n\(host)\(spell("Host")): y\r\n\r\n") == 400)
        var parser = HTTPRequestParser()
        _ = try parser.parse(
            Array("POST / HTTP/1.1\r\n\(host)\(spell("Expect")): 100-continue\r\nContent-Length: 2\r\n\r\n".utf8))
        let expectsContinue = parser.takeContinueExpectation()
        #expect(expectsContinue)
    }

    @Test func expectContinueIsReportedOnceWhileTheBodyIsMissing() throws {
        var parser = HTTPRequestParser()
        let head = Array("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8)
        let (request, consumed) = try parser.parse(head)
        #expect(request == nil && consumed == head.count)
        let first = parser.takeContinueExpectation()
        let second = parser.takeContinueExpectation()
        #expect(first && !second)
        let (complete, _) = try parser.parse(Array("ok".utf8))
        #expect(complete?.body == Array("ok".utf8))
    }

    static let badRequests: [(String, String)] = [
        (
            "both framings",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        ),
        ("conflicting lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
        ("conflicting list", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabcd"),
        ("signed length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc"),
        ("hex length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x3\r\n\r\nabc"),
        ("empty length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n"),
        ("bad chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n"),
        ("empty chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\r\nab\r\n0\r\n\r\n"),
        (
            "negative chunk size",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nab\r\n0\r\n\r\n"
        ),
        ("huge chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000000\r\n"),
        ("chunk without CRLF", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n"),
        ("unknown coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
        ("chunked not alone", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
        (
            "chunked twice",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
        ),
        ("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\n\r\n"),
        ("space before colon", "GET / HTTP/1.1\r\nHost: x\r\nX-A : a\r\n\r\n"),
        ("bad name byte", "GET / HTTP/1.1\r\nHost: x\r\nX(A): a\r\n\r\n"),
        ("empty name", "GET / HTTP/1.1\r\nHost: x\r\n: a\r\n\r\n"),
        ("no colon", "GET / HTTP/1.1\r\nHost: x\r\nJustText\r\n\r\n"),
        ("control byte in value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{01}b\r\n\r\n"),
        ("bare LF", "GET / HTTP/1.1\nHost: x\n\n"),
        ("bare CR inside line", "GET / HTTP/1.1\r\nHost: x\rY\r\n\r\n"),
        ("bad version", "GET / HTTP/1.x\r\nHost: x\r\n\r\n"),
        ("lower-case version", "GET / http/1.1\r\nHost: x\r\n\r\n"),
        ("HTTP/0.9", "GET /\r\n\r\n"),
        ("two spaces", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("space in target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("fragment in target", "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("relative target", "GET a HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("absolute form without a host", "GET http:///a HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("bad method byte", "G@T / HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("missing host", "GET / HTTP/1.1\r\n\r\n"),
        ("two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        ("chunked in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        ("trailer obs-fold", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: b\r\n c\r\n\r\n"),
    ]

    @Test(arguments: badRequests)
    func malformedFramingIs400(name: String, text: String) {
        #expect(status(text) == 400, "\(name)")
    }

    /// Found by the fuzzer: limits were checked in a different order for complete and partial lines.
    @Test(arguments: [
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n \(String(repeating: "t", count: 40))\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;\(String(repeating: "e", count: 5000))\r\na\r\n0\r\n\r\n",
    ])
    func splitInputGivesTheSameErrorAsWholeInput(text: String) {
        var limits = HTTPParserLimits()
        limits.maxHeaderBytes = 32
        let whole = parse(text, limits: limits)
        let split = parse(text, chunk: 1, limits: limits)
        #expect(String(describing: whole) == String(describing: split))
        if case .success = whole { Issue.record("expected an error") }
    }

    /// Every byte value in a header name and in a method: only RFC 9110's `tchar` is accepted.
    @Test func onlyTokenBytesMakeNamesAndMethods() {
        let tchar = Set("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        for byte in UInt8.min...UInt8.max where byte != UInt8(ascii: ":") && byte != UInt8(ascii: "\n") {
            let name = Array("GET / HTTP/1.1\r\nHost: x\r\nX".utf8) + [byte] + Array(": v\r\n\r\n".utf8)
            let method = Array("G".utf8) + [byte] + Array("T / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            for request in [name, method] where byte != UInt8(ascii: " ") || request == name {
                var parser = HTTPRequestParser()
                let accepted = (try? parser.parse(request).request) != nil
                #expect(accepted == tchar.contains(byte), "byte \(byte)")
            }
        }
    }

    /// Common names come from a table of spellings; every name, common or not, keeps the
    /// spelling it was sent with, and the methods the parser interns keep theirs.
    @Test func headerNamesAndMethodsKeepTheirSpelling() throws {
        let names = [
            "host", "User-Agent", "user-agent", "USER-AGENT", "Hxst", "Accept", "accepT", "Acceptx", "Accept-Encoding",
            "Accept-Language", "accept-language", "Content-type", "Cookie", "cookie", "Origin", "Authorization",
            "Connection", "X", "X-Custom-Header-That-Is-Long",
        ]
        let head = names.map { "\($0): v\r\n" }.joined()
        for method in ["GET", "PUT", "POST", "HEAD", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "get", "POSTS"] {
            let request = try #require(try parse("\(method) / HTTP/1.1\r\n\(head)\r\n").get().first)
            #expect(request.method.rawValue == method)
            #expect(request.headers.fields.map(\.name) == names)
        }
    }

    /// A request is a value: a changed copy leaves the original as it was, and the path and
    /// query follow the target.
    @Test func requestsAreValuesWhosePathFollowsTheTarget() {
        let original = HTTPRequest(method: .get, target: "/a/b?x=1&y=?", headers: ["Host": "h"], body: [1])
        var copy = original
        copy.target = "/c"
        copy.headers.add("X", "y")
        copy.body.append(2)
        copy.remoteAddress = "peer"
        copy.method = .post
        #expect(original.target == "/a/b?x=1&y=?" && original.path == "/a/b" && original.query == "x=1&y=?")
        #expect(original.headers.count == 1 && original.body == [1] && original.remoteAddress.isEmpty)
        #expect(original.method == .get)
        #expect(copy.path == "/c" && copy.query == nil && copy.headers["x"] == "y" && copy.body == [1, 2])
        #expect(copy.remoteAddress == "peer" && copy.method == .post)
        copy.target = "/é?"
        #expect(copy.path == "/é" && copy.query == "")
    }

    /// Absolute-form, which HTTP/1.1 servers must accept (RFC 9112 3.2.2), routes as its path does.
    @Test(arguments: [
        ("http://example.com/api/v1/items/?skip=1", "/api/v1/items/?skip=1"),
        ("https://example.com:8443/a", "/a"),
        ("http://example.com", "/"),
        ("http://example.com?q=1", "/?q=1"),
    ])
    func absoluteFormTargetsBecomeTheirPathAndQuery(sent: String, target: String) throws {
        let requests = try parse("GET \(sent) HTTP/1.1\r\nHost: example.com\r\n\r\n").get()
        #expect(requests.map(\.target) == [target])
    }

    @Test func unsupportedMajorVersionIs505() {
        #expect(status("GET / HTTP/2.0\r\nHost: x\r\n\r\n") == 505)
    }

    @Test func limitsHaveTheirOwnStatus() {
        var limits = HTTPParserLimits()
        limits.maxRequestLineBytes = 64
        limits.maxHeaderBytes = 128
        limits.maxHeaderCount = 3
        limits.maxBodyBytes = 10
        let long = String(repeating: "a", count: 100)
        #expect(status("GET /\(long) HTTP/1.1\r\nHost: x\r\n\r\n", limits: limits) == 414)
        // An unterminated request line is refused as soon as it passes the limit.
        #expect(status("GET /\(long)", limits: limits) == 414)
        #expect(status("GET / HTTP/1.1\r\nHost: x\r\nX: \(long)\(long)\r\n\r\n", limits: limits) == 431)
        #expect(status("GET / HTTP/1.1\r\nHost: x\r\nX: \(long)\(long)", limits: limits) == 431)
        #expect(status("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: limits) == 431)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", limits: limits) == 413)
        #expect(
            status(
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\n", limits: limits)
                == 413)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits) == nil)
    }
}
