// The SMTP client's public face: built from MailSettings, it renders a message and delivers it
// on a thread of its own, so async callers on event-loop threads never block.

import FoundationEssentials

public struct SMTPClient: Sendable {
    private let settings: MailSettings
    private let host: String
    private let fromEmail: String
    private let tlsContext: TLSContext?

    /// Fails when SMTP_HOST or EMAILS_FROM_EMAIL is missing, or the CA store cannot be loaded.
    public init(settings: MailSettings) throws(SMTPError) {
        guard let host = settings.host, let fromEmail = settings.fromEmail else {
            throw SMTPError(step: .configuration, detail: "SMTP_HOST and EMAILS_FROM_EMAIL must both be set")
        }
        self.settings = settings
        self.host = host
        self.fromEmail = fromEmail
        do {
            tlsContext =
                settings.security == .plain
                ? nil : try TLSContext(verifyCertificates: settings.verifyCertificates, caFile: settings.caFile)
        } catch {
            throw SMTPError(step: .configuration, detail: error.detail)
        }
    }

    /// Sends `message` to its recipient, from EMAILS_FROM_NAME <EMAILS_FROM_EMAIL>.
    public func send(_ message: EmailMessage) async throws(SMTPError) {
        let mime = MIMEMessage(fromEmail: fromEmail, fromName: settings.fromName, message: message, date: Date())
        let data: [UInt8]
        do {
            data = Array(try mime.rendered().utf8)
        } catch {
            throw SMTPError(step: .compose, detail: "'\(error.address)' is not a plain ASCII e-mail address")
        }
        let session = SMTPSession(
            host: host, port: settings.port, security: settings.security, tlsContext: tlsContext,
            user: settings.user, password: settings.password, timeoutSeconds: settings.timeoutSeconds)
        let sender = fromEmail
        let outcome: Result<Void, SMTPError>
        do {
            outcome = try await DedicatedThread.run {
                Result { () throws(SMTPError) in try session.deliver(data, from: sender, to: message.to) }
            }
        } catch {
            throw SMTPError(step: .connect, detail: "cannot start a thread: error \(error.code)")
        }
        try outcome.get()
    }
}
