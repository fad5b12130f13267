// One validation error as FastAPI reports it (`type`, `loc`, `msg`, `input`, `ctx`), the collector
// that gathers every error of a request, and the 422 error that carries them.

import JSON

/// An element of an error location: a key or an index.
public enum LocationElement: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case key(String)
    case index(Int)

    /// `["body"]`, kept so a request's error locations need no new array.
    public static let body: [LocationElement] = ["body"]

    public init(stringLiteral value: String) { self = .key(value) }
    public init(integerLiteral value: Int) { self = .index(value) }

    var json: JSONValue {
        switch self {
        case .key(let key): .string(key)
        case .index(let index): .int(index)
        }
    }
}

/// Where a value sits in the request: its parent's location plus its own key (built only on error).
public struct FieldLocation: Sendable {
    public let parent: [LocationElement]
    public let key: LocationElement?

    public init(_ parent: [LocationElement], _ key: LocationElement? = nil) {
        self.parent = parent
        self.key = key
    }

    public var elements: [LocationElement] { key.map { parent + [$0] } ?? parent }
}

public struct ValidationIssue: Sendable, Equatable, Error {
    public var type: String
    public var loc: [LocationElement]
    public var msg: String
    public var input: JSONValue
    public var ctx: JSONObject?

    public init(type: String, loc: [LocationElement], msg: String, input: JSONValue, ctx: JSONObject? = nil) {
        self.type = type
        self.loc = loc
        self.msg = msg
        self.input = input
        self.ctx = ctx
    }

    public var json: JSONValue {
        var object: JSONObject = [
            "type": .string(type), "loc": .array(loc.map(\.json)), "msg": .string(msg), "input": input,
        ]
        if let ctx { object.members.append((key: "ctx", value: .object(ctx))) }
        return .object(object)
    }

    public static func missing(_ location: FieldLocation, input: JSONValue) -> ValidationIssue {
        ValidationIssue(type: "missing", loc: location.elements, msg: "Field required", input: input)
    }
}

/// Collects the errors of one request while every input is validated.
public final class ValidationIssues {
    /// Added to by one request's inputs, one at a time (no run-time exclusivity checks).
    @exclusivity(unchecked) public private(set) var all: [ValidationIssue] = []

    public init() {}

    public var isEmpty: Bool { all.isEmpty }

    public func add(_ issue: ValidationIssue) { all.append(issue) }

    public func add(
        _ type: String, _ location: FieldLocation, _ msg: String, input: JSONValue, ctx: JSONObject? = nil
    ) {
        all.append(ValidationIssue(type: type, loc: location.elements, msg: msg, input: input, ctx: ctx))
    }
}

/// A 422: every error of the request, in FastAPI's order (path, query, header, cookie, body).
public struct RequestValidationError: Error, Sendable {
    public let issues: [ValidationIssue]

    public init(_ issues: [ValidationIssue]) {
        self.issues = issues.stableSorted {
            guard case .key(let source)? = $0.loc.first else { return SourceOrder.rank(nil) }
            return SourceOrder.rank(source)
        }
    }

    public var detail: JSONValue { .array(issues.map(\.json)) }
}
