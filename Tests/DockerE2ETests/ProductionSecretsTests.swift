// docker-compose.prod.yml started the plain way, from a checkout (the development .env beside it):
// without its secrets compose stops before it creates anything, naming them; with unsafe ones
// `up` fails before the backend starts, and the check-settings service's log names each.

import Foundation
import Testing

extension DockerE2ETests {
    @Test func productionFromACheckoutWithoutSecretsCreatesNothingAndNamesThem() async throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        #expect(FileManager.default.fileExists(atPath: repository.root.appendingPathComponent(".env").path))
        // Empty counts as unset for compose's `${VAR:?}`, whatever the test runner's environment has.
        let compose = ComposeProject(
            prefix: "e2eprodnosecrets", directory: repository.root, file: "docker-compose.prod.yml",
            variables: ["SECRET_KEY": "", "FIRST_SUPERUSER_PASSWORD": ""])
        try await compose.removed {
            let result = try await compose.run(["up", "-d"])
            #expect(!result.succeeded)
            let message = result.output.split(separator: "\n").first { $0.contains("required variable") } ?? ""
            #expect(message.contains("SECRET_KEY") && message.contains("FIRST_SUPERUSER_PASSWORD"), "\(result.output)")
            #expect(try await Docker.objects(.containers, of: compose.name).isEmpty)
            #expect(try await Docker.objects(.networks, of: compose.name).isEmpty)
        }
    }

    @Test func productionWithUnsafeSecretsFailsBeforeTheBackendStartsNamingEach() async throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        let compose = ComposeProject(
            prefix: "e2eprodunsafe", directory: repository.root, file: "docker-compose.prod.yml",
            variables: [
                "BACKEND_IMAGE": Self.productionImage, "SECRET_KEY": "changethis",
                "FIRST_SUPERUSER_PASSWORD": "changethis",
            ])
        try await compose.removed {
            try await compose.run(["build"], timeout: .seconds(900)).checked()
            let result = try await compose.run(["up", "-d"])
            #expect(!result.succeeded)
            #expect(
                result.output.contains("service \"check-settings\" didn't complete successfully"), "\(result.output)")
            let backend = try await compose.run(["ps", "--all", "--quiet", "backend"]).checked().trimmed
            #expect(try await Docker.inspect(backend, format: "{{.State.Status}}") == "created", "it was started")
            let log = try await compose.run(["logs", "--no-color", "check-settings"]).checked()
            let line = log.split(separator: "\n").first { $0.contains("error:") } ?? ""
            for variable in ["SECRET_KEY", "FIRST_SUPERUSER_PASSWORD"] {
                #expect(line.contains("\(variable): the value \"changethis\" is not safe"), "\(log)")
            }
        }
    }
}
