import Foundation
import GRDB
import Synchronization

/// Group commit: results recorded while a write transaction is under way wait for it and go
/// together in the next one. Each caller still returns only once its rows are committed
/// (durable before it counts); under load, many share one commit instead of queueing one
/// commit each. With no load, a write goes at once, alone.
final class WriteBatcher: Sendable {
    struct Statement: Sendable {
        var sql: String
        var arguments: StatementArguments
    }

    private struct Pending {
        var statements: [Statement]
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let state = Mutex<(pending: [Pending], flushing: Bool)>(([], false))
    private let pool: DatabasePool

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Commits `statements` (in one transaction, possibly with other callers').
    func write(_ statements: [Statement]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let startFlushing = state.withLock { state -> Bool in
                state.pending.append(Pending(statements: statements, continuation: continuation))
                guard !state.flushing else { return false }
                state.flushing = true
                return true
            }
            if startFlushing {
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while true {
            let batch = state.withLock { state -> [Pending] in
                let batch = state.pending
                state.pending = []
                if batch.isEmpty { state.flushing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let statements = batch.flatMap(\.statements)
            do {
                try await pool.write { db in
                    for statement in statements {
                        try db.cachedStatement(sql: statement.sql).execute(arguments: statement.arguments)
                    }
                }
                for pending in batch { pending.continuation.resume() }
            } catch {
                for pending in batch { pending.continuation.resume(throwing: error) }
            }
        }
    }
}
