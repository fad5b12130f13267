// The application's three e-mails (test, password recovery, new account) with the reference's
// subjects. Each is a list of content blocks rendered twice: HTML with inline styles, in the
// spirit of the reference's MJML e-mails, and a plain-text alternative. Every interpolated
// value is HTML-escaped.

public struct EmailTemplates: Sendable {
    public let projectName: String
    /// The frontend's base URL (FRONTEND_HOST), for the links in the e-mails.
    public let frontendHost: String

    public init(projectName: String, frontendHost: String) {
        self.projectName = projectName
        self.frontendHost = frontendHost
    }

    /// "{PROJECT_NAME} - Test email".
    public func testEmail(to email: String) -> EmailMessage {
        message(
            to: email, subject: "\(projectName) - Test email",
            blocks: [.heading(projectName), .paragraph("Test email for: \(email)")])
    }

    /// "{PROJECT_NAME} - Password recovery for user {email}", with the reset link and its validity.
    public func passwordRecovery(to email: String, token: String, validHours: Int) -> EmailMessage {
        let link = "\(frontendHost)/reset-password?token=\(token)"
        return message(
            to: email, subject: "\(projectName) - Password recovery for user \(email)",
            blocks: [
                .heading("\(projectName) - Password Recovery"),
                .paragraph("Hello \(email)"),
                .paragraph("We've received a request to recover the password for your account."),
                .paragraph("Reset your password by clicking the button below:"),
                .button("Reset Password", link),
                .paragraph("Or copy and paste the following link into your browser:"),
                .link(link),
                .divider,
                .paragraph("This password will expire in \(validHours) hours."),
                .paragraph("If you didn't request a password recovery you can disregard this email."),
            ])
    }

    /// "{PROJECT_NAME} - New account for user {username}", with the credentials and a link to the frontend.
    public func newAccount(to email: String, username: String, password: String) -> EmailMessage {
        message(
            to: email, subject: "\(projectName) - New account for user \(username)",
            blocks: [
                .heading("\(projectName) - New Account"),
                .paragraph("Welcome to your new account!"),
                .paragraph("Here are your account details:"),
                .paragraph("Username: \(username)"),
                .paragraph("Password: \(password)"),
                .button("Go to Dashboard", frontendHost),
                .divider,
            ])
    }

    private func message(to email: String, subject: String, blocks: [Block]) -> EmailMessage {
        EmailMessage(
            to: email, subject: subject, html: Block.html(title: subject, blocks),
            text: blocks.map(\.text).joined(separator: "\n\n") + "\n")
    }
}

/// One piece of an e-mail's content.
private enum Block {
    case heading(String)
    case paragraph(String)
    case button(String, String)
    case link(String)
    case divider

    var text: String {
        switch self {
        case .heading(let text), .paragraph(let text): text
        case .button(let label, let url): "\(label): \(url)"
        case .link(let url): url
        case .divider: "--"
        }
    }

    var html: String {
        let accent = "#009688"
        switch self {
        case .heading(let text):
            return
                "<h1 style=\"margin:0 0 20px;font-size:20px;line-height:1.5;text-align:center;\">\(htmlEscaped(text))</h1>"
        case .paragraph(let text):
            return "<p style=\"margin:0 0 16px;font-size:16px;line-height:1.5;\">\(htmlEscaped(text))</p>"
        case .button(let label, let url):
            return
                "<p style=\"margin:24px 0;text-align:center;\"><a href=\"\(htmlEscaped(url))\" style=\"display:inline-block;"
                + "padding:10px 25px;border-radius:8px;background-color:\(accent);color:#ffffff;font-size:18px;"
                + "text-decoration:none;\">\(htmlEscaped(label))</a></p>"
        case .link(let url):
            return "<p style=\"margin:0 0 16px;font-size:16px;line-height:1.5;word-break:break-all;\">"
                + "<a href=\"\(htmlEscaped(url))\" style=\"color:\(accent);\">\(htmlEscaped(url))</a></p>"
        case .divider:
            return "<hr style=\"margin:20px 0;border:none;border-top:1px solid #cccccc;\">"
        }
    }

    static func html(title: String, _ blocks: [Block]) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(htmlEscaped(title))</title>
        </head>
        <body style="margin:0;padding:0;background-color:#fafbfc;">
        <div style="max-width:600px;margin:0 auto;padding:20px 0;font-family:Arial,Helvetica,sans-serif;color:#555555;">
        <div style="padding:20px 25px;background-color:#ffffff;">
        \(blocks.map(\.html).joined(separator: "\n"))
        </div>
        </div>
        </body>
        </html>

        """
    }
}

/// `text` with &, <, >, " and ' replaced by character references.
func htmlEscaped(_ text: String) -> String {
    var output = ""
    output.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": output += "&amp;"
        case "<": output += "&lt;"
        case ">": output += "&gt;"
        case "\"": output += "&quot;"
        case "'": output += "&#39;"
        default: output.append(character)
        }
    }
    return output
}
