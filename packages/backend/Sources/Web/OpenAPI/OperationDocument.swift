// One operation of the OpenAPI document, as its route's inputs describe it.

import JSON

public struct OperationDocument: Sendable {
    public let operationID: String
    var security: [SecurityScheme] = []
    var parameters: [JSONObject] = []
    var requestBody: JSONObject?
    var responseSchema: JSONObject?
    var responseMediaType = "application/json"

    init(operationID: String) { self.operationID = operationID }

    public mutating func addSecurity(_ scheme: SecurityScheme) {
        if !security.contains(where: { $0.name == scheme.name }) { security.append(scheme) }
    }

    public mutating func addParameter(_ parameter: JSONObject) { parameters.append(parameter) }

    /// FastAPI answers 422 on any operation that takes parameters or a body.
    var validates: Bool { !parameters.isEmpty || requestBody != nil }

    /// Parameters grouped as FastAPI lists them: path, query, header, cookie.
    var orderedParameters: [JSONObject] {
        parameters.stableSorted {
            guard case .string(let source)? = $0["in"] else { return SourceOrder.rank(nil) }
            return SourceOrder.rank(source)
        }
    }
}
