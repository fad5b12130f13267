// The deploy path as the deploy workflow runs it, here: the production image pushed to a
// registry (Debian's docker-registry on loopback), then `scripts/deploy` run with
// DOCKER_HOST=ssh://… (an sshd on loopback in front of this machine's engine), which pulls the
// image from the registry and starts it. The workflow differs only in the registry and the host.

import Foundation
import TestSupport
import Testing

extension DockerE2ETests {
    @Test(.enabled(if: DeployTarget.unavailableReason == nil, "needs docker-registry and openssh-server"))
    func theDeployScriptDeploysFromARegistryThroughSSH() async throws {
        let target = try await DeployTarget()
        let secrets = try temporaryFile(Self.productionSecrets)
        defer { try? FileManager.default.removeItem(at: secrets) }
        let compose = ComposeProject(
            prefix: "e2edeploy", directory: ScratchRepository.original, file: "docker-compose.prod.yml",
            variables: ["BACKEND_IMAGE": Self.productionImage], envFile: secrets)
        let image = "\(target.registry)/backend:deploy-test"
        do {
            try await compose.run(["build"], timeout: .seconds(900)).checked()
            try await Shell.run(["docker", "tag", Self.productionImage, image]).checked()
            let pushStart = ContinuousClock.now
            try await Shell.run(["docker", "push", "-q", image], timeout: .seconds(300)).checked()
            report("push to the loopback registry", ContinuousClock.now - pushStart)
            // Only the registry has it now under that name: the deploy must pull it.
            try await Shell.run(["docker", "rmi", image]).checked()

            var environment = target.environment
            for line in Self.productionSecrets.split(separator: "\n") {
                let pair = line.split(separator: "=", maxSplits: 1).map(String.init)
                environment[pair[0]] = pair[1]
            }
            environment["BACKEND_PORT"] = "0"
            environment["DEPLOY_PULL"] = "always"
            let deployStart = ContinuousClock.now
            let deploy = try await Shell.run(
                ["scripts/deploy", "-f", "docker-compose.prod.yml", "-p", compose.name, image],
                in: ScratchRepository.original, environment: environment, timeout: .seconds(300))
            report("deploy through ssh", ContinuousClock.now - deployStart)
            #expect(deploy.succeeded, "\(deploy.output)")

            let id = try await compose.containerID()
            #expect(try await Docker.inspect(id, format: "{{.Config.Image}}") == image)
            #expect(HTTPProbe.body(port: try await compose.backendPort()) != nil)
            // The image came from the registry, over the server's engine.
            let pulled = try await Shell.run(["docker", "image", "inspect", "--format", "{{.RepoDigests}}", image])
            #expect(try pulled.checked().contains("\(target.registry)/backend@sha256:"))
            #expect(target.sshLog.contains("Accepted publickey for root"), "\(target.sshLog)")
        } catch {
            Issue.record("\(error)\n\(await compose.logs())")
        }
        try await compose.removed {}
        _ = try? await Shell.run(["docker", "rmi", image])
        await target.stop()
    }
}
