// The JSON parser fails like Python's json module (message and character offset), keeps key
// order, duplicates and null; the writer is compact with Pydantic's encodings.

import EmailValidation
import FoundationEssentials
import Testing
import TextFormats

@testable import JSON
@testable import Web

@Suite struct JSONTests {
    @Test func integersParseExactlyUpToInt64AndAsDoublesBeyond() throws {
        let parsed = try JSONParser.parse(
            Array("[0,-0,7,-12,123456789012345678,-123456789012345678,9223372036854775807,92233720368547758070]".utf8))
        #expect(
            parsed == [
                0, 0, 7, -12, 123_456_789_012_345_678, -123_456_789_012_345_678, .int(.max),
                .double(92_233_720_368_547_758_080),
            ])
    }

    @Test(arguments: [
        (#"{"title": }"#, "Expecting value", 10),
        ("{title: 1}", "Expecting property name enclosed in double quotes", 1),
        (#"{"a" 1}"#, "Expecting ':' delimiter", 5),
        (#"{"a": 1 "b": 2}"#, "Expecting ',' delimiter", 8),
        ("[1 2]", "Expecting ',' delimiter", 3),
        ("[1,]", "Illegal trailing comma before end of array", 2),
        (#"{"a": 1,}"#, "Illegal trailing comma before end of object", 7),
        (#"{"a": "x"#, "Unterminated string starting at", 6),
        (#""\x""#, "Invalid \\escape", 1),
        (#""\u12""#, "Invalid \\uXXXX escape", 2),
        ("\"a\u{01}\"", "Invalid control character at", 2),
        ("1 2", "Extra data", 2),
        (#"{"é": x}"#, "Expecting value", 6),
        ("-", "Expecting value", 0),
        ("  ", "Expecting value", 2),
    ])
    func syntaxErrorsMatchPython(text: String, message: String, offset: Int) {
        #expect(throws: JSONSyntaxError(message: message, offset: offset, isTooDeep: false)) {
            try JSONValue.parse(text)
        }
    }

    @Test func parsesValuesKeepingOrderAndDuplicates() throws {
        let value = try JSONValue.parse(#" {"b": [1, -2.5e1, true, null], "a": "\u00e9\n\ud83d\ude00", "b": 0} "#)
        guard case .object(let object) = value else {
            Issue.record("not an object")
            return
        }
        #expect(object.members.map(\.key) == ["b", "a", "b"])
        #expect(object["b"] == .int(0))
        #expect(object["a"] == .string("é\n😀"))
        #expect(object["missing"] == nil)
        #expect(value.serialized == #"{"b":[1,-25.0,true,null],"a":"é\n😀","b":0}"#)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(deep) }
    }

    /// Python's parser takes NaN and the infinities; JSON cannot hold them, so they go out as null.
    @Test func numbersJSONCannotHoldAreWrittenAsNull() throws {
        let parsed = try JSONValue.parse("[NaN,Infinity,-Infinity,1.5,2.0]")
        #expect(parsed.serialized == "[null,null,null,1.5,2.0]")
    }

    @Test func writerEscapesLikePython() {
        #expect(JSONValue.string("q\"b\\s\u{01}\t€").serialized == #""q\"b\\s\u0001\t€""#)
    }

    /// Strings are scanned eight bytes at a time: every special byte, at every offset of strings of
    /// up to 24 bytes among plain ASCII and multi-byte characters, is escaped as Python escapes it.
    @Test func everySpecialByteIsEscapedWhereverItFalls() {
        func python(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                case _ where scalar.value < 0x20:
                    out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        let specials: [Character] = ["\"", "\\", "\u{00}", "\u{1F}", "\n", "\u{7F}", " ", "~"]
        for filler in ["abcdefgh", "é€😀"] {
            for length in 0...24 {
                let base = Array(String(repeating: filler, count: 8).prefix(length))
                for position in 0...length {
                    for special in specials {
                        var characters = base
                        characters.insert(special, at: position)
                        let text = String(characters)
                        #expect(JSONValue.string(text).serialized == python(text), "\(text.debugDescription)")
                    }
                }
            }
        }
    }

    /// The parser finds the end of a string eight bytes at a time: every special byte, at every
    /// offset, escaped reads back as it was, and raw it is an error at its character offset.
    @Test func everySpecialByteIsReadWhereverItFalls() throws {
        for filler in ["abcdefgh", "é€😀"] {
            for length in 0...24 {
                let base = Array(String(repeating: filler, count: 8).prefix(length))
                for position in 0...length {
                    for special: Character in ["\"", "\\", "\u{00}", "\u{1F}", "\n", "\u{7F}", "~"] {
                        var characters = base
                        characters.insert(special, at: position)
                        let text = String(characters)
                        #expect(try JSONValue.parse(JSONValue.string(text).serialized) == .string(text))
                    }
                    var raw = base
                    raw.insert("\u{01}", at: position)
                    #expect(
                        throws: JSONSyntaxError(
                            message: "Invalid control character at", offset: position + 1, isTooDeep: false)
                    ) {
                        try JSONValue.parse("\"" + String(raw) + "\"")
                    }
                }
                #expect(
                    throws: JSONSyntaxError(message: "Unterminated string starting at", offset: 1, isTooDeep: false)
                ) {
                    try JSONValue.parse("[\"" + String(base))
                }
            }
        }
    }

    @Test func modelEncodingKeepsDeclarationOrderWritesNullAndFormatsValues() {
        let value = EncodedKinds(text: "t", note: nil, id: fixedID, parentID: fixedID, createdAt: fixedDate)
        #expect(
            value.makeResponse(status: .ok).text
                == #"{"text":"t","note":null,"id":"7d444840-9dc0-11d1-b245-5ffdce74fad2","parent_id":"7d444840-9dc0-11d1-b245-5ffdce74fad2","created_at":"2025-01-02T03:04:05.678901Z"}"#
        )
    }

    @Test func datesDropZeroMicroseconds() {
        var writer = JSONWriter()
        writer.write(Date(timeIntervalSince1970: 1_735_787_045))
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""2025-01-02T03:04:05Z""#)
        #expect(RFC3339.parse("2025-01-02T03:04:05.678901Z") == fixedDate)
        #expect(RFC3339.parse("2025-01-02T05:04:05+02:00") == Date(timeIntervalSince1970: 1_735_787_045))
        #expect(RFC3339.parse("2025-13-02T03:04:05Z") == nil)
    }

    @Test func omittedFieldsAreLeftOutWhenEncoding() {
        let update = PartialText(title: .omitted, note: .value(nil))
        #expect(update.makeResponse(status: .ok).text == #"{"note":null}"#)
    }
}

@Suite struct ValueParsingTests {
    func issues<T: JSONCodable>(_ type: T.Type, _ json: JSONValue, _ constraints: [Constraint] = []) -> [String] {
        let issues = ValidationIssues()
        _ = T.decode(json, at: FieldLocation(["body"], "f"), constraints: constraints, issues: issues)
        return issues.all.map(\.msg)
    }

    @Test(arguments: [
        ("not-a-uuid", "invalid character: found `n` at 1"),
        ("abc", "invalid length: expected length 32 for simple format, found 3"),
        ("abc-def", "invalid group count: expected 5, found 2"),
        ("7d444840-9dc0-11d1-b245-5ffdce74fad", "invalid group length in group 4: expected 12, found 11"),
        ("7d44484-09dc0-11d1-b245-5ffdce74fad2", "invalid group length in group 0: expected 8, found 7"),
    ])
    func uuidErrors(text: String, error: String) {
        #expect(issues(UUID.self, .string(text)) == ["Input should be a valid UUID, \(error)"])
    }

    /// Lengths (Pydantic counts scalars) are counted eight bytes at a time: strings of 1- to
    /// 4-byte scalars in every mix up to 40 scalars give the count Swift's scalar view gives.
    @Test func lengthsCountScalarsAcrossWordBoundaries() {
        let scalars = ["a", "é", "€", "😀"]
        for length in 0...40 {
            for shift in 0..<scalars.count {
                let text = (0..<length).map { scalars[($0 * ($0 + shift)) % scalars.count] }.joined()
                #expect(text.unicodeScalarCount == text.unicodeScalars.count, "\(text)")
            }
        }
    }

    @Test func uuidForms() {
        for text in [
            "7d444840-9dc0-11d1-b245-5ffdce74fad2", "7D4448409DC011D1B2455FFDCE74FAD2",
            "{7d444840-9dc0-11d1-b245-5ffdce74fad2}", "urn:uuid:7d444840-9dc0-11d1-b245-5ffdce74fad2",
        ] {
            #expect(
                UUID.decode(.string(text), at: FieldLocation([]), constraints: [], issues: ValidationIssues())
                    == fixedID)
        }
    }

    @Test func laxNumbersAndBooleans() {
        let none = ValidationIssues()
        let location = FieldLocation([])
        #expect(Int.decode(.string(" 1_000 "), at: location, constraints: [], issues: none) == 1000)
        #expect(Int.decode(.string("2.00"), at: location, constraints: [], issues: none) == 2)
        #expect(Int.decode(.double(3), at: location, constraints: [], issues: none) == 3)
        #expect(Bool.decode(.string("Yes"), at: location, constraints: [], issues: none) == true)
        #expect(Double.decode(.string("1.5"), at: location, constraints: [], issues: none) == 1.5)
        #expect(none.isEmpty)
        #expect(
            issues(Int.self, .double(1.5)) == ["Input should be a valid integer, got a number with a fractional part"])
        #expect(issues(Int.self, .array([])) == ["Input should be a valid integer"])
        #expect(issues(Bool.self, .string("maybe")) == ["Input should be a valid boolean, unable to interpret input"])
        #expect(issues(Bool.self, .null) == ["Input should be a valid boolean"])
        #expect(issues([Int].self, .array([1, "x", 3])).count == 1)
        #expect(issues(Double.self, .int(-1), [.gt(0)]) == ["Input should be greater than 0"])
    }

    @Test(arguments: [
        ("a@b", "The part after the @-sign is not valid. It should have a period."),
        ("@b.com", "There must be something before the @-sign."),
        ("a@", "There must be something after the @-sign."),
        ("a b@c.com", "The email address contains invalid characters before the @-sign: SPACE."),
        (".a@b.com", "An email address cannot start with a period."),
        ("a..b@c.com", "An email address cannot have two periods in a row."),
        ("a@b..com", "An email address cannot have two periods in a row."),
        (
            "a@localhost.localhost",
            "The part after the @-sign is a special-use or reserved name that cannot be used with email."
        ),
    ])
    func emailErrors(address: String, reason: String) {
        #expect(issues(String.self, .string(address), [.email]) == ["value is not a valid email address: \(reason)"])
    }

    @Test func emailNormalisation() {
        #expect(EmailAddress.normalize("John Doe <John.Doe@EXAMPLE.org>") == .success("John.Doe@example.org"))
        #expect(EmailAddress.normalize("  x@Y.io ") == .success("x@y.io"))
    }

    /// Pydantic checks an EmailStr's address first and its declared lengths and pattern on the
    /// normalized address: spaces and a display name around it do not count.
    @Test func emailLengthsAndPatternApplyToTheNormalizedAddress() {
        let padded = String(repeating: " ", count: 300) + "Name <a@B.co>"
        #expect(issues(String.self, .string(padded), [.email, .maxLength(255)]).isEmpty)
        let tooLong = ValidationIssues()
        _ = String.decode(
            .string(" a@bcdefgh.com"), at: FieldLocation(["body"], "f"), constraints: [.email, .maxLength(10)],
            issues: tooLong)
        #expect(
            tooLong.all == [
                ValidationIssue(
                    type: "too_long", loc: ["body", "f"],
                    msg: "Value should have at most 10 items after validation, not 13",
                    input: " a@bcdefgh.com", ctx: ["field_type": "Value", "max_length": 10, "actual_length": 13])
            ])
        #expect(
            issues(String.self, .string("a <b@x.co>"), [.email, .minLength(1), .pattern("^a")])
                == ["String should match pattern '^a'"])
        #expect(issues(String.self, .string("B <a@x.co>"), [.email, .pattern("^a")]).isEmpty)
    }
}
