// What went wrong while sending: the step that failed, and the server's reply or the local cause.

public struct SMTPError: Error, Equatable, CustomStringConvertible {
    public enum Step: String, Sendable {
        case configuration = "configuration"
        case compose = "compose message"
        case connect = "connect"
        case tlsHandshake = "TLS handshake"
        case greeting = "greeting"
        case ehlo = "EHLO"
        case startTLS = "STARTTLS"
        case authentication = "AUTH"
        case mailFrom = "MAIL FROM"
        case rcptTo = "RCPT TO"
        case data = "DATA"
    }

    public let step: Step
    /// The server's reply code when the failure is the server's answer.
    public let replyCode: Int?
    /// The server's reply text, or what went wrong on our side.
    public let detail: String

    public init(step: Step, replyCode: Int? = nil, detail: String) {
        self.step = step
        self.replyCode = replyCode
        self.detail = detail
    }

    public var description: String {
        guard let replyCode else { return "SMTP \(step.rawValue) failed: \(detail)" }
        return "SMTP \(step.rawValue) failed: the server replied \(replyCode) \(detail)"
    }
}
