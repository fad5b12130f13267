// The `backend` executable: serve the API, check the settings or a running server's health,
// migrate, prestart, print the OpenAPI document, copy a deployment's data to another database.

import App
import HTTPServer
import JSON
import Logging
import Storage
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

/// `check-settings`: every problem `serve` would stop at before it opens the database, in one
/// message; exit status 0 when there is none, else 2.
func checkSettings() -> Never {
    var errors: [SettingsError] = []
    do {
        _ = try ServerSettings(settings)
    } catch {
        errors.append(error)
    }
    do {
        for warning in try AppSettings(settings).warnings { print("warning: \(warning)") }
    } catch {
        errors.append(error)
    }
    if let error = SettingsError(all: errors) { fail(error.description) }
    print("The settings are usable.")
    exit(0)
}
if command == .checkSettings { checkSettings() }

let serverSettings: ServerSettings
do {
    serverSettings = try ServerSettings(settings)
} catch {
    fail(error.description)
}
let logger = Logger(level: serverSettings.logLevel)

/// The application's settings, or a clear start-up error and exit status 2; their warnings logged.
func appSettings() -> AppSettings {
    let appSettings: AppSettings
    do {
        appSettings = try AppSettings(settings)
    } catch {
        fail(error.description)
    }
    // A server that `serve --reload` started after another has had them logged already.
    let warned = settings.optionalString(ReloadSupervisor.settingsWarnedVariable) == "1"
    for warning in appSettings.warnings { logger.log(warned ? .debug : .warning, warning) }
    return appSettings
}

/// The application's services over its database, or a clear start-up error and exit status 2.
func openServices() async -> AppServices {
    do {
        return try await AppServices.open(settings: appSettings(), logger: logger)
    } catch {
        fail("cannot open the database: \(error)")
    }
}

/// Runs a start-up step; a failure is logged and ends the process with status 1.
func step<T>(_ name: String, _ body: () async throws -> T) async -> T {
    do {
        return try await body()
    } catch {
        logger.error("\(name) failed: \(error)")
        exit(1)
    }
}

/// `copy-database`: the users and items of `from` into the empty database `to`.
func copyDatabase(from: String, to: String) async {
    let source: DatabaseLocation
    let target: DatabaseLocation
    do {
        source = try DatabaseLocation(url: from)
    } catch {
        fail("--from: \(error)")
    }
    do {
        target = try DatabaseLocation(url: to)
    } catch {
        fail("--to: \(error)")
    }
    // Opening a SQLite file creates it: a mistyped path would copy nothing, successfully.
    if case .sqlite(let path) = source, access(path, F_OK) != 0 { fail("--from: there is no SQLite file at \(path)") }
    let copied = await step("copy-database") {
        let sourceDatabase = try await openDatabase(source, logger: logger)
        let targetDatabase = try await openDatabase(target, logger: logger)
        let copied = try await DatabaseCopy.copy(from: sourceDatabase, to: targetDatabase)
        await sourceDatabase.close()
        await targetDatabase.close()
        return copied
    }
    print("Copied \(copied.users) users and \(copied.items) items from \(source) to \(target).")
}

switch command {
case .help, .version, .checkSettings:
    break
case .healthcheck(let host, let portOption):
    exit(Healthcheck.run(host: host ?? serverSettings.host, port: portOption ?? serverSettings.port))
case .migrate:
    let services = await openServices()
    let applied = await step("migrate") { try await Migrator.migrate(services.database) }
    print(applied.isEmpty ? "The database is up to date." : "Applied migrations \(applied).")
case .prestart:
    let services = await openServices()
    await step("prestart") { try await services.prestart() }
case .copyDatabase(let from, let to):
    await copyDatabase(from: from, to: to)
case .openapi:
    // The document depends on the routes only: no database is opened or created.
    let document = await step("openapi") { try BackendApp.openAPIDocument(settings: appSettings(), logger: logger) }
    var writer = JSONWriter()
    writer.write(document)
    print(String(decoding: writer.bytes, as: UTF8.self))
case .serve(let host, let portOption, let reload):
    var configuration = HTTPServer.Configuration()
    configuration.host = host ?? serverSettings.host
    configuration.port = portOption ?? serverSettings.port
    // Set by `serve --reload` for its servers, which take turns on one port.
    configuration.reusePort = settings.optionalString(ReloadSupervisor.reusePortVariable) == "1"
    if reload {
        let serveArguments = CommandLine.arguments.dropFirst().filter { $0 != "--reload" }
        let reloadSettings = ReloadSettings(
            environment: settings.values, host: configuration.host, port: configuration.port,
            serveArguments: serveArguments)
        exit(ReloadSupervisor(settings: reloadSettings, logger: logger).run())
    }
    let services = await openServices()
    await step("prestart") { try await services.prestart() }
    let app = BackendApp.make(services: services, trustedProxies: serverSettings.trustedProxies, logger: logger)
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
