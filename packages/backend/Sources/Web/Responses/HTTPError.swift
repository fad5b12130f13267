// An error with a status that becomes `{"detail": ...}` (FastAPI's HTTPException).

import HTTPServer
import JSON

public struct HTTPError: Error, Sendable {
    public var status: HTTPStatus
    public var detail: JSONValue
    public var headers: HTTPHeaders

    public init(_ status: HTTPStatus, detail: String, headers: HTTPHeaders = [:]) {
        self.init(status, detail: .string(detail), headers: headers)
    }

    public init(_ status: HTTPStatus, detail: JSONValue, headers: HTTPHeaders = [:]) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }

    public var response: HTTPResponse {
        var writer = JSONWriter()
        writer.write(.object(["detail": detail]))
        var response = HTTPResponse.json(writer.bytes, status: status)
        for (name, value) in headers { response.headers.add(name, value) }
        return response
    }

    public static let notFound = HTTPError(.notFound, detail: "Not Found")
    public static let methodNotAllowed = HTTPError(.methodNotAllowed, detail: "Method Not Allowed")
    /// FastAPI's answer to a body it cannot read (bad multipart framing, invalid UTF-8, ...).
    public static let unparsableBody = HTTPError(.badRequest, detail: "There was an error parsing the body")
}

extension RequestValidationError {
    public var response: HTTPResponse { HTTPError(.unprocessableContent, detail: detail).response }
}
