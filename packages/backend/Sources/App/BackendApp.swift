// The application: its routes on the Web layer's router, the OpenAPI document at
// /api/v1/openapi.json and the docs pages. Today only the health check; the API comes later.

import HTTPServer
import Web

public enum BackendApp {
    public static let apiPrefix = "/api/v1"

    /// The application as an `HTTPResponder`, configured from `settings`.
    public static func make(settings: Settings, logger: Logger? = nil) -> WebApplication {
        let router = Router()
        let api = router.group(apiPrefix)
        let utils = api.group("/utils", tags: ["utils"])
        utils.get("/health-check/", name: "health_check") { true }
        let projectName = settings.string("PROJECT_NAME", default: "Full Stack FastAPI Project")
        let frontendHost = settings.string("FRONTEND_HOST", default: "http://localhost:5173")
        return WebApplication(
            router: router,
            middleware: [RequestIDMiddleware(), CORSMiddleware(allowedOrigin: frontendHost), GZipMiddleware()],
            openAPI: OpenAPIConfiguration(title: projectName, openAPIURL: "\(apiPrefix)/openapi.json"), logger: logger)
    }
}
