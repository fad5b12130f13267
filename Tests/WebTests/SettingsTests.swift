// Settings from the environment and `.env`: typed values, and startup errors that name the
// variable and the problem.

import Foundation
import HTTPServer
import Testing
import Web

@Suite struct SettingsTests {
    @Test func serverSettingsDefaultsAndValues() throws {
        let defaults = try ServerSettings(Settings([:]))
        #expect(defaults.host == "127.0.0.1" && defaults.port == 8000 && defaults.logLevel == .info)
        let set = try ServerSettings(Settings(["HOST": "0.0.0.0", "PORT": "9000", "LOG_LEVEL": "debug"]))
        #expect(set.host == "0.0.0.0" && set.port == 9000 && set.logLevel == .debug)
    }

    @Test func errorsNameTheVariableAndTheProblem() {
        #expect(throws: SettingsError(variable: "PORT", problem: "'abc' is not an integer")) {
            try ServerSettings(Settings(["PORT": "abc"]))
        }
        #expect((try? ServerSettings(Settings(["PORT": "70000"]))) == nil)
        #expect(throws: SettingsError(variable: "FLAG", problem: "'maybe' is not a boolean")) {
            try Settings(["FLAG": "maybe"]).bool("FLAG", default: false)
        }
        #expect(throws: SettingsError(variable: "SECRET_KEY", problem: "is required but not set")) {
            try Settings([:]).requiredString("SECRET_KEY")
        }
        #expect(
            SettingsError(variable: "PORT", problem: "'abc' is not an integer").description
                == "PORT: 'abc' is not an integer")
        #expect((try? Settings(["FLAG": "Yes"]).bool("FLAG", default: false)) == true)
        for bad in ["localhost", "10.0.0.0/33", "::1/129", "10.0.0.1/", "127.0.0.1:8000"] {
            #expect(
                throws: SettingsError(
                    variable: "FORWARDED_ALLOW_IPS",
                    problem: "'\(bad)' is not an IP address, a network such as 10.0.0.0/8, or *")
            ) { try ServerSettings(Settings(["FORWARDED_ALLOW_IPS": "127.0.0.1, \(bad)"])) }
        }
    }

    @Test func forwardedAllowIPsDefaultsToLocalhost() throws {
        #expect(try ServerSettings(Settings([:])).trustedProxies.trusts("127.0.0.1:5000"))
        #expect(try !ServerSettings(Settings([:])).trustedProxies.trusts("10.0.0.1:5000"))
        let set = try ServerSettings(Settings(["FORWARDED_ALLOW_IPS": "10.0.0.0/8"]))
        #expect(set.trustedProxies.trusts("10.0.0.1:5000") && !set.trustedProxies.trusts("127.0.0.1:5000"))
    }

    @Test func dotEnvFileIsReadAndTheEnvironmentWins() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("env-\(UUID().uuidString)")
        try """
        # comment
        export PROJECT_NAME="My Project"
        WEB_TEST_ONLY_IN_FILE=file # trailing comment
        PATH=from-file
        EMPTY=
        """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let settings = Settings.load(dotEnvPath: file.path)
        #expect(settings.string("PROJECT_NAME", default: "") == "My Project")
        #expect(settings.optionalString("WEB_TEST_ONLY_IN_FILE") == "file")
        #expect(settings.optionalString("PATH") != "from-file")
        #expect(settings.optionalString("EMPTY") == nil)
    }
}
