// Form bodies: urlencoded and multipart, empty values as missing, a pattern on an optional
// field, and a JSON body treated as an empty form.

import HTTPServer
import Testing
import Web

@Suite struct FormTests {
    let app = makeFixtureApp()

    func signIn(_ body: String, contentType: String) async -> HTTPResponse {
        await app.send(.post, "/api/forms/sign-in", headers: ["Content-Type": contentType], body: body)
    }

    @Test func urlencodedForm() async {
        let response = await signIn(
            "name=a%40b.com&secret=p+w&mode=plain", contentType: "application/x-www-form-urlencoded")
        #expect(response.text == #"{"echo":"a@b.com:p w::plain"}"#)
        let charset = await signIn(
            "name=u&secret=p", contentType: "application/x-www-form-urlencoded; charset=utf-8")
        #expect(charset.text == #"{"echo":"u:p::-"}"#)
    }

    @Test func anEmptyValueCountsAsMissing() async {
        let response = await signIn("name=u&secret=", contentType: "application/x-www-form-urlencoded")
        #expect(
            response.text
                == #"{"detail":[{"type":"missing","loc":["body","secret"],"msg":"Field required","input":null}]}"#)
    }

    @Test func aJSONBodyIsAnEmptyForm() async {
        let response = await signIn(#"{"name":"u","secret":"p"}"#, contentType: "application/json")
        #expect(
            response.text
                == #"{"detail":[{"type":"missing","loc":["body","name"],"msg":"Field required","input":null},{"type":"missing","loc":["body","secret"],"msg":"Field required","input":null}]}"#
        )
    }

    @Test func anOptionalFieldMustMatchItsPattern() async {
        let response = await signIn(
            "name=u&secret=p&mode=fancy", contentType: "application/x-www-form-urlencoded")
        #expect(
            response.text
                == #"{"detail":[{"type":"string_pattern_mismatch","loc":["body","mode"],"msg":"String should match pattern '^plain$'","input":"fancy","ctx":{"pattern":"^plain$"}}]}"#
        )
    }

    @Test func multipartForm() async {
        let body = [
            "--XyZ", #"Content-Disposition: form-data; name="name""#, "", "multi@example.com",
            "--XyZ", #"Content-Disposition: form-data; name="secret""#, "", "secret word",
            "--XyZ", #"Content-Disposition: form-data; name="file"; filename="a.txt""#, "Content-Type: text/plain",
            "", "ignored", "--XyZ--", "",
        ].joined(separator: "\r\n")
        let response = await signIn(body, contentType: #"multipart/form-data; boundary="XyZ""#)
        #expect(response.text == #"{"echo":"multi@example.com:secret word::-"}"#)
    }

    @Test func brokenMultipartIs400() async {
        let response = await signIn("--XyZ\r\nno end", contentType: "multipart/form-data; boundary=XyZ")
        #expect(response.status.code == 400)
        #expect(response.text == #"{"detail":"There was an error parsing the body"}"#)
    }
}
