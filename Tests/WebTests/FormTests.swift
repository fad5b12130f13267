// The OAuth2 password login form: urlencoded and multipart, empty values as missing, the
// grant_type pattern, and a JSON body treated as an empty form.

import HTTPServer
import Testing
import Web

@Suite struct FormTests {
    let app = makeTestApp()

    func login(_ body: String, contentType: String) async -> HTTPResponse {
        await app.send(.post, "/api/v1/login/access-token", headers: ["Content-Type": contentType], body: body)
    }

    @Test func urlencodedLogin() async {
        let response = await login(
            "username=a%40b.com&password=p+w&grant_type=password", contentType: "application/x-www-form-urlencoded")
        #expect(response.text == #"{"message":"a@b.com:p w::password"}"#)
        let charset = await login(
            "username=u&password=p", contentType: "application/x-www-form-urlencoded; charset=utf-8")
        #expect(charset.text == #"{"message":"u:p::-"}"#)
    }

    @Test func emptyPasswordCountsAsMissing() async {
        let response = await login("username=u&password=", contentType: "application/x-www-form-urlencoded")
        #expect(
            response.text
                == #"{"detail":[{"type":"missing","loc":["body","password"],"msg":"Field required","input":null}]}"#)
    }

    @Test func jsonBodyGivesMissingUsernameAndPassword() async {
        let response = await login(#"{"username":"u","password":"p"}"#, contentType: "application/json")
        #expect(
            response.text
                == #"{"detail":[{"type":"missing","loc":["body","username"],"msg":"Field required","input":null},{"type":"missing","loc":["body","password"],"msg":"Field required","input":null}]}"#
        )
    }

    @Test func grantTypeMustMatchItsPattern() async {
        let response = await login(
            "username=u&password=p&grant_type=client_credentials", contentType: "application/x-www-form-urlencoded")
        #expect(
            response.text
                == #"{"detail":[{"type":"string_pattern_mismatch","loc":["body","grant_type"],"msg":"String should match pattern '^password$'","input":"client_credentials","ctx":{"pattern":"^password$"}}]}"#
        )
    }

    @Test func multipartLogin() async {
        let body = [
            "--XyZ", #"Content-Disposition: form-data; name="username""#, "", "multi@example.com",
            "--XyZ", #"Content-Disposition: form-data; name="password""#, "", "secret word",
            "--XyZ", #"Content-Disposition: form-data; name="file"; filename="a.txt""#, "Content-Type: text/plain",
            "", "ignored", "--XyZ--", "",
        ].joined(separator: "\r\n")
        let response = await login(body, contentType: #"multipart/form-data; boundary="XyZ""#)
        #expect(response.text == #"{"message":"multi@example.com:secret word::-"}"#)
    }

    @Test func brokenMultipartIs400() async {
        let response = await login("--XyZ\r\nno end", contentType: "multipart/form-data; boundary=XyZ")
        #expect(response.status.code == 400)
        #expect(response.text == #"{"detail":"There was an error parsing the body"}"#)
    }
}
