// What a handler may return: anything that can become a response and describe its schema.

import HTTPServer
import JSON

public protocol ResponseEncodable: Sendable {
    /// The response for a route declared with `status`.
    func makeResponse(status: HTTPStatus) -> HTTPResponse

    /// The schema of the body for the OpenAPI document; nil when it has none.
    static func responseSchema(in registry: inout SchemaRegistry) -> JSONObject?

    /// The media type the OpenAPI document lists the body under.
    static var responseMediaType: String { get }
}

extension ResponseEncodable {
    public static var responseMediaType: String { "application/json" }
}

extension HTTPResponse: ResponseEncodable {
    public func makeResponse(status: HTTPStatus) -> HTTPResponse { self }

    public static func responseSchema(in registry: inout SchemaRegistry) -> JSONObject? { nil }
}

extension HTTPResponse {
    /// A JSON response from an already-encoded body.
    @inlinable
    public static func json(_ body: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: jsonHeaders, body: body)
    }

    /// Shared by every JSON response (copied on write, never per response).
    @usableFromInline static let jsonHeaders: HTTPHeaders = ["Content-Type": "application/json"]

    /// An HTML page, as FastAPI serves its docs pages.
    public static func html(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/html; charset=utf-8", body: text)
    }
}

/// An HTML page as a handler's result (FastAPI's `HTMLResponse`), with extra headers if any.
public struct HTMLPage: ResponseEncodable {
    public var html: String
    public var headers: HTTPHeaders

    public init(_ html: String, headers: HTTPHeaders = [:]) {
        self.html = html
        self.headers = headers
    }

    public func makeResponse(status: HTTPStatus) -> HTTPResponse {
        var response = HTTPResponse.html(html, status: status)
        for (name, value) in headers { response.headers.add(name, value) }
        return response
    }

    public static func responseSchema(in registry: inout SchemaRegistry) -> JSONObject? { ["type": "string"] }

    public static var responseMediaType: String { "text/html" }
}
