// From one box to the cluster, as docs/DEPLOYMENT.md ("From one box to the cluster") walks it:
// the single box (docker-compose.prod.yml, SQLite) serves a user who signs up and creates items;
// then the documented steps, with real containers: stop the box, tar its volume, start only the
// cluster's PostgreSQL, `copy-database` from the box's volume mounted read-only, bring the cluster
// up. Through Caddy the same user logs in with the same password and sees the same items (same
// ids); the superuser the box created is the cluster's (prestart changed nothing). Rolling back,
// the box serves the same data again. One replica: the move, not the cluster, is under test.

import Foundation
import TestSupport
import Testing

extension DockerE2ETests {
    @Test func singleBoxDataMovesToTheClusterAndBack() async throws {
        let secrets = try temporaryFile(Self.productionSecrets)
        let backup = FileManager.default.temporaryDirectory.appendingPathComponent(
            "e2e-grow-\(UUID().uuidString).tar.gz")
        defer {
            try? FileManager.default.removeItem(at: secrets)
            try? FileManager.default.removeItem(at: backup)
        }
        let box = ComposeProject(
            prefix: "e2egrowbox", directory: ScratchRepository.original, file: "docker-compose.prod.yml",
            variables: ["BACKEND_IMAGE": Self.productionImage], envFile: secrets)
        let cluster = ComposeProject(
            prefix: "e2egrowcluster", directory: ScratchRepository.original, file: "docker-compose.cluster.yml",
            variables: Self.clusterVariables(image: Self.productionImage, replicas: 1))
        // What the one-off containers of the documented steps take from the .env.
        let shell = cluster.variables
        try await box.removed {
            try await cluster.removed {
                try await cluster.run(["build"], timeout: .seconds(900)).checked()
                let start = ContinuousClock.now
                try await box.run(["up", "-d", "--wait", "--wait-timeout", "60"]).checked()
                let boxPort = try await box.backendPort()

                let (email, password, signup) = HTTPProbe.signUp(port: boxPort)
                guard await expect(signup?.status == 200, "sign-up: \(String(describing: signup))", logsOf: box),
                    let token = HTTPProbe.token(port: boxPort, email: email, password: password)
                else { return }
                for title in ["first", "second", "third"] {
                    let created = HTTPProbe.send(
                        .post, "/api/v1/items/", port: boxPort, body: #"{"title": "\#(title)"}"#,
                        contentType: "application/json", bearer: token)
                    #expect(created?.status == 200, "item \(title): \(String(describing: created))")
                }
                let view = Account.view(port: boxPort, token: token)
                guard await expect(view?.items.count == 3, "on the box: \(String(describing: view))", logsOf: box),
                    let before = view
                else { return }

                // 1. Stop the box.  2. Back up its volume.
                let moveStart = ContinuousClock.now
                try await box.run(["stop"]).checked()
                try await Shell.run(
                    [
                        "sh", "-c",
                        "docker run --rm -v \(box.name)_data:/data:ro --entrypoint tar \"$BACKEND_IMAGE\" -cz -C /data . > \(backup.path)",
                    ], environment: shell
                ).checked()
                let archived = try await Shell.run(["tar", "-tzf", backup.path]).checked()
                #expect(archived.contains("./app.db\n"), "the backup holds: \(archived)")

                // 3. The cluster's PostgreSQL only.  4. Copy.  5. The rest of the cluster.
                try await cluster.run(["up", "-d", "--wait", "postgres"]).checked()
                let copy = try await Shell.run(
                    [
                        "sh", "-c",
                        """
                        docker run --rm --network \(cluster.name)_default -v \(box.name)_data:/data:ro "$BACKEND_IMAGE" \
                            copy-database --from sqlite:////data/app.db \
                            --to "postgresql://${POSTGRES_USER:-postgres}:$POSTGRES_PASSWORD@postgres:5432/${POSTGRES_DB:-app}"
                        """,
                    ], environment: shell)
                print("docker-e2e: copy-database: \(copy.output.trimmed)")
                #expect(
                    copy.succeeded && copy.output.contains("Copied 2 users and 3 items from sqlite:////data/app.db"))
                try await cluster.run(["up", "-d", "--wait", "--wait-timeout", "120"]).checked()
                report("box stopped to the cluster up (backup and copy included)", ContinuousClock.now - moveStart)
                #expect(
                    try await cluster.run(["logs", "prestart"]).checked().contains("Created the first superuser")
                        == false)

                // 6. Through Caddy: the same user, password, items and ids; the box's superuser.
                let caddy = try await Cluster(cluster).port
                let served = await HTTPProbe.wait(port: caddy, timeout: .seconds(30)) { $0 != nil }
                guard await expect(served != nil, "Caddy never answered", logsOf: cluster) else { return }
                let moved = HTTPProbe.token(port: caddy, email: email, password: password).flatMap {
                    Account.view(port: caddy, token: $0)
                }
                await expect(
                    moved == before, "on the cluster: \(String(describing: moved)), on the box: \(before)",
                    logsOf: cluster)
                let superuser = HTTPProbe.token(
                    port: caddy, email: Self.clusterSettings["FIRST_SUPERUSER"]!,
                    password: Self.clusterSettings["FIRST_SUPERUSER_PASSWORD"]!)
                #expect(superuser != nil, "the box's superuser cannot log in through Caddy")

                // Roll back: the cluster stopped, the box up again on its untouched volume.
                try await cluster.run(["stop"]).checked()
                try await box.run(["up", "-d", "--wait", "--wait-timeout", "60"]).checked()
                let boxAgain = try await box.backendPort()
                let back = HTTPProbe.token(port: boxAgain, email: email, password: password).flatMap {
                    Account.view(port: boxAgain, token: $0)
                }
                await expect(back == before, "after the roll back: \(String(describing: back))", logsOf: box)
                report("box up, data written, moved, rolled back", ContinuousClock.now - start)
            }
        }
    }
}

/// A user's view of the API: their id and their items (id → title).
private struct Account: Equatable, CustomStringConvertible {
    let userID: String
    let items: [String: String]

    var description: String { "user \(userID), items \(items)" }

    /// `/users/me`'s id and `/items/`'s items, or nil unless both answer 200.
    static func view(port: Int, token: String) -> Account? {
        guard let me = HTTPProbe.send(.get, "/api/v1/users/me", port: port, bearer: token), me.status == 200,
            let userID = json(me.body)?["id"] as? String,
            let list = HTTPProbe.send(.get, "/api/v1/items/", port: port, bearer: token), list.status == 200,
            let data = json(list.body)?["data"] as? [[String: Any]]
        else { return nil }
        var items: [String: String] = [:]
        for item in data {
            guard let id = item["id"] as? String, let title = item["title"] as? String else { return nil }
            items[id] = title
        }
        return Account(userID: userID, items: items)
    }

    /// The JSON object `text` holds, chunked or not: Caddy re-frames a longer response with
    /// chunked transfer coding, which BlockingHTTPClient returns as it came.
    private static func json(_ text: String) -> [String: Any]? {
        var body = text
        if !text.hasPrefix("{") {
            body = ""
            var rest = Substring(text)
            while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16),
                size > 0
            {
                let chunk = rest[lineEnd.upperBound...].utf8.prefix(size)
                body += String(decoding: chunk, as: UTF8.self)
                rest = Substring(rest[lineEnd.upperBound...].utf8.dropFirst(size + 2))
            }
        }
        return try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    }
}
