// Checkpoints (copying the WAL into the database file, with its fsyncs) on a connection and a
// thread of their own, started after a commit once the WAL has grown by `frames` since the last
// one, so no write waits for one. A commit that asks for one while one is running is not lost:
// the running one goes again when it is done.
//
// SQLite starts the WAL over only at a commit that finds it wholly checkpointed and no reader on
// it. Under a steady load neither ever holds (commits keep coming, a read is always running), and
// the WAL grew without end: some 75 MB a second under `POST /items/`, till the disk was full. So
// once the WAL is past `limitFrames`, the first background checkpoint asked for past it leaves
// the writer a note, and the writer, right after its next commit, checkpoints the few frames
// committed since and waits for the readers still on the WAL (a RESTART checkpoint): the commit
// after that writes the WAL from its start, over pages the page cache already holds. While the
// note waits for the writer, no checkpoint starts (the frames of a load that stops right then
// stay in the WAL until the next write, close, or the idle truncation). Writes wait meanwhile,
// for the checkpoint and its fsyncs: 25 to 30 ms under load here once each background
// checkpoint has written its pages to the disk (70 to 220 ms before, see `serveRequests`), and
// clients that waited together come back together for a while. Hence a limit that a steady
// 10,000 inserts a second reach only every 13 s. Once writes have stopped for a while, the
// database has the whole WAL checkpointed and its file cut to nothing (`truncateWAL`).

import Storage
import Synchronization
import Workers

final class BackgroundCheckpoints: Sendable {
    private let connection: SQLiteConnection
    /// A single thread, so a checkpoint never overlaps another (nor the connections' closing,
    /// queued after it).
    private let thread: BlockingPool
    private let frames: Int32
    private let limitFrames: Int32
    private let running = Atomic<Bool>(false)
    /// Set by each commit past the threshold; cleared by the checkpoint that serves it.
    private let requested = Atomic<Bool>(false)
    /// The WAL's size at the latest such commit.
    private let requestedFrames = Atomic<Int32>(0)
    /// WAL frames already in the database file after the last checkpoint.
    private let checkpointedFrames = Atomic<Int32>(0)
    /// How many background checkpoints past the limit are still to come before the writer tries
    /// to start the WAL over, and how long it then waits for readers: 1 after a try that
    /// succeeded, twice as many as last time (up to 64) after one that failed (a reader that
    /// takes long, a listing of everything say, makes it fail), with a wait as many times longer.
    private let restartSchedule = Mutex((checkpointsBefore: 1, backoff: 1))
    /// WAL restarts so far (for tests and diagnostics).
    let restarts = Atomic<Int>(0)
    /// Commits so far, which tell when writes have stopped.
    private let commits = Atomic<Int>(0)

    init(connection: SQLiteConnection, thread: BlockingPool, frames: Int32, limitFrames: Int32) {
        self.connection = connection
        self.thread = thread
        self.frames = frames
        self.limitFrames = limitFrames
    }

    /// Called with the writer on its thread after each commit: starts the WAL over when a
    /// checkpoint past the limit asked for it; then, past the threshold of new frames since the
    /// last checkpoint (or with a WAL that restarted), starts a checkpoint unless one is running.
    func afterCommit(_ writer: SQLiteConnection) {
        commits.add(1, ordering: .relaxed)
        let walFrames = writer.walFrames
        if isRestartDue(walFrames) {
            let restarted = writer.checkpointWholeWAL(
                waitingUpTo: .milliseconds(2) * restartSchedule.withLock { $0.backoff })
            if restarted { restarts.add(1, ordering: .relaxed) }
            restartSchedule.withLock { schedule in
                schedule.backoff = restarted ? 1 : min(schedule.backoff * 2, 64)
                schedule.checkpointsBefore = schedule.backoff
            }
            if restarted {
                checkpointedFrames.store(walFrames, ordering: .relaxed)
                return
            }
        }
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

    /// Commits so far: the idle truncation looks for a period without any.
    var commitCount: Int { commits.load(ordering: .relaxed) }

    /// Checkpoints the whole WAL and cuts its file to nothing, for when writes have stopped: a
    /// WAL that a burst made large does not stay so while idle. Run with the writer on its thread,
    /// between two drains of the write queue: writes that come meanwhile wait in the queue, not
    /// on SQLite's busy timeout, and no restart of the writer's can collide with it.
    func truncateWAL(_ writer: SQLiteConnection) -> Bool {
        guard writer.checkpointWholeWAL(truncating: true, waitingUpTo: .milliseconds(10)) else { return false }
        checkpointedFrames.store(0, ordering: .relaxed)
        // A restart that was due is done with.
        restartSchedule.withLock { $0 = (checkpointsBefore: 1, backoff: 1) }
        return true
    }

    /// Checkpoints while asked to, on the checkpointer's thread.
    private func serveRequests() {
        // After giving up `running`, a request that came in meanwhile is served here unless its
        // own commit already started a checkpoint.
        repeat {
            while requested.exchange(false, ordering: .sequentiallyConsistent) {
                // Asked during the previous pass: only if the WAL grew past the threshold since.
                let walFrames = requestedFrames.load(ordering: .relaxed)
                // A checkpoint would only hold the lock the writer's restart needs.
                guard isPastThreshold(walFrames), !isRestartDue(walFrames) else { continue }
                // Fails when another process is checkpointing (or, rarely, when the writer is,
                // restarting the WAL), or on an I/O error; the next commit past the threshold
                // tries again.
                guard let done = try? connection.checkpoint() else { break }
                // SQLite fsyncs the database file only at a checkpoint that completes the WAL,
                // which under a steady load only the writer's restart does: the pages copied until
                // then piled up unwritten (some 50 MB in 13 s), and writes waited for that fsync
                // to write them all. Written here, off the write path, they keep it short: after
                // every checkpoint that copied something, even one that reports the whole WAL done
                // (that is the WAL as it began; SQLite skips its sync when a commit came since).
                if done != checkpointedFrames.load(ordering: .relaxed) { connection.syncDatabaseFile() }
                checkpointedFrames.store(done, ordering: .relaxed)
                if walFrames >= limitFrames {
                    restartSchedule.withLock { $0.checkpointsBefore = max(0, $0.checkpointsBefore - 1) }
                }
            }
            running.store(false, ordering: .sequentiallyConsistent)
        } while requested.load(ordering: .sequentiallyConsistent)
            && !running.exchange(true, ordering: .sequentiallyConsistent)
    }

    /// Whether the writer is to start a WAL of `walFrames` frames over after its next commit.
    private func isRestartDue(_ walFrames: Int32) -> Bool {
        walFrames >= limitFrames && restartSchedule.withLock { $0.checkpointsBefore == 0 }
    }

    /// Whether a WAL of `walFrames` frames has `frames` new ones since the last checkpoint, or restarted.
    private func isPastThreshold(_ walFrames: Int32) -> Bool {
        let done = checkpointedFrames.load(ordering: .relaxed)
        return walFrames >= frames && (walFrames < done || walFrames - done >= frames)
    }
}
