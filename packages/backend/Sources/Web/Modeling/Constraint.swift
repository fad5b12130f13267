// Field constraints declared next to model fields and parameters (Pydantic's min_length,
// max_length, pattern, EmailStr, ge/gt/le/lt): checked with Pydantic's error types and messages,
// and rendered into the OpenAPI schema.

import EmailValidation
import JSON

/// A compiled regular expression. It is matched once at construction, so the program Regex
/// builds lazily exists before requests share it; after that it is only read. A class: `Regex`
/// is resilient, and a struct holding it would leave `Constraint`'s layout to be worked out at run
/// time, on every switch over a constraint.
public final class Pattern: @unchecked Sendable {
    public let source: String
    let regex: Regex<AnyRegexOutput>

    public init(_ source: String) throws {
        self.source = source
        regex = try Regex(source)
        _ = try regex.firstMatch(in: "")
    }

    func matches(_ value: String) -> Bool { (try? regex.firstMatch(in: value)) != nil }

    func recordMismatch(of input: JSONValue, at location: FieldLocation, in issues: ValidationIssues?) {
        issues?.add(
            "string_pattern_mismatch", location, "String should match pattern '\(source)'", input: input,
            ctx: ["pattern": .string(source)])
    }
}

public enum Constraint: Sendable {
    case minLength(Int)
    case maxLength(Int)
    case pattern(Pattern)
    /// email-validator semantics: display name stripped, domain lower-cased.
    case email
    case greaterThanOrEqual(JSONValue)
    case greaterThan(JSONValue)
    case lessThanOrEqual(JSONValue)
    case lessThan(JSONValue)

    /// A `pattern` constraint; the expression is the developer's, so a bad one stops the program.
    public static func pattern(_ source: String) -> Constraint {
        do {
            return .pattern(try Pattern(source))
        } catch {
            fatalError("invalid pattern \(source): \(error)")
        }
    }

    public static func ge(_ bound: Int) -> Constraint { .greaterThanOrEqual(.int(bound)) }
    public static func gt(_ bound: Int) -> Constraint { .greaterThan(.int(bound)) }
    public static func le(_ bound: Int) -> Constraint { .lessThanOrEqual(.int(bound)) }
    public static func lt(_ bound: Int) -> Constraint { .lessThan(.int(bound)) }
    public static func ge(_ bound: Double) -> Constraint { .greaterThanOrEqual(.double(bound)) }
    public static func gt(_ bound: Double) -> Constraint { .greaterThan(.double(bound)) }
    public static func le(_ bound: Double) -> Constraint { .lessThanOrEqual(.double(bound)) }
    public static func lt(_ bound: Double) -> Constraint { .lessThan(.double(bound)) }
}

extension [Constraint] {
    /// Applies the string constraints in Pydantic's order (lengths, pattern), or for an EmailStr
    /// the address check first and the others on the normalized address; nil after recording an issue.
    ///
    /// Without `issues` (reading a body straight from its bytes), a failure is only a nil;
    /// `scalarCount` is the value's length when the caller knows it. Public for the checks a
    /// handler makes itself, with the errors a declared constraint gives.
    public func check(
        _ value: String, scalarCount: Int? = nil, at location: FieldLocation, issues: ValidationIssues?
    ) -> String? {
        let input = JSONValue.string(value)
        if contains(where: { if case .email = $0 { true } else { false } }) {
            return checkEmail(value, input: input, at: location, issues: issues)
        }
        let length = isEmpty ? 0 : scalarCount ?? value.unicodeScalarCount
        for constraint in self {
            switch constraint {
            case .minLength(let minimum) where length < minimum:
                issues?.add(
                    "string_too_short", location, "String should have at least \(minimum) \(plural(minimum))",
                    input: input, ctx: ["min_length": .int(minimum)])
                return nil
            case .maxLength(let maximum) where length > maximum:
                issues?.add(
                    "string_too_long", location, "String should have at most \(maximum) \(plural(maximum))",
                    input: input, ctx: ["max_length": .int(maximum)])
                return nil
            case .pattern(let pattern) where !pattern.matches(value):
                pattern.recordMismatch(of: input, at: location, in: issues)
                return nil
            default:
                continue
            }
        }
        return value
    }

