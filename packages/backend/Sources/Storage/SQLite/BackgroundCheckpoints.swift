// Checkpoints (copying the WAL into the database file, with its fsyncs) on a connection of their
// own, started after a commit once the WAL has grown by `frames` since the last one, so no write
// waits for one.

import Synchronization
import Workers

final class BackgroundCheckpoints: Sendable {
    private let connection: ConnectionQueue<SQLiteConnection>
    private let pool: BlockingPool
    private let frames: Int32
    private let running = Atomic<Bool>(false)
    /// WAL frames already in the database file after the last checkpoint.
    private let checkpointedFrames = Atomic<Int32>(0)

    init(connection: SQLiteConnection, pool: BlockingPool, frames: Int32) {
        self.connection = ConnectionQueue([connection])
        self.pool = pool
        self.frames = frames
    }

    /// Called with the writer after each commit: past the threshold of new frames since the last
    /// checkpoint (or with a WAL that restarted), starts one unless one is running.
    func afterCommit(_ writer: SQLiteConnection) {
        let walFrames = writer.walFrames
        let done = checkpointedFrames.load(ordering: .relaxed)
        guard walFrames >= frames && (walFrames < done || walFrames - done >= frames) else { return }
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Task { [self] in
            defer { running.store(false, ordering: .releasing) }
            // Fails only when closing (the last connection to close checkpoints anyway) or when another
            // process is checkpointing; the next commit past the threshold tries again.
            let done = try? await connection.withConnection { connection in
                try await pool.run { try connection.checkpoint() }
            }
            if let done { checkpointedFrames.store(done, ordering: .relaxed) }
        }
    }

    /// Waits for a running checkpoint; returns the connection to close.
    func closeAndDrain() async -> [SQLiteConnection] { await connection.closeAndDrain() }
}
