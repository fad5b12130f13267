// Models of more than six fields and routes of more than three inputs take the variadic
// (parameter-pack) declarations rather than the generated fixed-arity ones: they decode, validate,
// encode and document the same way.

import HTTPServer
import Testing
import Web

private struct Nine: Model, Equatable {
    var f1: Int
    var f2: Int
    var f3: Int
    var f4: Int
    var f5: Int
    var f6: Int
    var f7: Int
    var f8: Int
    var f9: String?

    static let fields = ModelFields(
        Nine.init, Field("f1", \.f1, .ge(1)), Field("f2", \.f2), Field("f3", \.f3), Field("f4", \.f4),
        Field("f5", \.f5), Field("f6", \.f6), Field("f7", \.f7), Field("f8", \.f8, default: 8),
        Field("f9", \.f9, .maxLength(3)))
}

private struct Sum: Model {
    var total: Int
    static let fields = ModelFields(Sum.init, Field("total", \.total))
}

@Suite struct VariadicDeclarationTests {
    let app: WebApplication = {
        let router = Router()
        router.root.post("/nine", name: "nine", Body(Nine.self)) { nine in nine }
        router.root.get(
            "/sum/{a}", name: "sum", Path<Int>("a"), Query<Int>("b"), Query<Int>("c"), Query<Int>("d"),
            Query("e", default: 0)
        ) { a, b, c, d, e in Sum(total: a + b + c + d + e) }
        return WebApplication(router: router, openAPI: OpenAPIConfiguration(title: "t", openAPIURL: "/openapi.json"))
    }()

    func post(_ json: String) async -> HTTPResponse {
        await app.respond(
            to: HTTPRequest(
                method: .post, target: "/nine", headers: ["Host": "h", "Content-Type": "application/json"],
                body: Array(json.utf8)))
    }

    @Test func aNineFieldModelDecodesDefaultsAndEncodesInOrder() async {
        let response = await post(#"{"f1":1,"f2":2,"f3":3,"f4":4,"f5":5,"f6":6,"f7":7,"f9":null}"#)
        #expect(response.status.code == 200)
        #expect(response.text == #"{"f1":1,"f2":2,"f3":3,"f4":4,"f5":5,"f6":6,"f7":7,"f8":8,"f9":null}"#)
    }

    @Test func aNineFieldModelReportsEveryIssue() async {
        let response = await post(#"{"f1":0,"f3":3,"f4":4,"f5":5,"f6":6,"f7":7,"f9":"long"}"#)
        #expect(response.status.code == 422)
        #expect(response.text.contains(#""type":"greater_than_equal","loc":["body","f1"]"#))
        #expect(response.text.contains(#""type":"missing","loc":["body","f2"]"#))
        #expect(response.text.contains(#""type":"string_too_long","loc":["body","f9"]"#))
    }

    @Test func aFiveInputRouteExtractsEachInput() async {
        let ok = await app.respond(
            to: HTTPRequest(method: .get, target: "/sum/1?b=2&c=3&d=4&e=5", headers: ["Host": "h"]))
        #expect(ok.text == #"{"total":15}"#)
        let missing = await app.respond(to: HTTPRequest(method: .get, target: "/sum/x?b=2", headers: ["Host": "h"]))
        #expect(missing.status.code == 422)
        #expect(missing.text.contains(#""loc":["path","a"]"#))
        #expect(missing.text.contains(#""loc":["query","c"]"#))
        #expect(missing.text.contains(#""loc":["query","d"]"#))
    }

    @Test func bothAreDocumented() async {
        let document = await app.respond(to: HTTPRequest(method: .get, target: "/openapi.json", headers: ["Host": "h"]))
        #expect(document.text.contains(#""f9":{"anyOf":[{"type":"string","maxLength":3},{"type":"null"}]"#))
        #expect(document.text.contains(#""name":"e","in":"query","required":false"#))
    }
}
