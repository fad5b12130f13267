// The small shapes shared by several routes: Message, Token and the OAuth2 login form; and how
// an explicit null for a NOT NULL column is refused.

import Web

public struct Message: Model {
    public var message: String

    public init(_ message: String) { self.message = message }

    public static let fields = ModelFields(Message.init, Field("message", \.message))
}

public struct Token: Model {
    public var accessToken: String
    public var tokenType: String

    public static let fields = ModelFields(
        Token.init, Field("access_token", \.accessToken), Field("token_type", \.tokenType, default: "bearer"))
}

/// FastAPI's `OAuth2PasswordRequestForm` (the schema `Body_login-login_access_token`).
public struct LoginForm: Model {
    public var grantType: String?
    public var username: String
    public var password: String
    public var scope: String
    public var clientID: String?
    public var clientSecret: String?

    public static let fields = ModelFields(
        LoginForm.init,
        Field("grant_type", \.grantType, .pattern("^password$")),
        Field("username", \.username),
        Field("password", \.password, format: "password"),
        Field("scope", \.scope, default: ""),
        Field("client_id", \.clientID),
        Field("client_secret", \.clientSecret, format: "password"))
}

/// The value of a nullable key whose column is NOT NULL: an explicit null is a 422 (the
/// reference tried to store it and answered 500).
func required<V>(_ value: V?, _ field: String) throws -> V {
    guard let value else {
        let message = V.self == Bool.self ? "Input should be a valid boolean" : "Input should be a valid string"
        throw RequestValidationError([
            ValidationIssue(
                type: V.self == Bool.self ? "bool_type" : "string_type", loc: ["body", .key(field)], msg: message,
                input: .null)
        ])
    }
    return value
}
