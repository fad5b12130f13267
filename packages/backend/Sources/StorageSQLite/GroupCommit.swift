// Group commit for the writer connection. Writes that arrive while it is busy queue up; the next
// drain runs all of them in one transaction, each in a savepoint of its own, commits once, and
// only then answers them. A write that throws rolls back to its savepoint and leaves the rest of
// its batch alone. Every write is still acknowledged only after the COMMIT that holds it, so
// durability is unchanged, but a burst of writes pays for one commit's WAL frames and locks
// instead of one per write.

import CSQLite
import Storage
import Synchronization

final class GroupCommit: Sendable {
    /// One queued write: run inside the batch's transaction on the writer's thread, it returns how
    /// to answer its caller once the batch's outcome (nil: committed) is known; or failed unrun.
    private struct Write: Sendable {
        let run: @Sendable (SQLiteConnection) -> @Sendable (_ commitError: (any Error)?) -> Void
        let fail: @Sendable (any Error) -> Void
    }

    private struct Queue {
        var writes: [Write] = []
        var draining = false
        var closed = false
    }

    private let queue = Mutex(Queue())
    private let batchLimit: Int
    /// Queues the given work for the writer's thread, which runs it with the writer connection;
    /// throws when that thread takes no more work (shut down).
    private let onWriter: @Sendable (@escaping @Sendable (SQLiteConnection) -> Void) throws -> Void
    private let afterCommit: @Sendable (SQLiteConnection) -> Void

    init(
        batchLimit: Int,
        onWriter: @escaping @Sendable (@escaping @Sendable (SQLiteConnection) -> Void) throws -> Void,
        afterCommit: @escaping @Sendable (SQLiteConnection) -> Void
    ) {
        self.batchLimit = max(1, batchLimit)
        self.onWriter = onWriter
        self.afterCommit = afterCommit
    }

    /// Runs `body` in the next batch; returns its result once that batch is committed. Fails with
    /// `.closed` once `close()` was called.
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let write = Write(
                run: { connection in
                    let outcome = Result { try Self.inSavepoint(connection, body) }
                    // Its own outcome, unless the batch did not commit: an error may then come from
                    // a sibling's row that never existed.
                    return { batchError in continuation.resume(with: batchError.map { .failure($0) } ?? outcome) }
                },
                fail: { continuation.resume(throwing: $0) })
            let (closed, refusal, stranded) = queue.withLock { queue -> (Bool, (any Error)?, [Write]) in
                if queue.closed { return (true, nil, []) }
                queue.writes.append(write)
                if queue.draining { return (false, nil, []) }
                // Queued for the writer's thread under the lock: every write accepted before
                // `close()` is then in a drain that runs before that thread can be shut down.
                do {
                    try onWriter { [self] connection in
                        while let batch = nextBatch() { commit(batch, on: connection) }
                    }
                    queue.draining = true
                    return (false, nil, [])
                } catch {
                    defer { queue.writes = [] }
                    return (false, error, queue.writes)
                }
            }
            if closed { continuation.resume(throwing: StorageError.closed) }
            if let refusal { for write in stranded { write.fail(refusal) } }
        }
    }

    /// Runs `body` in a savepoint of the open transaction: released when it returns, rolled back
    /// when it throws (unless an engine error already rolled the whole transaction back; should
    /// the savepoint not roll back, the whole transaction goes, not half a write).
    private static func inSavepoint<T>(
        _ connection: SQLiteConnection, _ body: (SQLiteConnection) throws -> T
    ) throws -> T {
        try connection.execute("SAVEPOINT batched_write", [])
        do {
            let value = try body(connection)
            try connection.execute("RELEASE batched_write", [])
            return value
        } catch {
            if connection.isInTransaction {
                do {
                    try connection.execute("ROLLBACK TO batched_write", [])
                    try connection.execute("RELEASE batched_write", [])
                } catch {
                    _ = try? connection.execute("ROLLBACK", [])
                }
            }
            throw error
        }
    }

    /// Writes waiting for a batch, and whether new ones are refused (for tests and diagnostics).
    var state: (queued: Int, closed: Bool) { queue.withLock { ($0.writes.count, $0.closed) } }

    /// Refuses writes from now on; those already queued are committed by the drain they are in
    /// (`SQLiteDatabase.close` then waits for the writer's thread to finish it).
    func close() { queue.withLock { $0.closed = true } }

    /// Up to `batchLimit` queued writes, or nil (and no longer draining) when none is left.
    private func nextBatch() -> ArraySlice<Write>? {
        queue.withLock { queue in
            if queue.writes.isEmpty {
                queue.draining = false
                return nil
            }
            let count = min(queue.writes.count, batchLimit)
            defer { queue.writes.removeFirst(count) }
            return queue.writes[..<count]
        }
    }

    private func commit(_ batch: ArraySlice<Write>, on connection: SQLiteConnection) {
        var answers: [@Sendable ((any Error)?) -> Void] = []
        var open = false
        for (index, write) in zip(batch.indices, batch) {
            if !open {
                do {
                    // A transaction left open by a failed COMMIT and ROLLBACK is not joined silently.
                    if connection.isInTransaction { try connection.execute("ROLLBACK", []) }
                    try connection.execute("BEGIN IMMEDIATE", [])
                    open = true
                } catch {
                    for unrun in batch[index...] { unrun.fail(error) }
                    return
                }
            }
            answers.append(write.run(connection))
            if !connection.isInTransaction {
                // An engine error (disk full, I/O, a conflict clause of ROLLBACK) rolled back the
                // whole transaction: the writes before it in this one are lost too, and the one that
                // caused it keeps its own error. The rest start a new transaction.
                let lost = StorageError.engine(
                    code: SQLITE_ABORT,
                    message: "rolled back with a write that failed later in the same transaction")
                for answer in answers.dropLast() { answer(lost) }
                answers.last?(nil)
                answers.removeAll()
                open = false
            }
        }
        guard open else { return }
        var commitError: (any Error)?
        do {
            try connection.execute("COMMIT", [])
        } catch {
            commitError = error
            _ = try? connection.execute("ROLLBACK", [])
        }
        for answer in answers { answer(commitError) }
        // After the answers: what follows a commit (a checkpoint, say) keeps no caller waiting.
        if commitError == nil { afterCommit(connection) }
    }
}
