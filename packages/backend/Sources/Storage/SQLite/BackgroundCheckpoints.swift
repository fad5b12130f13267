// Checkpoints (copying the WAL into the database file, with its fsyncs) on a connection and a
// thread of their own, started after a commit once the WAL has grown by `frames` since the last
// one, so no write waits for one. A commit that asks for one while one is running is not lost:
// the running one goes again when it is done.

import Synchronization
import Workers

final class BackgroundCheckpoints: Sendable {
    private let connection: SQLiteConnection
    /// A single thread, so a checkpoint never overlaps another (nor the connections' closing,
    /// queued after it).
    private let thread: BlockingPool
    private let frames: Int32
    private let running = Atomic<Bool>(false)
    /// Set by each commit past the threshold; cleared by the checkpoint that serves it.
    private let requested = Atomic<Bool>(false)
    /// The WAL's size at the latest such commit.
    private let requestedFrames = Atomic<Int32>(0)
    /// WAL frames already in the database file after the last checkpoint.
    private let checkpointedFrames = Atomic<Int32>(0)

    init(connection: SQLiteConnection, thread: BlockingPool, frames: Int32) {
        self.connection = connection
        self.thread = thread
        self.frames = frames
    }

    /// Called with the writer after each commit: past the threshold of new frames since the last
    /// checkpoint (or with a WAL that restarted), starts one unless one is running.
    func afterCommit(_ writer: SQLiteConnection) {
        let walFrames = writer.walFrames
        guard isPastThreshold(walFrames) else { return }
        requestedFrames.store(walFrames, ordering: .relaxed)
        // Sequentially consistent, here and in `serveRequests`: each side writes one flag, then
        // reads the other's, and one of them must see the other's write, or a request is lost.
        requested.store(true, ordering: .sequentiallyConsistent)
        guard !running.exchange(true, ordering: .sequentiallyConsistent) else { return }
        do {
            try thread.execute { [self] in serveRequests() }
        } catch {
            // Closing: the last connection to close checkpoints anyway.
            running.store(false, ordering: .sequentiallyConsistent)
        }
    }

    /// Checkpoints while asked to, on the checkpointer's thread.
    private func serveRequests() {
        // After giving up `running`, a request that came in meanwhile is served here unless its
        // own commit already started a checkpoint.
        repeat {
            while requested.exchange(false, ordering: .sequentiallyConsistent) {
                // Asked during the previous pass: only if the WAL grew past the threshold since.
                guard isPastThreshold(requestedFrames.load(ordering: .relaxed)) else { continue }
                // Fails only when another process is checkpointing; the next commit past the
                // threshold tries again.
                guard let done = try? connection.checkpoint() else { break }
                checkpointedFrames.store(done, ordering: .relaxed)
            }
            running.store(false, ordering: .sequentiallyConsistent)
        } while requested.load(ordering: .sequentiallyConsistent)
            && !running.exchange(true, ordering: .sequentiallyConsistent)
    }

    /// Whether a WAL of `walFrames` frames has `frames` new ones since the last checkpoint, or restarted.
    private func isPastThreshold(_ walFrames: Int32) -> Bool {
        let done = checkpointedFrames.load(ordering: .relaxed)
        return walFrames >= frames && (walFrames < done || walFrames - done >= frames)
    }
}
