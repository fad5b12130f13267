// The three e-mails: the reference's subjects, links and validity, and HTML escaping of every
// interpolated value.

import Mail
import Testing

@Suite struct EmailTemplatesTests {
    let templates = EmailTemplates(projectName: "Full Stack FastAPI Project", frontendHost: "http://localhost:5173")

    @Test func testEmail() {
        let message = templates.testEmail(to: "admin@example.com")
        #expect(message.to == "admin@example.com")
        #expect(message.subject == "Full Stack FastAPI Project - Test email")
        #expect(message.html.contains("Test email for: admin@example.com"))
        #expect(message.text.contains("Test email for: admin@example.com"))
    }

    @Test func passwordRecoveryLinksToTheResetPageAndStatesTheValidity() {
        let message = templates.passwordRecovery(to: "user@example.com", token: "a.b-c_d", validHours: 48)
        let link = "http://localhost:5173/reset-password?token=a.b-c_d"
        #expect(message.subject == "Full Stack FastAPI Project - Password recovery for user user@example.com")
        #expect(message.html.contains("href=\"\(link)\""))
        #expect(message.html.contains("This password will expire in 48 hours."))
        #expect(message.text.contains(link))
        #expect(message.links == [link])
    }

    @Test func newAccountShowsTheCredentialsAndLinksToTheFrontend() {
        let message = templates.newAccount(to: "new@example.com", username: "new@example.com", password: "pa$$word")
        #expect(message.subject == "Full Stack FastAPI Project - New account for user new@example.com")
        #expect(message.html.contains("Username: new@example.com"))
        #expect(message.html.contains("Password: pa$$word"))
        #expect(message.html.contains("href=\"http://localhost:5173\""))
        #expect(message.links == ["http://localhost:5173"])
    }

    @Test func everyInterpolatedValueIsEscaped() {
        let hostile = EmailTemplates(projectName: "<b>P&Q</b>", frontendHost: "http://x/\"><script>")
        let messages = [
            hostile.testEmail(to: "<img src=x>@example.com"),
            hostile.passwordRecovery(to: "a@example.com", token: "t'\"<>&", validHours: 1),
            hostile.newAccount(to: "a@example.com", username: "<u>", password: "</p><script>'"),
        ]
        for message in messages {
            #expect(!message.html.contains("<script>"))
            #expect(!message.html.contains("<b>") && !message.html.contains("<img") && !message.html.contains("<u>"))
            #expect(message.html.contains("&lt;b&gt;P&amp;Q&lt;/b&gt;"))
        }
        #expect(messages[1].html.contains("token=t&#39;&quot;&lt;&gt;&amp;"))
        #expect(messages[2].html.contains("Password: &lt;/p&gt;&lt;script&gt;&#39;"))
    }
}
