// Typed settings read from the environment (and `.env`): each accessor names the variable
// and the problem when a value is unusable, e.g. `PORT: 'abc' is not an integer`.

import HTTPServer
import Logging

public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public let variable: String
    public let problem: String
    /// The other variables found wrong by the same check, named in the same message.
    public private(set) var more: [SettingsError] = []

    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    /// One error naming each of `errors` (`A: problem; B: problem`); nil when there are none.
    public init?(all errors: [SettingsError]) {
        let each = errors.flatMap(\.each)
        guard let first = each.first else { return nil }
        self = first
        more = Array(each.dropFirst())
    }

    public var description: String { each.map { "\($0.variable): \($0.problem)" }.joined(separator: "; ") }

    /// This error and the ones it carries, each on its own.
    private var each: [SettingsError] { [SettingsError(variable: variable, problem: problem)] + more }
}

public struct Settings: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    /// The process environment over `.env` at `dotEnvPath`.
    public static func load(dotEnvPath: String = ".env") -> Settings {
        Settings(Environment.load(dotEnvPath: dotEnvPath))
    }

    public func string(_ name: String, default defaultValue: String) -> String { values[name] ?? defaultValue }

    public func optionalString(_ name: String) -> String? { values[name] }

    /// A variable that must be set.
    public func requiredString(_ name: String) throws(SettingsError) -> String {
        guard let value = values[name] else { throw SettingsError(variable: name, problem: "is required but not set") }
        return value
    }

    public func int(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>? = nil)
        throws(SettingsError) -> Int
    {
        guard let text = values[name] else { return defaultValue }
        guard let value = Int(text) else { throw SettingsError(variable: name, problem: "'\(text)' is not an integer") }
        if let range, !range.contains(value) {
            throw SettingsError(
                variable: name, problem: "'\(text)' is out of range (\(range.lowerBound) to \(range.upperBound))")
        }
        return value
    }

    /// Pydantic's boolean words: true/false, 1/0, yes/no, on/off, t/f, y/n (any case).
    public func bool(_ name: String, default defaultValue: Bool) throws(SettingsError) -> Bool {
        guard let text = values[name] else { return defaultValue }
        switch text.lowercased() {
        case "1", "true", "t", "yes", "y", "on": return true
        case "0", "false", "f", "no", "n", "off": return false
        default: throw SettingsError(variable: name, problem: "'\(text)' is not a boolean")
        }
    }
}

/// Where and how the server listens: HOST, PORT, LOG_LEVEL, and FORWARDED_ALLOW_IPS (the
/// proxies whose `X-Forwarded-Proto` is believed; default 127.0.0.1, as uvicorn's).
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    public var trustedProxies: TrustedProxies

    public init(_ settings: Settings) throws(SettingsError) {
        host = settings.string("HOST", default: "127.0.0.1")
        port = try settings.int("PORT", default: 8000, in: 0...65535)
        let levelName = settings.string("LOG_LEVEL", default: "info")
        guard let level = Logger.Level(name: levelName) else {
            throw SettingsError(
                variable: "LOG_LEVEL", problem: "'\(levelName)' is not one of debug, info, warning, error, critical")
        }
        logLevel = level
        trustedProxies = try TrustedProxies(settings.string("FORWARDED_ALLOW_IPS", default: "127.0.0.1"))
    }
}
