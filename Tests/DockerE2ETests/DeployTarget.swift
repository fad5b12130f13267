// "The server" and "the registry" of a deployment, on this machine's loopback: Debian's
// docker-registry on a free port, and an sshd on another that lets one generated key in, so that
// DOCKER_HOST=ssh://root@127.0.0.1:<port> reaches this machine's Docker engine over SSH as the
// deploy workflow reaches a cloud server's. The ssh client the docker CLI runs is a wrapper (first
// on PATH) that uses this fixture's key and known-hosts file and nothing of the user's ~/.ssh.

import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

final class DeployTarget {
    let registry: String
    let dockerHost: String
    /// PATH for commands that talk to `dockerHost` (its first folder holds the ssh wrapper).
    let path: String
    private let directory: URL
    private let registryProcess: RunningCommand

    /// Why the target cannot be set up here (the packages are missing and cannot be installed), or nil.
    static let unavailableReason: String? = {
        let needed = ["/usr/bin/docker-registry", "/usr/sbin/sshd", "/usr/bin/ssh-keygen"]
        return needed.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
            ? nil : "needs Debian's docker-registry and openssh-server (apt-get install docker-registry openssh-server)"
    }()

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("deploy-target-\(UUID())")
        let folder = directory.path
        try FileManager.default.createDirectory(atPath: folder + "/bin", withIntermediateDirectories: true)
        let registryPort = try freeLoopbackPort()
        let sshPort = try freeLoopbackPort()
        registry = "127.0.0.1:\(registryPort)"
        dockerHost = "ssh://root@127.0.0.1:\(sshPort)"
        path = folder + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")

        try Self.write(
            folder + "/registry.yml",
            """
            version: 0.1
            storage:
              filesystem:
                rootdirectory: \(folder)/registry
            http:
              addr: 127.0.0.1:\(registryPort)
            """)
        registryProcess = try RunningCommand(["docker-registry", "serve", folder + "/registry.yml"])

        for key in ["host_key", "client_key"] {
            try await Shell.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "\(folder)/\(key)"]).checked()
        }
        try FileManager.default.copyItem(atPath: folder + "/client_key.pub", toPath: folder + "/authorized_keys")
        try Self.write(
            folder + "/sshd_config",
            """
            Port \(sshPort)
            ListenAddress 127.0.0.1
            HostKey \(folder)/host_key
            AuthorizedKeysFile \(folder)/authorized_keys
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            PidFile \(folder)/sshd.pid
            """)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        try Self.write(folder + "/sshd.log", "")
        // sshd detaches; its pid file says whom to stop.
        try await Shell.run(["/usr/sbin/sshd", "-f", folder + "/sshd_config", "-E", folder + "/sshd.log"]).checked()
        let hostKey = try String(contentsOfFile: folder + "/host_key.pub", encoding: .utf8)
        try Self.write(folder + "/known_hosts", "[127.0.0.1]:\(sshPort) \(hostKey)")
        try Self.write(
            folder + "/ssh_config",
            """
            Host *
              IdentityFile \(folder)/client_key
              IdentitiesOnly yes
              UserKnownHostsFile \(folder)/known_hosts
              StrictHostKeyChecking yes
              BatchMode yes
            """)
        try Self.write(folder + "/bin/ssh", "#!/bin/sh\nexec /usr/bin/ssh -F \(folder)/ssh_config \"$@\"\n")
        chmod(folder + "/bin/ssh", 0o755)
        try await waitForRegistry()
    }

    private static func write(_ path: String, _ text: String) throws {
        try (text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func waitForRegistry() async throws {
        for _ in 0..<100 {
            let port = registry.split(separator: ":").last!
            if try await Shell.run(["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/\(port)"]).succeeded { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ComposeError(description: "the registry did not answer:\n\(registryProcess.outputSoFar)")
    }

    /// What sshd logged (each accepted login, by key).
    var sshLog: String { (try? String(contentsOfFile: directory.path + "/sshd.log", encoding: .utf8)) ?? "" }

    /// The environment that sends docker commands to "the server".
    var environment: [String: String] { ["DOCKER_HOST": dockerHost, "PATH": path] }

    /// Stops sshd and the registry and removes their files.
    func stop() async {
        if let pid = try? String(contentsOfFile: directory.path + "/sshd.pid", encoding: .utf8),
            let number = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            kill(number, SIGTERM)
        }
        _ = await registryProcess.finish(timeout: .zero)
        try? FileManager.default.removeItem(at: directory)
    }
}
