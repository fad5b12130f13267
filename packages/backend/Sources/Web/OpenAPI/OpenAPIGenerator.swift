// The OpenAPI 3.1 document, generated from the route declarations (never written by hand) in
// the shapes FastAPI produces: operation ids, summaries, parameters, bodies, responses, the
// 422 `HTTPValidationError` and the security schemes.

import HTTPServer
import JSON

public struct OpenAPIConfiguration: Sendable {
    public var title: String
    public var version = "0.1.0"
    public var openAPIURL = "/openapi.json"
    /// Swagger UI (with `{docsURL}/oauth2-redirect`); nil to leave it out.
    public var docsURL: String? = "/docs"
    public var redocURL: String? = "/redoc"
    public var assets = DocsAssets()

    public init(title: String, openAPIURL: String = "/openapi.json") {
        self.title = title
        self.openAPIURL = openAPIURL
    }
}

enum OpenAPIGenerator {
    static func document(routes: [Route], configuration: OpenAPIConfiguration) -> JSONValue {
        var registry = SchemaRegistry()
        var paths = JSONObject()
        var securitySchemes = JSONObject()
        var anyValidation = false
        for route in routes where route.includeInSchema {
            var document = OperationDocument(operationID: route.operationID)
            route.endpoint.document(&document, in: &registry)
            anyValidation = anyValidation || document.validates
            for scheme in document.security { securitySchemes[scheme.name] = .object(scheme.definition) }
            var operations: JSONObject
            if case .object(let existing)? = paths[route.path] { operations = existing } else { operations = [:] }
            operations[route.method.rawValue.lowercased()] = .object(operation(route, document))
            paths[route.path] = .object(operations)
        }
        if anyValidation { registerValidationSchemas(&registry) }
        var components = JSONObject()
        if !registry.schemas.isEmpty { components["schemas"] = .object(registry.sortedComponents) }
        if !securitySchemes.isEmpty { components["securitySchemes"] = .object(securitySchemes) }
        var document: JSONObject = [
            "openapi": "3.1.0",
            "info": ["title": .string(configuration.title), "version": .string(configuration.version)],
            "paths": .object(paths),
        ]
        if !components.isEmpty { document["components"] = .object(components) }
        return .object(document)
    }

    private static func operation(_ route: Route, _ document: OperationDocument) -> JSONObject {
        var operation = JSONObject()
        if !route.tags.isEmpty { operation["tags"] = .array(route.tags.map { .string($0) }) }
        operation["summary"] = .string(route.summary ?? OpenAPINames.title(route.name))
        if let description = route.description { operation["description"] = .string(description) }
        operation["operationId"] = .string(document.operationID)
        if !document.security.isEmpty {
            operation["security"] = .array(document.security.map { .object([$0.name: []]) })
        }
        if !document.parameters.isEmpty {
            operation["parameters"] = .array(document.orderedParameters.map { .object($0) })
        }
        if let body = document.requestBody { operation["requestBody"] = .object(body) }
        var schema = document.responseSchema ?? [:]
        if document.responseSchema != nil && schema["$ref"] == nil && document.responseMediaType == "application/json" {
            schema["title"] = .string(OpenAPINames.title("Response_\(document.operationID)"))
        }
        let content: JSONObject = [document.responseMediaType: ["schema": .object(schema)]]
        var responses: JSONObject = [
            String(route.status.code): ["description": "Successful Response", "content": .object(content)]
        ]
        if document.validates {
            responses["422"] = [
                "description": "Validation Error",
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/HTTPValidationError"]]],
            ]
        }
        operation["responses"] = .object(responses)
        return operation
    }

    /// FastAPI's `HTTPValidationError` and `ValidationError` components.
    private static func registerValidationSchemas(_ registry: inout SchemaRegistry) {
        _ = registry.reference("ValidationError") { _ in
            [
                "properties": [
                    "loc": [
                        "items": ["anyOf": [["type": "string"], ["type": "integer"]]], "type": "array",
                        "title": "Location",
                    ],
                    "msg": ["type": "string", "title": "Message"],
                    "type": ["type": "string", "title": "Error Type"],
                    "input": ["title": "Input"],
                    "ctx": ["type": "object", "title": "Context"],
                ],
                "type": "object", "required": ["loc", "msg", "type"], "title": "ValidationError",
            ]
        }
        _ = registry.reference("HTTPValidationError") { _ in
            [
                "properties": [
                    "detail": [
                        "items": ["$ref": "#/components/schemas/ValidationError"], "type": "array", "title": "Detail",
                    ]
                ],
                "type": "object", "title": "HTTPValidationError",
            ]
        }
    }
}
