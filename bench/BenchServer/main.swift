// The bench-only server: `BenchServer` answers the peers' three endpoints on the HTTPServer
// module alone, so the socket server is compared like for like with nginx, Hummingbird and the
// others; `BenchServer web` puts /json and POST /items/ through the Web layer (WebBench.swift).
// See bench/README.md.

import HTTPServer
import Logging

#if canImport(Glibc)
    import Glibc
#endif

let mode = CommandLine.arguments.dropFirst().first
guard mode == nil || mode == "web" else {
    print("usage: BenchServer [web]   (PORT from the environment, default 8000)")
    exit(2)
}
signal(SIGPIPE, SIG_IGN)
var configuration = HTTPServer.Configuration()
configuration.port = getenv("PORT").flatMap { Int(String(cString: $0)) } ?? 8000
configuration.accessLog = false
let responder: any HTTPResponder = mode == "web" ? WebBenchResponder() : BareResponder()
let server = HTTPServer(configuration: configuration, responder: responder, logger: Logger(level: .warning))
try server.start()
await server.waitUntilStopped()
