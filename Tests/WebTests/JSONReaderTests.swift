// Reading a body straight into its model agrees with decoding it through the tree: whenever the
// reader gives a value, the tree gives the same one; where the tree fails (syntax, types, lax
// conversions, constraints, missing keys), the reader gives up; plain bodies are read straight.

import FoundationEssentials
import HTTPServer
import Logging
import Testing

@testable import JSON
@testable import Web

struct Address: Model, Equatable {
    var city: String
    var zip: String?
    static let fields = ModelFields(
        Address.init, Field("city", \.city, .minLength(1)), Field("zip", \.zip, .pattern("^[0-9]{5}$")))
}

struct Order: Model, Equatable {
    var title: String
    var quantity: Int
    var price: Double?
    var gift: Bool
    var reference: UUID?
    var address: Address?
    static let fields = ModelFields(
        Order.init,
        Field("title", \.title, .minLength(1), .maxLength(10)),
        Field("quantity", \.quantity, .ge(1), .le(99)),
        Field("price", \.price, .gt(0)),
        Field("gift", \.gift, default: false),
        Field("reference", \.reference),
        Field("address", \.address))
}

struct Note: Model, Equatable {
    var text: Omittable<String?>
    var email: String?
    static let fields = ModelFields(Note.init, Field("text", \.text, .maxLength(5)), Field("email", \.email, .email))
}

/// Seven fields: past the fixed-arity initializers, so it has no reader and always takes the tree.
struct Wide: Model, Equatable {
    var a: Int, b: Int, c: Int, d: Int, e: Int, f: Int, g: Int
    static let fields = ModelFields(
        Wide.init, Field("a", \.a), Field("b", \.b), Field("c", \.c), Field("d", \.d), Field("e", \.e),
        Field("f", \.f), Field("g", \.g))
}

struct Kelvin: Model, Equatable {
    var k: Int
    static let fields = ModelFields(Kelvin.init, Field("\u{212A}", \.k, default: 0))
}

struct Twice: Model, Equatable {
    var x: Int
    var y: Int
    static let fields = ModelFields(Twice.init, Field("a", \.x), Field("a", \.y, default: 0))
}

@Suite struct JSONReaderTests {
    /// The value the tree path decodes from `text`, nil on any syntax error or issue.
    func decodedThroughTheTree<M: Model>(_ text: String, as type: M.Type) -> M? {
        guard let json = try? JSONParser.parse(Array(text.utf8)) else { return nil }
        let issues = ValidationIssues()
        let value = M.decode(json, at: FieldLocation(["body"]), constraints: [], issues: issues)
        return issues.isEmpty ? value : nil
    }

    func readStraight<M: Model>(_ text: String, as type: M.Type) -> M? {
        JSONReader.read(Array(text.utf8), isASCII: text.utf8.allSatisfy { $0 < 0x80 }) { reader in
            M.read(from: &reader, constraints: [])
        }
    }

