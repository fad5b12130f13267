// The application: the template's routers under API_V1_STR, the OpenAPI document and docs
// pages, and the middleware (CORS for FRONTEND_HOST, request ids, gzip).

import HTTPServer
import JSON
import Logging
import Storage
import Web
import Workers

public enum BackendApp {
    /// The application as an `HTTPResponder` over `services`; `trustedProxies` is
    /// FORWARDED_ALLOW_IPS (`ServerSettings`).
    public static func make(
        services: AppServices, trustedProxies: TrustedProxies = .localhost, logger: Logger? = nil
    ) -> WebApplication {
        let settings = services.settings
        let router = Router()
        let api = router.group(settings.apiPrefix)
        services.registerLoginRoutes(on: api)
        services.registerUserRoutes(on: api)
        services.registerUtilsRoutes(on: api)
        services.registerItemRoutes(on: api)
        if settings.development { services.registerPrivateRoutes(on: api) }
        var openAPI = OpenAPIConfiguration(
            title: settings.projectName, openAPIURL: "\(settings.apiPrefix)/openapi.json")
        openAPI.assets = settings.docsAssets
        return WebApplication(
            router: router,
            middleware: [
                RequestIDMiddleware(), CORSMiddleware(allowedOrigin: settings.frontendHost), GZipMiddleware(),
            ],
            openAPI: openAPI, trustedProxies: trustedProxies, exceptionHandler: Self.answer(to:), logger: logger)
    }

    /// The OpenAPI document of the application `settings` describe, made without opening (or
    /// creating) any database: what `backend openapi` prints.
    public static func openAPIDocument(settings: AppSettings, logger: Logger) throws -> JSONValue {
        make(services: try AppServices.describing(settings: settings, logger: logger), logger: logger).openAPIDocument
            ?? .object([:])
    }

    /// A text value no database engine may take (a NUL character): 400. Failures that pass: a
    /// database locked by another process or out of reach, a queue of blocking work (the
    /// password hasher's, say) that is full. 503 with Retry-After, not a 500.
    @Sendable static func answer(to error: any Error) -> HTTPError? {
        switch error {
        case StorageError.busy:
            HTTPError(.serviceUnavailable, detail: "The database is busy, try again", headers: ["Retry-After": "1"])
        case StorageError.unavailable:
            HTTPError(
                .serviceUnavailable, detail: "The database is unavailable, try again", headers: ["Retry-After": "1"])
        case StorageError.nulInText:
            HTTPError(.badRequest, detail: "Text with a NUL character (\\u0000) is not accepted")
        case BlockingPoolError.queueFull:
            HTTPError(.serviceUnavailable, detail: "The server is busy, try again", headers: ["Retry-After": "1"])
        default: nil
        }
    }
}
