// Request bodies: a JSON model (`Body(ItemCreate.self)`) or a form (`Form(LoginForm.self)`),
// validated field by field with every error reported.

import JSON

public struct Body<M: Model>: RouteInput {
    public init(_ type: M.Type = M.self) {}

    /// Inlinable, so that the model's reader is called directly.
    @inlinable
    public func prepare(_ context: RequestContext) throws {
        try context.readJSONBody { reader in
            // Not `Optional.map`: that stays generic here, and asks the runtime for metadata.
            guard let model = M.read(from: &reader, constraints: []) else { return nil }
            return ModelBox(model)
        }
    }

    public var resolvesDependencies: Bool { false }

    /// Inlinable, so that it is compiled for `M`: only the decoding depends on it.
    @inlinable
    public func extract(_ context: RequestContext) throws -> M? {
        if let box = context.readModel as? ModelBox<M> { return box.model }
        guard let object = context.jsonBodyObject() else { return nil }
        return M.fields.decode(
            object, missingInput: .object(object), location: LocationElement.body, issues: context.issues)
    }

    public func document(_ operation: inout OperationDocument, in registry: inout SchemaRegistry) {
        let schema = M.schema(constraints: [], in: &registry)
        operation.requestBody = [
            "required": true, "content": ["application/json": ["schema": .object(schema)]],
        ]
    }
}

public struct Form<M: Model>: RouteInput {
    public init(_ type: M.Type = M.self) {}

    public func prepare(_ context: RequestContext) throws { try context.readFormBody() }

    public var resolvesDependencies: Bool { false }

    public func extract(_ context: RequestContext) throws -> M? {
        guard case .form(let fields) = context.body else { return nil }
        return M.fields.decode(fields, missingInput: .null, location: LocationElement.body, issues: context.issues)
    }

    /// FastAPI names a form's schema `Body_{operationId}`.
    public func document(_ operation: inout OperationDocument, in registry: inout SchemaRegistry) {
        let name = "Body_\(operation.operationID)"
        let schema = registry.reference(name) { registry in M.fields.objectSchema(title: name, in: &registry) }
        operation.requestBody = [
            "content": ["application/x-www-form-urlencoded": ["schema": .object(schema)]], "required": true,
        ]
    }
}
