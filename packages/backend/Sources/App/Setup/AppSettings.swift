// The application's settings: the FastAPI template's variables and defaults (CONTRACT A.4),
// each checked at start-up. Every problem is collected first, so the one error start-up stops
// with names each variable that is missing, unusable or unsafe, with its problem.

import Mail
import Storage
import Web

public struct AppSettings: Sendable {
    public var apiPrefix: String
    public var projectName: String
    public var secretKey: String
    public var accessTokenExpireMinutes: Int
    public var emailResetTokenExpireHours: Int
    public var frontendHost: String
    /// `FASTAPI_ENV=development`: the private route, default secrets, warnings instead of refusals.
    public var development: Bool
    /// nil: the embedded SQLite default (a file under ./data).
    /// DATABASE_URL: the SQLite file or the PostgreSQL server (a malformed URL is an error here).
    public var database: DatabaseLocation
    /// DATABASE_POOL_SIZE (8): PostgreSQL connections per process, each with a thread of its own.
    public var databasePoolSize: Int
    public var firstSuperuser: String
    public var firstSuperuserPassword: String
    public var mail: MailSettings
    /// How many password logins a client address and an account may attempt (LoginThrottle).
    public var loginLimits: LoginThrottle.Limits
    /// Password hashes that may wait for each core (PASSWORD_HASH_QUEUE_PER_CORE, 16): more logins
    /// at once are answered 503 at once instead of making every login wait longer.
    public var passwordHashQueuePerCore: Int
    /// SQLITE_WAL_LIMIT_MB (64): past it, a WAL that a steady load keeps growing starts over.
    public var sqliteWALLimitMB: Int
    /// Where /docs and /redoc load Swagger UI, ReDoc and the favicon from (DOCS_*_URL).
    public var docsAssets: DocsAssets
    /// What is unsafe but allowed in development (`changethis` secrets), to log at start.
    public private(set) var warnings: [String] = []

    public init(_ settings: Settings) throws(SettingsError) {
        var errors: [SettingsError] = []
        /// The value `read` gives, or `fallback` with its error recorded.
        func checked<T>(_ fallback: T, _ read: () throws(SettingsError) -> T) -> T {
            do {
                return try read()
            } catch {
                errors.append(error)
                return fallback
            }
        }
        development = settings.optionalString("FASTAPI_ENV") == "development"
        apiPrefix = settings.string("API_V1_STR", default: "/api/v1")
        projectName = checked("") { () throws(SettingsError) in try settings.requiredString("PROJECT_NAME") }
        accessTokenExpireMinutes = checked(0) { () throws(SettingsError) in
            try settings.int("ACCESS_TOKEN_EXPIRE_MINUTES", default: 11_520, in: 1...Int(Int32.max))
        }
        emailResetTokenExpireHours = checked(0) { () throws(SettingsError) in
            try settings.int("EMAIL_RESET_TOKEN_EXPIRE_HOURS", default: 48, in: 1...1_000_000)
        }
        frontendHost = settings.string("FRONTEND_HOST", default: "http://localhost:5173")
        database = checked(.sqlite(path: DatabaseLocation.defaultSQLitePath)) { () throws(SettingsError) in
            do {
                return try DatabaseLocation(url: settings.optionalString("DATABASE_URL"))
            } catch StorageError.invalidURL(let problem) {
                throw SettingsError(variable: "DATABASE_URL", problem: problem)
            } catch {
                throw SettingsError(variable: "DATABASE_URL", problem: "\(error)")
            }
        }
        databasePoolSize = checked(0) { () throws(SettingsError) in
            try settings.int("DATABASE_POOL_SIZE", default: 8, in: 1...1_000)
        }
        firstSuperuser = checked("") { () throws(SettingsError) in
            try Self.email(settings.requiredString("FIRST_SUPERUSER"), variable: "FIRST_SUPERUSER")
        }
        docsAssets = DocsAssets(settings)
        let inDevelopment = development
        loginLimits = checked(LoginThrottle.Limits(failuresPerAddressPerMinute: 0, failuresPerAccountPerHour: 0)) {
            () throws(SettingsError) in try LoginThrottle.Limits(settings, development: inDevelopment)
        }
        passwordHashQueuePerCore = checked(0) { () throws(SettingsError) in
            try settings.int("PASSWORD_HASH_QUEUE_PER_CORE", default: 16, in: 1...100_000)
        }
        sqliteWALLimitMB = checked(0) { () throws(SettingsError) in
            try settings.int("SQLITE_WAL_LIMIT_MB", default: 64, in: 4...65_536)
        }
        var environment = settings.values
        environment["PROJECT_NAME"] = projectName
        do {
            mail = try MailSettings(environment: environment)
        } catch {
            errors.append(SettingsError(variable: error.variable, problem: error.problem))
            mail = MailSettings(host: nil, port: 587, security: .startTLS, fromEmail: nil, fromName: nil)
        }
        let secrets = Secrets(settings, development: development)
        secretKey = secrets.secretKey
        firstSuperuserPassword = secrets.firstSuperuserPassword
        warnings = secrets.warnings
        if let error = SettingsError(all: errors + secrets.errors) { throw error }
    }

    /// An e-mail address as email-validator stores it: the domain lower-cased.
    private static func email(_ text: String, variable: String) throws(SettingsError) -> String {
        guard let at = text.lastIndex(of: "@"), at != text.startIndex, text.index(after: at) != text.endIndex else {
            throw SettingsError(variable: variable, problem: "'\(text)' is not an e-mail address")
        }
        return text[..<at] + "@" + text[text.index(after: at)...].lowercased()
    }
}
