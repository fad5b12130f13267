// The secrets checked at start-up: SECRET_KEY, FIRST_SUPERUSER_PASSWORD and a password in
// DATABASE_URL. Outside development each must be set, not `changethis` and long enough, and
// every one that is not is reported. In development an unset secret is `changethis` and anything
// unsafe is a warning, so a fresh clone runs with no configuration while a deployment can never
// start on a default.

import Web

struct Secrets {
    /// An unset secret's value in development (the template's `.env` value).
    static let developmentDefault = "changethis"

    private(set) var secretKey = ""
    private(set) var firstSuperuserPassword = ""
    /// Outside development: each secret that is missing or unsafe.
    private(set) var errors: [SettingsError] = []
    /// In development: each secret that is unsafe, a default included.
    private(set) var warnings: [String] = []
    private let development: Bool

    init(_ settings: Settings, development: Bool) {
        self.development = development
        // HS256 wants a key of at least 256 bits (RFC 7518, 3.2); the template's passwords have
        // at least 8 characters.
        secretKey = secret("SECRET_KEY", minimumLength: 32, in: settings)
        firstSuperuserPassword = secret("FIRST_SUPERUSER_PASSWORD", minimumLength: 8, in: settings)
        if let url = settings.optionalString("DATABASE_URL"), url.contains(":\(Self.developmentDefault)@") {
            report("DATABASE_URL", Self.defaultIsUnsafe)
        }
    }

    private static let defaultIsUnsafe =
        "the value \"\(developmentDefault)\" is not safe, change it, at least for deployments"

    private mutating func secret(_ variable: String, minimumLength: Int, in settings: Settings) -> String {
        guard let value = settings.optionalString(variable) else {
            if development {
                warnings.append(
                    "\(variable): not set, so development uses \"\(Self.developmentDefault)\", which is not "
                        + "safe: set it for any deployment")
                return Self.developmentDefault
            }
            errors.append(SettingsError(variable: variable, problem: "is required but not set"))
            return ""
        }
        if value == Self.developmentDefault {
            report(variable, Self.defaultIsUnsafe)
        } else if value.count < minimumLength {
            report(variable, "is too short (\(value.count) characters, at least \(minimumLength))")
        }
        return value
    }

    private mutating func report(_ variable: String, _ problem: String) {
        if development {
            warnings.append("\(variable): \(problem)")
        } else {
            errors.append(SettingsError(variable: variable, problem: problem))
        }
    }
}
