// 422 bodies exactly as FastAPI writes them (CONTRACT B.1), all errors collected, unknown keys
// ignored, absent told apart from null, and dependency errors before validation.

import HTTPServer
import Testing
import Web

@Suite struct ValidationTests {
    let app = makeFixtureApp()

    func detail(_ response: HTTPResponse) -> String { response.text }

    @Test func missingBodyFieldReportsTheParentObjectAsInput() async {
        let response = await app.sendJSON(.post, "/api/bodies/", #"{"note":"d"}"#)
        #expect(response.status.code == 422)
        #expect(
            response.text
                == #"{"detail":[{"type":"missing","loc":["body","title"],"msg":"Field required","input":{"note":"d"}}]}"#
        )
    }

    @Test func noBodyAtAll() async {
        let response = await app.sendJSON(.post, "/api/bodies/", "")
        #expect(response.text == #"{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}"#)
    }

    @Test func lengthErrorsUsePydanticWording() async {
        let short = await app.sendJSON(.post, "/api/bodies/email", #"{"email":"a@example.com","secret":"short"}"#)
        #expect(
            short.text
                == #"{"detail":[{"type":"string_too_short","loc":["body","secret"],"msg":"String should have at least 8 characters","input":"short","ctx":{"min_length":8}}]}"#
        )
        let empty = await app.sendJSON(.post, "/api/bodies/", #"{"title":""}"#)
        #expect(
            empty.text
                == #"{"detail":[{"type":"string_too_short","loc":["body","title"],"msg":"String should have at least 1 character","input":"","ctx":{"min_length":1}}]}"#
        )
        let long = String(repeating: "x", count: 256)
        let tooLong = await app.sendJSON(.post, "/api/bodies/", #"{"title":"\#(long)"}"#)
        #expect(
            tooLong.text
                == #"{"detail":[{"type":"string_too_long","loc":["body","title"],"msg":"String should have at most 255 characters","input":"\#(long)","ctx":{"max_length":255}}]}"#
        )
    }

    @Test func wrongTypeAndNullForAString() async {
        let number = await app.sendJSON(.post, "/api/bodies/", #"{"title":5}"#)
        #expect(
            number.text
                == #"{"detail":[{"type":"string_type","loc":["body","title"],"msg":"Input should be a valid string","input":5}]}"#
        )
        let null = await app.sendJSON(.post, "/api/bodies/", #"{"title":null}"#)
        #expect(
            null.text
                == #"{"detail":[{"type":"string_type","loc":["body","title"],"msg":"Input should be a valid string","input":null}]}"#
        )
    }

    @Test func badEmail() async {
        let response = await app.sendJSON(.post, "/api/bodies/email", #"{"email":"bad","secret":"12345678"}"#)
        #expect(
            response.text
                == #"{"detail":[{"type":"value_error","loc":["body","email"],"msg":"value is not a valid email address: An email address must have an @-sign.","input":"bad","ctx":{"reason":"An email address must have an @-sign."}}]}"#
        )
    }

    @Test func emailIsNormalisedAndUnknownKeysAreIgnored() async {
        let response = await app.sendJSON(
            .post, "/api/bodies/email",
            #"{"email":"Probe <probe-X@Example.COM>","secret":"12345678","privileged":true,"extra":1}"#)
        #expect(response.status.code == 200)
        #expect(response.text == #"{"echo":"probe-X@example.com enabled=true privileged=true"}"#)
    }

    @Test func badUUIDInPath() async {
        let response = await app.sendJSON(.put, "/api/bodies/not-a-uuid", #"{}"#)
        #expect(
            response.text
                == #"{"detail":[{"type":"uuid_parsing","loc":["path","id"],"msg":"Input should be a valid UUID, invalid character: found `n` at 1","input":"not-a-uuid","ctx":{"error":"invalid character: found `n` at 1"}}]}"#
        )
    }

    @Test func badIntInQueryAndLastRepeatedKeyWins() async {
        let response = await app.send(.get, "/api/bodies/?skip=abc", headers: ["Authorization": "Bearer a"])
        #expect(
            response.text
                == #"{"detail":[{"type":"int_parsing","loc":["query","skip"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"abc"}]}"#
        )
        let fraction = await app.send(.get, "/api/bodies/?skip=1.5", headers: ["Authorization": "Bearer a"])
        #expect(fraction.text.contains(#""type":"int_parsing""#))
        let repeated = await app.send(
            .get, "/api/bodies/?limit=1&limit=2&skip=7", headers: ["Authorization": "Bearer a"])
        #expect(repeated.text.hasSuffix(#"],"count":7}"#))
        #expect(repeated.text.split(separator: #""text""#).count == 3, "the last limit, 2, wins")
    }

