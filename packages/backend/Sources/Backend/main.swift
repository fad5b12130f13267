// The `backend` executable: serve the API, or check a running server's health.

import App
import HTTPServer

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

let environment = Environment.load()
let logLevelName = environment["LOG_LEVEL"] ?? "info"
guard let logLevel = Logger.Level(name: logLevelName) else {
    fail("LOG_LEVEL: '\(logLevelName)' is not one of debug, info, warning, error, critical")
}
let logger = Logger(level: logLevel)

func port(_ option: Int?) -> Int {
    if let option { return option }
    guard let text = environment["PORT"] else { return 8000 }
    guard let value = Int(text), (0...65535).contains(value) else {
        fail("PORT: '\(text)' is not a port number (0 to 65535)")
    }
    return value
}

switch command {
case .help:
    print(Command.usage)
case .version:
    print("backend \(version)")
case .healthcheck(let host, let portOption):
    exit(Healthcheck.run(host: host ?? environment["HOST"] ?? "127.0.0.1", port: port(portOption)))
case .serve(let host, let portOption, let reload):
    var configuration = HTTPServer.Configuration()
    configuration.host = host ?? environment["HOST"] ?? "127.0.0.1"
    configuration.port = port(portOption)
    if reload {
        let serveArguments = CommandLine.arguments.dropFirst().filter { $0 != "--reload" }
        let settings = ReloadSettings(
            environment: environment, host: configuration.host, port: configuration.port,
            serveArguments: serveArguments)
        exit(ReloadSupervisor(settings: settings, logger: logger).run())
    }
    let server = HTTPServer(configuration: configuration, responder: BackendApp(), logger: logger)
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
