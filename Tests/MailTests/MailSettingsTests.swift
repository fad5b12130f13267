// MailSettings from environment dictionaries: the template's defaults, its development .env,
// implicit TLS, empty values, and errors that name the variable.

import Mail
import Testing

@Suite struct MailSettingsTests {
    @Test func defaultsFollowTheTemplate() throws {
        let settings = try MailSettings(environment: ["PROJECT_NAME": "Full Stack FastAPI Project"])
        #expect(settings.host == nil)
        #expect(settings.port == 587)
        #expect(settings.security == .startTLS)
        #expect(settings.fromName == "Full Stack FastAPI Project")
        #expect(settings.verifyCertificates)
        #expect(settings.timeoutSeconds == 10)
        #expect(!settings.enabled)
    }

    @Test func theTemplatesDevelopmentEnvironmentIsAPlainLocalSink() throws {
        let settings = try MailSettings(environment: [
            "PROJECT_NAME": "Full Stack FastAPI Project", "SMTP_HOST": "localhost", "SMTP_PORT": "1025",
            "SMTP_TLS": "False", "EMAILS_FROM_EMAIL": "info@example.com", "SMTP_USER": "", "SMTP_PASSWORD": "",
        ])
        #expect(settings.enabled)
        #expect(settings.security == .plain)
        #expect(settings.port == 1025)
        #expect(settings.user == nil)
        #expect(settings.password == nil)
        #expect(settings.fromEmail == "info@example.com")
    }

    @Test func sslMeansImplicitTLSOnPort465AndWinsOverTLS() throws {
        let settings = try MailSettings(environment: ["SMTP_SSL": "true", "SMTP_HOST": "smtp.example.com"])
        #expect(settings.security == .implicitTLS)
        #expect(settings.port == 465)
        #expect(try MailSettings(environment: ["SMTP_SSL": "yes", "SMTP_PORT": "2465"]).port == 2465)
    }

    @Test func emailIsEnabledOnlyWithBothAHostAndASender() throws {
        #expect(!(try MailSettings(environment: ["SMTP_HOST": "smtp.example.com"]).enabled))
        #expect(!(try MailSettings(environment: ["EMAILS_FROM_EMAIL": "info@example.com"]).enabled))
        #expect(!(try MailSettings(environment: ["SMTP_HOST": " ", "EMAILS_FROM_EMAIL": "info@example.com"]).enabled))
    }

    @Test func ourOwnTLSAndTimeoutVariables() throws {
        let settings = try MailSettings(environment: [
            "SMTP_TLS_VERIFY": "false", "SMTP_TLS_CA_FILE": "/etc/ssl/private-ca.pem", "SMTP_TIMEOUT": "3",
        ])
        #expect(!settings.verifyCertificates)
        #expect(settings.caFile == "/etc/ssl/private-ca.pem")
        #expect(settings.timeoutSeconds == 3)
    }

    @Test func theSenderNameOverridesTheProjectName() throws {
        let settings = try MailSettings(environment: ["PROJECT_NAME": "P", "EMAILS_FROM_NAME": "Support"])
        #expect(settings.fromName == "Support")
    }

    @Test(arguments: [
        ("SMTP_PORT", "abc"), ("SMTP_PORT", "0"), ("SMTP_PORT", "70000"), ("SMTP_TLS", "maybe"),
        ("SMTP_SSL", "2"), ("SMTP_TLS_VERIFY", "nope"), ("SMTP_TIMEOUT", "-1"),
        ("EMAILS_FROM_EMAIL", "no-at-sign"), ("EMAILS_FROM_EMAIL", "a@b.c>\r\nRCPT TO:<x@y.z"),
    ])
    func invalidValuesNameTheirVariable(variable: String, value: String) {
        #expect(throws: MailSettingsError.self) { try MailSettings(environment: [variable: value]) }
        do {
            _ = try MailSettings(environment: [variable: value])
        } catch {
            #expect(error.variable == variable)
            #expect(error.description.hasPrefix("\(variable): '\(value)' is not"))
        }
    }
}
