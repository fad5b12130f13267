// `backend healthcheck`: the Docker HEALTHCHECK of an image without curl.

import HTTPServer

enum Healthcheck {
    static let path = "/api/v1/utils/health-check/"
    /// The user agent of every health check of ours, which the server logs at debug only.
    static let userAgent = HTTPServer.healthCheckUserAgent

    /// The request `healthcheck` and the reloader's readiness check send.
    static var request: HTTPRequest {
        HTTPRequest(method: .get, target: path, headers: ["User-Agent": userAgent])
    }

    /// Asks the health route on the local server; 0 if it answers 200, else 1.
    static func run(host: String, port: Int) -> Int32 {
        let target = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host
        do {
            let response = try BlockingHTTPClient.send(request, host: target, port: port, timeoutSeconds: 3)
            guard response.status.code == 200 else {
                print("unhealthy: \(path) answered \(response.status)")
                return 1
            }
            return 0
        } catch {
            print("unhealthy: \(error)")
            return 1
        }
    }
}
