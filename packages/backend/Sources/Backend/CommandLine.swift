// Parses `backend [command] [options]` into what to run.

enum Command: Equatable {
    case serve(host: String?, port: Int?, reload: Bool)
    case healthcheck(host: String?, port: Int?)
    case migrate
    case prestart
    case openapi
    case checkSettings
    case copyDatabase(from: String, to: String)
    case help
    case version
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
}

extension Command {
    static let usage = """
        USAGE: backend [command] [options]

        COMMANDS:
          serve           Run the HTTP server (the default).
          healthcheck     Ask the local server's health route; exit 0 if it answers 200, else 1.
          migrate         Apply the database migrations.
          prestart        Migrate, then create FIRST_SUPERUSER if it does not exist (idempotent).
          openapi         Print the OpenAPI document.
          check-settings  Check the settings as `serve` does before it opens the database; exit 0
                          if they are usable, else 2 with every problem in one message.
          copy-database --from <url> --to <url>
                          Copy every user and item (ids, password hashes, times) from one
                          database to an empty one, e.g. from sqlite:////data/app.db to
                          postgresql://app:password@db:5432/app; a target with users is refused.

        OPTIONS:
          --host <host>   Address to listen on / to ask (env HOST; default 127.0.0.1).
          --port <port>   Port (env PORT; default 8000).
          --reload        serve: rebuild and restart when a source file changes.
          -h, --help      Show this help.
          --version       Show the version.

        Settings are read from the environment and from a .env file in the working
        directory (the environment wins): the FastAPI template's variables (PROJECT_NAME,
        SECRET_KEY, FIRST_SUPERUSER, FIRST_SUPERUSER_PASSWORD, DATABASE_URL, SMTP_*, ...),
        HOST, PORT, LOG_LEVEL (debug, info, warning, error) and FORWARDED_ALLOW_IPS (the
        proxies whose X-Forwarded-Proto is believed: addresses, networks or *; default
        127.0.0.1). `serve` migrates and creates the first superuser before it listens.
        """

    init(arguments: [String]) throws(UsageError) {
        var args = arguments[...]
        if args.contains("-h") || args.contains("--help") {
            self = .help
            return
        }
        if args.contains("--version") {
            self = .version
            return
        }
        var name = "serve"
        if let first = args.first, !first.hasPrefix("-") {
            name = first
            args = args.dropFirst()
        }
        var host: String?
        var port: Int?
        var reload = false
        var copy: (from: String?, to: String?) = (nil, nil)
        while let arg = args.popFirst() {
            switch arg {
            case "--from" where name == "copy-database", "--to" where name == "copy-database":
                guard let value = args.popFirst() else { throw UsageError(description: "\(arg) needs a database URL") }
                if arg == "--from" { copy.from = value } else { copy.to = value }
            case "--host":
                guard let value = args.popFirst() else { throw UsageError(description: "--host needs a value") }
                host = value
            case "--port":
                guard let value = args.popFirst(), let number = Int(value), (0...65535).contains(number) else {
                    throw UsageError(description: "--port needs a number from 0 to 65535")
                }
                port = number
            case "--reload" where name == "serve":
                reload = true
            default:
                throw UsageError(description: "unknown option '\(arg)' for '\(name)'")
            }
        }
        switch name {
        case "serve": self = .serve(host: host, port: port, reload: reload)
        case "healthcheck": self = .healthcheck(host: host, port: port)
        case "copy-database":
            guard let from = copy.from, let to = copy.to, host == nil, port == nil else {
                throw UsageError(description: "usage: backend copy-database --from <url> --to <url>")
            }
            self = .copyDatabase(from: from, to: to)
        case "migrate", "prestart", "openapi", "check-settings":
            guard host == nil, port == nil else { throw UsageError(description: "'\(name)' takes no options") }
            switch name {
            case "migrate": self = .migrate
            case "prestart": self = .prestart
            case "openapi": self = .openapi
            default: self = .checkSettings
            }
        default: throw UsageError(description: "unknown command '\(name)'")
        }
    }
}
