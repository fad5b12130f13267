// `BenchServer web`: the Web layer under load beside the bare server, in one process.
// GET /json returns a typed model and POST /items/ takes a JSON body validated field by field
// (as the template's ItemCreate) and returns it, both through the router, typed inputs,
// validation and model encoding; the health check and /plaintext stay with `BareResponder`,
// so one run compares the two (bench/README.md).

import HTTPServer
import Web

/// `{"message":"Hello, World!"}`, as the peers' /json, but encoded from a model.
struct HelloMessage: Model {
    var message: String

    static let fields = ModelFields(HelloMessage.init, Field("message", \.message))
}

/// A body with a few constrained fields, like the template's ItemCreate.
struct BenchItem: Model {
    var title: String
    var description: String?
    var priority: Int

    static let fields = ModelFields(
        BenchItem.init,
        Field("title", \.title, .minLength(1), .maxLength(255)),
        Field("description", \.description, .maxLength(255)),
        Field("priority", \.priority, .ge(1), .le(5), default: 3))
}

struct WebBenchResponder: HTTPResponder {
    private let web: WebApplication = {
        let router = Router()
        router.root.get("/json", name: "hello") { HelloMessage(message: "Hello, World!") }
        router.root.post("/items/", name: "create_item", Body(BenchItem.self)) { item in item }
        return WebApplication(router: router)
    }()
    private let bare = BareResponder()

    func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        switch request.path {
        case "/json", "/items/": await web.respond(to: request)
        default: try await bare.respond(to: request)
        }
    }
}
