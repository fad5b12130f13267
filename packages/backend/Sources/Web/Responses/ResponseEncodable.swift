// What a handler may return: anything that can become a response and describe its schema.

import HTTPServer

public protocol ResponseEncodable: Sendable {
    /// The response for a route declared with `status`.
    func makeResponse(status: HTTPStatus) -> HTTPResponse

    /// The JSON schema of the body for the OpenAPI document; nil when the body is not JSON.
    static func responseSchema(in registry: inout SchemaRegistry) -> JSONObject?
}

extension HTTPResponse: ResponseEncodable {
    public func makeResponse(status: HTTPStatus) -> HTTPResponse { self }

    public static func responseSchema(in registry: inout SchemaRegistry) -> JSONObject? { nil }
}

extension HTTPResponse {
    /// A JSON response from an already-encoded body.
    public static func json(_ body: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
    }

    /// An HTML page, as FastAPI serves its docs pages.
    public static func html(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/html; charset=utf-8", body: text)
    }
}
