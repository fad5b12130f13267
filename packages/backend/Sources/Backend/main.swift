// The `backend` executable: serve the API, or check a running server's health.

import App
import HTTPServer
import Web

#if canImport(Glibc)
    import Glibc
#endif

let version = "0.1.0"

/// Prints `message` to standard error and exits with status 2 (a usage or settings error).
func fail(_ message: String) -> Never {
    var line = "error: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(2)
}

let command: Command
do {
    command = try Command(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("\(error)\n\n\(Command.usage)")
}

if command == .help {
    print(Command.usage)
    exit(0)
}
if command == .version {
    print("backend \(version)")
    exit(0)
}

let settings = Settings.load()
let serverSettings: ServerSettings
do {
    serverSettings = try ServerSettings(settings)
} catch {
    fail(error.description)
}
let logger = Logger(level: serverSettings.logLevel)

switch command {
case .help, .version:
    break
case .healthcheck(let host, let portOption):
    exit(Healthcheck.run(host: host ?? serverSettings.host, port: portOption ?? serverSettings.port))
case .serve(let host, let portOption, _):
    var configuration = HTTPServer.Configuration()
    configuration.host = host ?? serverSettings.host
    configuration.port = portOption ?? serverSettings.port
    let app = BackendApp.make(settings: settings, logger: logger)
    let server = HTTPServer(configuration: configuration, responder: app, logger: logger)
    Signals.onTermination { _ in server.shutdown() }
    do {
        try server.start()
    } catch {
        logger.error("cannot start: \(error)")
        exit(1)
    }
    await server.waitUntilStopped()
    logger.info("Stopped")
}
