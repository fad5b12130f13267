// The e-mail settings, read from the environment with the reference template's variable names
// and defaults, plus three of our own (certificate checks, a CA file, a timeout).

/// How the connection to the SMTP server is secured.
public enum SMTPSecurity: Sendable, Equatable {
    /// No TLS (SMTP_TLS=false, SMTP_SSL=false): for local sinks.
    case plain
    /// A plain connection upgraded with STARTTLS (SMTP_TLS=true, the default).
    case startTLS
    /// TLS from the first byte (SMTP_SSL=true; it wins over SMTP_TLS).
    case implicitTLS
}

/// An environment variable with a value we cannot use.
public struct MailSettingsError: Error, Equatable, CustomStringConvertible {
    public let variable: String
    public let problem: String

    public var description: String { "\(variable): \(problem)" }
}

public struct MailSettings: Sendable, Equatable {
    public var host: String?
    public var port: Int
    public var security: SMTPSecurity
    public var user: String?
    public var password: String?
    public var fromEmail: String?
    public var fromName: String?
    /// Check the server's certificate and name against the trusted CAs (on unless SMTP_TLS_VERIFY=false).
    public var verifyCertificates: Bool
    /// A PEM file of extra CAs to trust besides the system store (SMTP_TLS_CA_FILE).
    public var caFile: String?
    /// The longest wait for connecting and for each read or write (SMTP_TIMEOUT, seconds); a whole
    /// conversation may take six times as long.
    public var timeoutSeconds: Int

    /// E-mail is enabled when both a server and a sender are set, as in the reference.
    public var enabled: Bool { host != nil && fromEmail != nil }

    public init(
        host: String?, port: Int, security: SMTPSecurity, user: String? = nil, password: String? = nil,
        fromEmail: String?, fromName: String?, verifyCertificates: Bool = true, caFile: String? = nil,
        timeoutSeconds: Int = 10
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.user = user
        self.password = password
        self.fromEmail = fromEmail
        self.fromName = fromName
        self.verifyCertificates = verifyCertificates
        self.caFile = caFile
        self.timeoutSeconds = timeoutSeconds
    }

    /// Reads SMTP_HOST, SMTP_PORT (587; 465 with SMTP_SSL), SMTP_TLS (true), SMTP_SSL (false),
    /// SMTP_USER, SMTP_PASSWORD, EMAILS_FROM_EMAIL, EMAILS_FROM_NAME (defaults to PROJECT_NAME),
    /// SMTP_TLS_VERIFY (true), SMTP_TLS_CA_FILE and SMTP_TIMEOUT (10). Empty values count as unset.
    public init(environment: [String: String]) throws(MailSettingsError) {
        let env = Environment(values: environment)
        let ssl = try env.bool("SMTP_SSL", default: false)
        let tls = try env.bool("SMTP_TLS", default: true)
        let fromEmail = env["EMAILS_FROM_EMAIL"]
        if let fromEmail, (try? MIMEMessage.checkedAddress(fromEmail)) == nil {
            throw MailSettingsError(
                variable: "EMAILS_FROM_EMAIL", problem: "'\(fromEmail)' is not a plain e-mail address")
        }
        self.init(
            host: env["SMTP_HOST"],
            port: try env.integer("SMTP_PORT", default: ssl ? 465 : 587, in: 1...65535),
            security: ssl ? .implicitTLS : tls ? .startTLS : .plain,
            user: env["SMTP_USER"],
            password: env["SMTP_PASSWORD"],
            fromEmail: fromEmail,
            fromName: env["EMAILS_FROM_NAME"] ?? env["PROJECT_NAME"],
            verifyCertificates: try env.bool("SMTP_TLS_VERIFY", default: true),
            caFile: env["SMTP_TLS_CA_FILE"],
            timeoutSeconds: try env.integer("SMTP_TIMEOUT", default: 10, in: 1...600)
        )
    }
}

/// Typed reads of environment values, each error naming its variable.
private struct Environment {
    let values: [String: String]

    subscript(name: String) -> String? {
        guard let value = values[name]?.trimmingWhitespace, !value.isEmpty else { return nil }
        return value
    }

    /// The spellings pydantic accepts for booleans.
    func bool(_ name: String, default fallback: Bool) throws(MailSettingsError) -> Bool {
        guard let value = self[name] else { return fallback }
        switch value.lowercased() {
        case "1", "true", "t", "yes", "y", "on": return true
        case "0", "false", "f", "no", "n", "off": return false
        default: throw MailSettingsError(variable: name, problem: "'\(value)' is not a boolean (use true or false)")
        }
    }

    func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(MailSettingsError) -> Int {
        guard let value = self[name] else { return fallback }
        guard let number = Int(value), range.contains(number) else {
            throw MailSettingsError(
                variable: name,
                problem: "'\(value)' is not an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
