// /utils: the health check and the superuser's test e-mail.

import Mail
import Web

extension AppServices {
    func registerUtilsRoutes(on api: RouteGroup) {
        let utils = api.group("/utils", tags: ["utils"])

        utils.post(
            "/test-email/", name: "test_email", description: "Test emails.", status: .created,
            self.currentSuperuser, Query<String>("email_to", .email)
        ) { _, emailTo in
            do {
                try await self.mailer.send(self.emails.testEmail(to: emailTo))
            } catch MailError.notConfigured {
                throw HTTPError(.badRequest, detail: MailError.notConfigured.description)
            } catch {
                self.logger.error("test e-mail to \(emailTo) not sent: \(error)")
                throw HTTPError(.badGateway, detail: "The e-mail could not be sent: \(error)")
            }
            return Message("Test email sent")
        }

        utils.get("/health-check/", name: "health_check") { true }
    }
}
