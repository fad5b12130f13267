// A steady load on the API through a published port: worker threads that each create an item
// (POST) and read the caller (GET /users/me) in turn, with one bearer token. It remembers every
// item the API acknowledged, and the outcome and timing of every request.

import Foundation
import HTTPServer
import Synchronization

final class APILoad: Sendable {
    struct Outcome: Sendable {
        let method: HTTPMethod
        /// The status, or nil when no response came (connection refused, reset, timed out).
        let status: Int?
        let started: ContinuousClock.Instant
        let ended: ContinuousClock.Instant

        var succeeded: Bool { status.map { (200..<300).contains($0) } ?? false }
    }

    struct Report: Sendable {
        let outcomes: [Outcome]
        /// The ids of the items whose POST got a 200.
        let acknowledged: [String]

        var sent: Int { outcomes.count }
        var failed: [Outcome] { outcomes.filter { !$0.succeeded } }
        var posts: Int { outcomes.count { $0.method == .post } }

        /// "N sent (P POST), F failed: 3 × 503, 1 × no answer"
        var summary: String {
            var kinds: [String: Int] = [:]
            for outcome in failed {
                kinds["\(outcome.method) " + (outcome.status.map { "\($0)" } ?? "no answer"), default: 0] += 1
            }
            let detail = kinds.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", ")
            return "\(sent) sent (\(posts) POST), \(failed.count) failed" + (detail.isEmpty ? "" : ": \(detail)")
        }
    }

    private let state = Mutex((outcomes: [Outcome](), acknowledged: [String]()))
    private let running = Atomic(true)
    private let finished = Atomic(0)
    private let workers: Int

    /// Starts `workers` threads against 127.0.0.1:`port`, each pausing `pause` between requests.
    init(port: Int, token: String, workers: Int = 3, pause: Duration = .milliseconds(10)) {
        self.workers = workers
        let pauseMicros = UInt32(
            pause.components.seconds * 1_000_000 + pause.components.attoseconds / 1_000_000_000_000)
        for worker in 0..<workers {
            Thread { [self] in
                var sequence = 0
                while running.load(ordering: .relaxed) {
                    sequence += 1
                    let title = "load \(worker)-\(sequence)"
                    record(.post, port: port) {
                        HTTPProbe.send(
                            .post, "/api/v1/items/", port: port, body: #"{"title": "\#(title)"}"#,
                            contentType: "application/json", bearer: token)
                    }
                    usleep(pauseMicros)
                    record(.get, port: port) { HTTPProbe.send(.get, "/api/v1/users/me", port: port, bearer: token) }
                    usleep(pauseMicros)
                }
                finished.add(1, ordering: .releasing)
            }.start()
        }
    }

    private func record(_ method: HTTPMethod, port: Int, _ send: () -> (status: Int, body: String)?) {
        let started = ContinuousClock.now
        let answer = send()
        let outcome = Outcome(method: method, status: answer?.status, started: started, ended: .now)
        let id = method == .post && outcome.succeeded ? Self.id(in: answer?.body ?? "") : nil
        state.withLock { state in
            state.outcomes.append(outcome)
            if let id { state.acknowledged.append(id) }
        }
    }

    private static func id(in body: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return object?["id"] as? String
    }

    /// What has been recorded so far (the load keeps running).
    var soFar: Report { state.withLock { Report(outcomes: $0.outcomes, acknowledged: $0.acknowledged) } }

    /// Stops the load once each worker's current request is answered; everything recorded.
    func stop() async -> Report {
        running.store(false, ordering: .relaxed)
        while finished.load(ordering: .acquiring) < workers { try? await Task.sleep(for: .milliseconds(10)) }
        return soFar
    }
}

extension HTTPProbe {
    /// A bearer token for `email` (the login form), or nil.
    /// Signs up a user with a unique e-mail: the e-mail, the password and the answer (nil: none).
    static func signUp(port: Int) -> (email: String, password: String, answer: (status: Int, body: String)?) {
        let email = "e2e-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let password = "e2e-user-password"
        let answer = send(
            .post, "/api/v1/users/signup", port: port,
            body: #"{"email": "\#(email)", "password": "\#(password)", "full_name": "E2E"}"#,
            contentType: "application/json")
        return (email, password, answer)
    }

    static func token(port: Int, email: String, password: String) -> String? {
        let login = send(
            .post, "/api/v1/login/access-token", port: port,
            body: "username=\(email.replacingOccurrences(of: "@", with: "%40"))&password=\(password)",
            contentType: "application/x-www-form-urlencoded")
        guard login?.status == 200 else { return nil }
        let answer = try? JSONSerialization.jsonObject(with: Data((login?.body ?? "").utf8)) as? [String: Any]
        return answer?["access_token"] as? String
    }
}
