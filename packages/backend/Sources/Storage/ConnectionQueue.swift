// Hands a fixed set of connections to async callers one at a time: callers suspend, never block,
// while all connections are in use, and are served in arrival order.

import Synchronization

final class ConnectionQueue<Connection: AnyObject & Sendable>: Sendable {
    private let state: Mutex<ConnectionQueueState>
    private let total: Int

    init(_ connections: [Connection]) {
        total = connections.count
        state = Mutex(ConnectionQueueState(idle: connections.map { $0 as IdleConnection }))
    }

    /// Lends a connection to `body` and takes it back afterwards.
    func withConnection<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        guard let connection = await acquire(evenIfClosed: false) else { throw StorageError.closed }
        defer { release(connection) }
        return try await body(unsafeDowncast(connection, to: Connection.self))
    }

    /// Refuses new borrowers, waits until every connection is back, and returns them all.
    func closeAndDrain() async -> [Connection] {
        let alreadyClosed = state.withLock { state in
            defer { state.isClosed = true }
            return state.isClosed
        }
        if alreadyClosed { return [] }
        var drained: [Connection] = []
        for _ in 0..<total {
            if let connection = await acquire(evenIfClosed: true) {
                drained.append(unsafeDowncast(connection, to: Connection.self))
            }
        }
        return drained
    }

    /// A connection once one is free; nil at once when closed (unless draining).
    private func acquire(evenIfClosed: Bool) async -> IdleConnection? {
        // The common case, a free connection, needs no suspension.
        if let ready = state.withLock({ Self.take(from: &$0, evenIfClosed: evenIfClosed) }) { return ready }
        return await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> IdleConnection?? in
                if let ready = Self.take(from: &state, evenIfClosed: evenIfClosed) { return ready }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// What a borrower gets without waiting: a free connection, or nil when closed; `.none` when
    /// it has to wait for one.
    private static func take(from state: inout ConnectionQueueState, evenIfClosed: Bool) -> IdleConnection?? {
        if state.isClosed && !evenIfClosed { return .some(nil) }
        if let connection = state.idle.popLast() { return .some(connection) }
        return .none
    }

    private func release(_ connection: IdleConnection) {
        let waiter = state.withLock { state -> CheckedContinuation<IdleConnection?, Never>? in
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: connection)
    }
}

/// Connections are held type-erased, and the queue's state is not nested in the generic class:
/// code generic over `Connection?` (and continuations of it), or over a nested type, asks the
/// runtime for that type's metadata on every call.
private typealias IdleConnection = AnyObject & Sendable

private struct ConnectionQueueState {
    var idle: [IdleConnection]
    var waiters: [CheckedContinuation<IdleConnection?, Never>] = []
    var isClosed = false
}
