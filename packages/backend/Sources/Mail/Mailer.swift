// The application's way to send e-mail: through SMTP when e-mail is enabled; in development
// without SMTP, a log line with the subject, recipient and links (so password recovery works
// out of the box); otherwise a "not configured" error the app turns into a clear 400.

public enum MailError: Error, Equatable, CustomStringConvertible {
    /// E-mail is not enabled (SMTP_HOST or EMAILS_FROM_EMAIL unset) and this is not development.
    case notConfigured
    /// The SMTP server could not be reached or refused the message.
    case delivery(SMTPError)

    public var description: String {
        switch self {
        case .notConfigured: "E-mail is not configured: set SMTP_HOST and EMAILS_FROM_EMAIL"
        case .delivery(let error): error.description
        }
    }
}

public struct Mailer: Sendable {
    /// What `send` did with a message.
    public enum Outcome: Sendable, Equatable {
        case sent
        case logged
    }

    private let client: SMTPClient?
    private let development: Bool
    private let log: @Sendable (String) -> Void

    /// Fails only when e-mail is enabled but its TLS set-up cannot be loaded (see SMTPClient).
    public init(settings: MailSettings, development: Bool, log: @escaping @Sendable (String) -> Void) throws(SMTPError)
    {
        client = settings.enabled ? try SMTPClient(settings: settings) : nil
        self.development = development
        self.log = log
    }

    /// Whether messages really go out (the reference's `emails_enabled`).
    public var isEnabled: Bool { client != nil }

    @discardableResult
    public func send(_ message: EmailMessage) async throws(MailError) -> Outcome {
        if let client {
            do {
                try await client.send(message)
            } catch {
                throw .delivery(error)
            }
            return .sent
        }
        guard development else { throw .notConfigured }
        let links = message.links.isEmpty ? "none" : message.links.joined(separator: " ")
        log(
            "E-mail not sent (SMTP is not configured; development mode): to \(message.to), "
                + "subject \"\(message.subject)\", links: \(links)")
        return .logged
    }
}