    @Test func missingQueryParameterAndNumericBounds() async {
        let missing = await app.send(.post, "/api/misc/created/", headers: ["Authorization": "Bearer admin"])
        #expect(
            missing.text
                == #"{"detail":[{"type":"missing","loc":["query","email_to"],"msg":"Field required","input":null}]}"#
        )
        let high = await app.send(.get, "/api/misc/header?n=11")
        #expect(
            high.text
                == #"{"detail":[{"type":"less_than_equal","loc":["query","n"],"msg":"Input should be less than or equal to 10","input":"11","ctx":{"le":10}}]}"#
        )
        let ok = await app.send(.get, "/api/misc/header?n=3", headers: ["x-token": "abc"])
        #expect(ok.text == #"{"echo":"abc 3"}"#)
    }

    @Test func malformedJSONReportsPythonsMessageAndOffset() async {
        let response = await app.sendJSON(.post, "/api/bodies/", #"{"title": }"#)
        #expect(
            response.text
                == #"{"detail":[{"type":"json_invalid","loc":["body",10],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}"#
        )
    }

    @Test func arraysAndNonJSONContentTypesAreNotObjects() async {
        let array = await app.sendJSON(.post, "/api/bodies/", "[1]")
        #expect(
            array.text
                == #"{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":[1]}]}"#
        )
        let text = await app.send(
            .post, "/api/bodies/", headers: ["Content-Type": "text/plain", "Authorization": "Bearer a"],
            body: #"{"title":"x"}"#)
        #expect(text.text.contains(#""type":"model_attributes_type","loc":["body"]"#))
        #expect(text.text.contains(#""input":"{\"title\":\"x\"}""#))
    }

    @Test func mediaTypesAreMatchedWithoutCaseParametersOrSpaces() async {
        for contentType in ["\tApplication/JSON ; charset=utf-8", "application/vnd.api+json", "APPLICATION/JSON"] {
            let response = await app.send(
                .post, "/api/bodies/", headers: ["Content-Type": contentType, "Authorization": "Bearer a"],
                body: #"{"title":"x"}"#)
            #expect(response.status.code == 200, "\(contentType)")
        }
        for contentType in ["application/jsonx", "application/xml", "text/json", "json", "application/+jso"] {
            let response = await app.send(
                .post, "/api/bodies/", headers: ["Content-Type": contentType, "Authorization": "Bearer a"],
                body: #"{"title":"x"}"#)
            #expect(response.text.contains(#""type":"model_attributes_type""#), "\(contentType)")
        }
    }

    @Test func lengthsCountUnicodeScalarsNotBytes() async {
        // 255 two-byte scalars fit max_length 255; a 256th does not; one emoji is one scalar.
        let fits = await app.sendJSON(.post, "/api/bodies/", #"{"title":"\#(String(repeating: "é", count: 255))"}"#)
        #expect(fits.status.code == 200)
        let over = await app.sendJSON(.post, "/api/bodies/", #"{"title":"\#(String(repeating: "é", count: 256))"}"#)
        #expect(over.text.contains(#""type":"string_too_long""#))
        let emoji = await app.sendJSON(.post, "/api/bodies/", #"{"title":"🦆"}"#)
        #expect(emoji.status.code == 200)
    }

    /// FastAPI reads the body as JSON when the Content-Type is missing or empty.
    @Test(arguments: [nil, ""])
    func noContentTypeIsParsedAsJSON(contentType: String?) async {
        var headers: HTTPHeaders = ["Authorization": "Bearer a"]
        if let contentType { headers.add("Content-Type", contentType) }
        let response = await app.send(.post, "/api/bodies/", headers: headers, body: #"{"title":"x"}"#)
        #expect(response.status.code == 200)
    }

    @Test func allErrorsAreCollectedPathBeforeBody() async {
        let response = await app.sendJSON(.put, "/api/bodies/abc-def", #"{"title":"","note":5}"#)
        #expect(response.status.code == 422)
        #expect(
            response.text
                == #"{"detail":[{"type":"uuid_parsing","loc":["path","id"],"msg":"Input should be a valid UUID, invalid group count: expected 5, found 2","input":"abc-def","ctx":{"error":"invalid group count: expected 5, found 2"}},{"type":"string_too_short","loc":["body","title"],"msg":"String should have at least 1 character","input":"","ctx":{"min_length":1}},{"type":"string_type","loc":["body","note"],"msg":"Input should be a valid string","input":5}]}"#
        )
    }

    @Test func partialUpdateTellsAbsentFromNull() async {
        let id = "7d444840-9dc0-11d1-b245-5ffdce74fad2"
        let response = await app.sendJSON(.put, "/api/bodies/\(id)", #"{"note":null}"#)
        #expect(response.text == #"{"echo":"7D444840-9DC0-11D1-B245-5FFDCE74FAD2 title=absent note=null"}"#)
        let set = await app.sendJSON(.put, "/api/bodies/\(id)", #"{"title":"new"}"#)
        #expect(set.text.hasSuffix(#"title=new note=absent"}"#))
    }

    @Test func dependenciesRunBeforeValidation() async {
        let unauthenticated = await app.sendJSON(.post, "/api/bodies/", #"{"title":""}"#, token: nil)
        #expect(unauthenticated.status.code == 401)
        #expect(unauthenticated.text == #"{"detail":"Not authenticated"}"#)
        #expect(unauthenticated.headers["www-authenticate"] == "Bearer")
        let badToken = await app.sendJSON(.post, "/api/bodies/", #"{"title":""}"#, token: "bad")
        #expect(badToken.status.code == 403)
        let notAdmin = await app.send(
            .post, "/api/misc/created/?email_to=bad", headers: ["Authorization": "Bearer alice"])
        #expect(notAdmin.status.code == 403)
        #expect(notAdmin.text == #"{"detail":"Admins only"}"#)
        let scheme = await app.send(.get, "/api/callers/me", headers: ["Authorization": "BEARER carol"])
        #expect(scheme.text == #"{"echo":"carol"}"#)
    }

    @Test func malformedJSONIsRejectedBeforeAuthentication() async {
        let response = await app.sendJSON(.post, "/api/bodies/", "{", token: nil)
        #expect(response.status.code == 422)
        #expect(response.text.contains(#""type":"json_invalid","loc":["body",1]"#))
    }

    @Test func perRouteStatusCode() async {
        let response = await app.send(
            .post, "/api/misc/created/?email_to=A@B.COM", headers: ["Authorization": "Bearer admin"])
        #expect(response.status.code == 201)
        #expect(response.text == #"{"echo":"A@b.com"}"#)
    }

    @Test func invalidUTF8BodyIs400() async {
        let response = await app.respond(
            to: HTTPRequest(
                method: .post, target: "/api/bodies/",
                headers: ["Content-Type": "application/json", "Authorization": "Bearer a"], body: [0x22, 0xFF, 0x22]))
        #expect(response.status.code == 400)
        #expect(response.text == #"{"detail":"There was an error parsing the body"}"#)
    }

    /// Bodies are checked for non-ASCII bytes eight at a time: an invalid byte anywhere in the
    /// first 35 bytes is a 400, and a valid two-byte character anywhere is accepted.
    @Test func invalidUTF8IsFoundAtEveryOffset() async {
        let prefix = Array(#"{"title":""#.utf8)
        for length in 0...24 {
            for position in 0...length {
                let title = Array(repeating: UInt8(ascii: "a"), count: length)
                for (bytes, expected) in [([0xFF] as [UInt8], 400), ([0xC3, 0xA9], 200)] {
                    var text = title
                    text.insert(contentsOf: bytes, at: position)
                    let response = await app.respond(
                        to: HTTPRequest(
                            method: .post, target: "/api/bodies/",
                            headers: ["Content-Type": "application/json", "Authorization": "Bearer a"],
                            body: prefix + text + Array(#""}"#.utf8)))
                    #expect(response.status.code == expected, "\(length) \(position) \(bytes)")
                }
            }
        }
    }
}
