// The application's settings at start-up: outside development one error names every secret that
// is missing, `changethis` or too short (and any other unusable setting); in development unset
// secrets default to `changethis` and every unsafe one is a warning.

import App
import Storage
import Testing
import Web

@Suite struct AppSettingsTests {
    static let production = [
        "PROJECT_NAME": "Project", "FIRST_SUPERUSER": "admin@example.com",
        "SECRET_KEY": "a-secret-key-of-thirty-two-chars", "FIRST_SUPERUSER_PASSWORD": "password",
    ]

    /// A malformed DATABASE_URL stops start-up as the other settings do, naming the variable and
    /// the problem, never the password.
    @Test func aMalformedDatabaseURLIsNamedWithoutItsPassword() throws {
        for (url, problem) in [
            ("postgresql://app:s3cret@db:99999/app", "the port '99999' is not a number from 1 to 65535"),
            ("postgresql://app:s3cret%zz@db/app", "the password has a '%' that is not followed by two hex digits"),
            ("mysql://app:s3cret@db/app", "unknown scheme 'mysql'"),
        ] {
            var values = Self.production
            values["DATABASE_URL"] = url
            #expect {
                try AppSettings(Settings(values))
            } throws: { error in
                let error = error as? SettingsError
                return error?.variable == "DATABASE_URL" && error?.problem.hasPrefix(problem) == true
                    && !"\(error!)".contains("s3cret")
            }
        }
        var values = Self.production
        values["DATABASE_URL"] = "postgresql+psycopg://app:s3cret@db:5432/app?sslmode=require"
        #expect(
            try AppSettings(Settings(values)).database.description == "postgresql://app:***@db:5432/app?sslmode=require"
        )
    }

    @Test func productionTakesSafeSecrets() throws {
        let settings = try AppSettings(Settings(Self.production))
        #expect(!settings.development && settings.warnings.isEmpty)
        #expect(settings.secretKey == Self.production["SECRET_KEY"])
    }

    @Test func productionNamesEveryMissingOrUnsafeSecretInOneError() {
        var values = Self.production
        values["SECRET_KEY"] = nil
        values["FIRST_SUPERUSER_PASSWORD"] = nil
        let missing = [
            SettingsError(variable: "SECRET_KEY", problem: "is required but not set"),
            SettingsError(variable: "FIRST_SUPERUSER_PASSWORD", problem: "is required but not set"),
        ]
        #expect(throws: SettingsError(all: missing)!) { try AppSettings(Settings(values)) }
        values["SECRET_KEY"] = "changethis"
        values["FIRST_SUPERUSER_PASSWORD"] = "short"
        values["DATABASE_URL"] = "postgresql://app:changethis@db/app"
        let error = #expect(throws: SettingsError.self) { try AppSettings(Settings(values)) }
        #expect(
            error?.description
                == "SECRET_KEY: the value \"changethis\" is not safe, change it, at least for deployments; "
                + "FIRST_SUPERUSER_PASSWORD: is too short (5 characters, at least 8); "
                + "DATABASE_URL: the value \"changethis\" is not safe, change it, at least for deployments")
        var almost = Self.production
        almost["SECRET_KEY"] = String(repeating: "k", count: 31)
        #expect(throws: SettingsError(variable: "SECRET_KEY", problem: "is too short (31 characters, at least 32)")) {
            try AppSettings(Settings(almost))
        }
    }

    @Test func everyProblemIsNamedNotOnlyTheFirst() {
        let error = #expect(throws: SettingsError.self) {
            try AppSettings(Settings(["ACCESS_TOKEN_EXPIRE_MINUTES": "soon", "FIRST_SUPERUSER": "admin"]))
        }
        let named = error?.description.split(separator: "; ").map { $0.prefix { $0 != ":" } }
        #expect(
            named == [
                "PROJECT_NAME", "ACCESS_TOKEN_EXPIRE_MINUTES", "FIRST_SUPERUSER", "SECRET_KEY",
                "FIRST_SUPERUSER_PASSWORD",
            ])
    }

    @Test func developmentDefaultsTheSecretsAndWarnsOfEachUnsafeOne() throws {
        let settings = try AppSettings(
            Settings(["FASTAPI_ENV": "development", "PROJECT_NAME": "Project", "FIRST_SUPERUSER": "admin@example.com"]))
        #expect(settings.secretKey == "changethis" && settings.firstSuperuserPassword == "changethis")
        #expect(settings.warnings.count == 2)
        #expect(settings.warnings.first?.hasPrefix("SECRET_KEY: not set, so development uses \"changethis\"") == true)
        #expect(settings.warnings.last?.hasPrefix("FIRST_SUPERUSER_PASSWORD: not set") == true)

        var values = Self.production
        values["FASTAPI_ENV"] = "development"
        values["SECRET_KEY"] = "short"
        let short = try AppSettings(Settings(values))
        #expect(short.secretKey == "short")
        #expect(short.warnings == ["SECRET_KEY: is too short (5 characters, at least 32)"])
    }

    /// The operational limits (issue 16): their defaults, a value from the environment, and a
    /// bad value named with the others.
    @Test func limitsHaveDefaultsAndAreChecked() throws {
        let defaults = try AppSettings(Settings(Self.production))
        #expect(defaults.sqliteWALLimitMB == 64 && defaults.passwordHashQueuePerCore == 16)
        #expect(defaults.loginLimits == .init(failuresPerAddressPerMinute: 10, failuresPerAccountPerHour: 20))
        var values = Self.production
        values["SQLITE_WAL_LIMIT_MB"] = "8"
        values["LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE"] = "0"
        let set = try AppSettings(Settings(values))
        #expect(set.sqliteWALLimitMB == 8 && set.loginLimits.failuresPerAddressPerMinute == 0)
        values["SQLITE_WAL_LIMIT_MB"] = "1"
        values["PASSWORD_HASH_QUEUE_PER_CORE"] = "many"
        let error = #expect(throws: SettingsError.self) { try AppSettings(Settings(values)) }
        let named = error?.description.split(separator: "; ").map { $0.prefix { $0 != ":" } }
        #expect(named == ["PASSWORD_HASH_QUEUE_PER_CORE", "SQLITE_WAL_LIMIT_MB"])
    }
}