    @Test(arguments: [
        // Plain bodies: read straight.
        (#"{"title":"pen","quantity":2}"#, true),
        (
            #"{"title":"pen","quantity":2,"price":1.5,"gift":true,"reference":"7d444840-9dc0-11d1-b245-5ffdce74fad2"}"#,
            true
        ),
        (" \n{ \"quantity\" : 3 , \"title\" : \"ink\" } \t", true),
        ("\u{FEFF}{\"title\":\"pen\",\"quantity\":2}", true),
        (#"{"title":"p\u00e9n\n","quantity":2,"price":null,"reference":null,"address":null}"#, true),
        (#"{"title":"pen","quantity":2,"address":{"city":"Oslo","zip":"01234"}}"#, true),
        (#"{"title":"pen","quantity":2,"extra":{"deep":[1,{"x":null}],"s":"\"}"},"more":[]}"#, true),
        (#"{"title":"bad","quantity":2,"title":"pen","quantity":5}"#, true),
        (#"{"title":"bad","quantity":200,"title":"pen","quantity":5}"#, false),
        (#"{"title":"pen","quantity":2,"price":3e2}"#, true),
        (#"{"title":"ααααααααα","quantity":2}"#, true),
        // Lengths in scalars, whether the characters are escaped or not.
        (#"{"title":"\#(String(repeating: #"\u00e9"#, count: 10))","quantity":2}"#, true),
        (#"{"title":"\#(String(repeating: #"\u00e9"#, count: 11))","quantity":2}"#, false),
        (#"{"title":"\#(String(repeating: #"\n"#, count: 10))","quantity":2}"#, true),
        // Lax conversions and unusual keys: the tree decodes them, the reader gives up.
        (#"{"title":"pen","quantity":"2"}"#, false),
        (#"{"title":"pen","quantity":2.0}"#, false),
        (#"{"title":"pen","quantity":true}"#, false),
        (#"{"title":"pen","quantity":2,"gift":"yes"}"#, false),
        (#"{"ti\u0074le":"pen","quantity":2}"#, false),
        (#"{"title":"pen","quantity":2,"reference":"7D444840-9DC0-11D1-B245-5FFDCE74FAD2"}"#, true),
        (#"{"title":"pen","quantity":2,"reference":"{7d444840-9dc0-11d1-b245-5ffdce74fad2}"}"#, true),
        (#"{"title":"pen","quantity":2,"reference":"7d444840"}"#, false),
        (#"{"title":"a\u0001","quantity":2}"#, true),
        // The tree fails too: syntax, types, constraints, missing keys.
        (#"{"title":"pen","quantity":2,}"#, false),
        (#"{"title":"pen","quantity":2} x"#, false),
        (#"{"title":"pen","quantity":2"#, false),
        (#"{"title":"pen" "quantity":2}"#, false),
        (#"{"title":"","quantity":2}"#, false),
        (#"{"title":"elevenchars","quantity":2}"#, false),
        (#"{"title":"pen","quantity":0}"#, false),
        (#"{"title":"pen","quantity":2,"price":0}"#, false),
        (#"{"title":"pen","quantity":2,"price":NaN}"#, false),
        (#"{"title":"pen"}"#, false),
        (#"{"title":null,"quantity":2}"#, false),
        (#"{"title":"pen","quantity":2,"address":{"zip":"01234"}}"#, false),
        (#"{"title":"pen","quantity":2,"address":{"city":"Oslo","zip":"1"}}"#, false),
        (#"{"title":"pen","quantity":2,"address":[]}"#, false),
        (#"{"title":"pen","quantity":2,"title":""}"#, false),
        (#"{"title":"pen","quantity":99999999999999999999}"#, false),
        ("{\"title\":\"a\u{01}\",\"quantity\":2}", false),
        (#"[{"title":"pen","quantity":2}]"#, false),
        ("\"pen\"", false),
        ("", false),
    ])
    func readingAgreesWithTheTree(body: String, readStraight expectStraight: Bool) {
        let tree = decodedThroughTheTree(body, as: Order.self)
        let straight = readStraight(body, as: Order.self)
        if let straight { #expect(straight == tree) }
        #expect((straight != nil) == expectStraight)
    }

    /// Seeded mutations of plain bodies (bytes replaced, inserted, removed): wherever the reader
    /// gives a value, the tree gives the same one.
    @Test func mutatedBodiesNeverReadDifferently() {
        let seeds = [
            #"{"title":"pen","quantity":12,"price":1.5,"gift":true,"reference":null}"#,
            #"{"title":"ink","quantity":2,"address":{"city":"Oslo","zip":"01234"},"x":[1,"a",{}]}"#,
        ]
        let alphabet = Array(#"{}[]:,"\ 0123456789.eE+-tfnulrsa\/"#.utf8)
        var random = SplitMix64(seed: 0x5EED)
        var (agreed, readStraight) = (0, 0)
        for round in 0..<3000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            for _ in 0...random.next(below: 3) {
                let at = random.next(below: bytes.count)
                let byte = alphabet[random.next(below: alphabet.count)]
                switch random.next(below: 3) {
                case 0: bytes[at] = byte
                case 1: bytes.insert(byte, at: at)
                default: bytes.remove(at: at)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let tree = decodedThroughTheTree(text, as: Order.self)
            guard let straight = self.readStraight(text, as: Order.self) else { continue }
            readStraight += 1
            #expect(straight == tree, "\(text)")
            if straight == tree { agreed += 1 }
        }
        #expect(readStraight > 100)
        #expect(agreed == readStraight)
    }

    @Test func omittedNullAndEmailNormalisationAgree() {
        for body in [
            #"{}"#, #"{"text":null}"#, #"{"text":"hi"}"#, #"{"text":"toolong"}"#,
            #"{"email":"Someone <Someone@EXAMPLE.com>"}"#, #"{"email":"not an email"}"#,
        ] {
            let tree = decodedThroughTheTree(body, as: Note.self)
            let straight = readStraight(body, as: Note.self)
            #expect(straight == tree, "\(body)")
        }
        #expect(readStraight(#"{}"#, as: Note.self)?.text == .omitted)
        #expect(readStraight(#"{"text":null}"#, as: Note.self)?.text == .value(nil))
        #expect(readStraight(#"{"email":"a@EXAMPLE.com"}"#, as: Note.self)?.email == "a@example.com")
    }

    @Test func nestingPastTheTreesLimitIsRefusedByBoth() {
        let depth = JSONParser.maximumDepth
        let nested = String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1)
        let fits = #"{"title":"pen","quantity":2,"extra":\#(nested)}"#
        #expect(decodedThroughTheTree(fits, as: Order.self) != nil)
        #expect(readStraight(fits, as: Order.self) != nil)
        let deeper = #"{"title":"pen","quantity":2,"extra":[\#(nested)]}"#
        #expect(decodedThroughTheTree(deeper, as: Order.self) == nil)
        #expect(readStraight(deeper, as: Order.self) == nil)
    }

    @Test func modelsWithoutAReaderAreDecodedThroughTheTree() {
        let body = #"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7}"#
        #expect(readStraight(body, as: Wide.self) == nil)
        #expect(decodedThroughTheTree(body, as: Wide.self) == Wide(a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7))
        // A name canonically equal to ASCII (KELVIN SIGN, "K"), and a name declared twice.
        #expect(readStraight(#"{"K":5}"#, as: Kelvin.self) == nil)
        #expect(decodedThroughTheTree(#"{"K":5}"#, as: Kelvin.self) == Kelvin(k: 5))
        #expect(readStraight(#"{"a":1}"#, as: Twice.self) == nil)
        #expect(decodedThroughTheTree(#"{"a":1}"#, as: Twice.self) == Twice(x: 1, y: 1))
    }

    @Test func overTheWireBothPathsAnswerAlike() async throws {
        let router = Router()
        let api = router.group("")
        api.post("/orders", name: "create", status: .created, Body(Order.self)) { order in order }
        api.post("/notes", name: "note", Body(Note.self), Body(Order.self)) { note, order in order }
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.eventLoops = 1
        configuration.accessLog = false
        let server = HTTPServer(
            configuration: configuration, responder: WebApplication(router: router), logger: Logger(level: .critical))
        let port = try server.start()
        defer { server.shutdown() }
        func post(_ path: String, _ body: String) throws -> HTTPResponse {
            try BlockingHTTPClient.send(
                HTTPRequest(
                    method: .post, target: path, headers: ["Host": "localhost", "Content-Type": "application/json"],
                    body: Array(body.utf8)), host: "127.0.0.1", port: port)
        }
        let straight = try post("/orders", #"{"title":"pen","quantity":2,"gift":true}"#)
        let lax = try post("/orders", #"{"title":"pen","quantity":"2","gift":"yes"}"#)
        #expect(straight.status.code == 201)
        #expect(straight.text == lax.text)
        #expect(
            straight.text == #"{"title":"pen","quantity":2,"price":null,"gift":true,"reference":null,"address":null}"#)
        let invalid = try post("/orders", #"{"title":"","quantity":2}"#)
        #expect(invalid.status.code == 422)
        #expect(invalid.text.contains(#""type":"string_too_short","loc":["body","title"]"#))
        // Two body inputs: the second model is decoded from the tree of the body the first read.
        let both = try post("/notes", #"{"title":"pen","quantity":2,"text":"hi"}"#)
        #expect(both.status.code == 200)
        #expect(both.text.contains(#""title":"pen""#))
        server.shutdown()
        await server.waitUntilStopped()
    }
}

/// A small seeded generator, so a failure replays.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
