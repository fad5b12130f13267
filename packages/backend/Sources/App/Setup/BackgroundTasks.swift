// Work a route starts and does not wait for (FastAPI's BackgroundTasks): it runs after the
// answer, off the event loops. At most `limit` run at once; beyond that new work is dropped and
// logged, so a flood of requests that each start some cannot pile up tasks without bound.

import HTTPServer
import Logging
import Synchronization

public final class BackgroundTasks: Sendable {
    private let limit: Int
    private let running = Atomic<Int>(0)
    private let logger: Logger

    public init(limit: Int = 32, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    /// Starts `work` now; `name` says what was dropped or failed in the log.
    public func run(_ name: String, _ work: @escaping @Sendable () async throws -> Void) {
        guard running.add(1, ordering: .relaxed).newValue <= limit else {
            running.subtract(1, ordering: .relaxed)
            logger.warning("\(name): not started, \(limit) background tasks are running already")
            return
        }
        Task.detached { [self] in
            defer { running.subtract(1, ordering: .relaxed) }
            do {
                try await work()
            } catch {
                logger.error("\(name): \(error)")
            }
        }
    }
}