    /// EmailStr: Pydantic validates the address first, then checks declared lengths ("after
    /// validation", showing the input) and pattern (showing the normalized address) on the result.
    private func checkEmail(
        _ value: String, input: JSONValue, at location: FieldLocation, issues: ValidationIssues?
    ) -> String? {
        let address: String
        switch EmailAddress.normalize(value) {
        case .success(let normalized):
            address = normalized
        case .failure(let failure):
            issues?.add(
                "value_error", location, "value is not a valid email address: \(failure.reason)", input: input,
                ctx: ["reason": .string(failure.reason)])
            return nil
        }
        let length = address.unicodeScalarCount
        for constraint in self {
            let bound: (type: String, words: String, key: String, limit: Int)
            switch constraint {
            case .minLength(let minimum) where length < minimum:
                bound = ("too_short", "at least", "min_length", minimum)
            case .maxLength(let maximum) where length > maximum: bound = ("too_long", "at most", "max_length", maximum)
            case .pattern(let pattern) where !pattern.matches(address):
                pattern.recordMismatch(of: .string(address), at: location, in: issues)
                return nil
            default: continue
            }
            let items = bound.limit == 1 ? "item" : "items"
            issues?.add(
                bound.type, location,
                "Value should have \(bound.words) \(bound.limit) \(items) after validation, not \(length)",
                input: input,
                ctx: ["field_type": .string("Value"), bound.key: .int(bound.limit), "actual_length": .int(length)])
            return nil
        }
        return address
    }

    /// Applies the numeric bounds; false after recording an issue (if there is an `issues`).
    func check(_ value: Double, input: JSONValue, at location: FieldLocation, issues: ValidationIssues?) -> Bool {
        for constraint in self {
            let failed: (type: String, words: String, key: String, bound: JSONValue)?
            switch constraint {
            case .greaterThanOrEqual(let bound) where !(value >= bound.number):
                failed = ("greater_than_equal", "greater than or equal to", "ge", bound)
            case .greaterThan(let bound) where !(value > bound.number):
                failed = ("greater_than", "greater than", "gt", bound)
            case .lessThanOrEqual(let bound) where !(value <= bound.number):
                failed = ("less_than_equal", "less than or equal to", "le", bound)
            case .lessThan(let bound) where !(value < bound.number):
                failed = ("less_than", "less than", "lt", bound)
            default:
                failed = nil
            }
            if let failed {
                issues?.add(
                    failed.type, location, "Input should be \(failed.words) \(failed.bound.serialized)", input: input,
                    ctx: [failed.key: failed.bound])
                return false
            }
        }
        return true
    }

    /// The keywords these constraints add to a JSON schema, in Pydantic's order.
    func schemaKeywords(_ schema: inout JSONObject) {
        for constraint in self {
            switch constraint {
            case .maxLength(let maximum): schema["maxLength"] = .int(maximum)
            default: continue
            }
        }
        for constraint in self {
            switch constraint {
            case .minLength(let minimum): schema["minLength"] = .int(minimum)
            case .pattern(let pattern): schema["pattern"] = .string(pattern.source)
            case .email: schema["format"] = "email"
            case .greaterThanOrEqual(let bound): schema["minimum"] = bound
            case .greaterThan(let bound): schema["exclusiveMinimum"] = bound
            case .lessThanOrEqual(let bound): schema["maximum"] = bound
            case .lessThan(let bound): schema["exclusiveMaximum"] = bound
            case .maxLength: continue
            }
        }
    }
}

extension String {
    /// The number of Unicode scalars (Pydantic's length), counted on the UTF-8 bytes: every byte
    /// but a continuation byte starts a scalar.
    var unicodeScalarCount: Int {
        var text = self
        return text.withUTF8 { bytes in
            // Continuation bytes (top bits 10) counted eight at a time.
            var continuations = 0
            var index = 0
            if let base = bytes.baseAddress {
                while index + 8 <= bytes.count {
                    let word = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    continuations += (word & ~(word << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                    index += 8
                }
            }
            while index < bytes.count {
                if bytes[index] & 0xC0 == 0x80 { continuations += 1 }
                index += 1
            }
            return bytes.count - continuations
        }
    }
}

private func plural(_ count: Int) -> String { count == 1 ? "character" : "characters" }

extension JSONValue {
    fileprivate var number: Double {
        switch self {
        case .int(let int): Double(int)
        case .double(let double): double
        default: .nan
        }
    }
}
