import AssayCore
import Foundation
import GRDB

// Every attempt a run's requests made (`attempts` table): what an SLA counts before retries
// hide it. Written with the item's result, in the same transaction.

extension Store {
    static let attemptInsertSQL = """
        INSERT INTO attempts (run_id, suite_id, case_id, model, epoch, number, endpoint, base_url, status, error_kind, latency_ms, sent_at) \
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static func attemptStatements(_ attempts: [Attempt], of result: ItemResult) -> [WriteBatcher.Statement] {
        attempts.enumerated().map { index, attempt in
            WriteBatcher.Statement(
                sql: attemptInsertSQL,
                arguments: [
                    result.runID, result.suiteID, result.caseID, result.model, result.epoch, index + 1,
                    attempt.endpoint, attempt.baseURL,
                    attempt.status, attempt.errorKind?.rawValue, attempt.latencyMs,
                    attempt.sentAt.timeIntervalSince1970,
                ])
        }
    }

    /// One row in memory at a time.
    public func withAttempts<T: Sendable>(run: String, _ body: @escaping @Sendable (inout AttemptCursor) throws -> T)
        async throws(StoreError) -> T
    {
        try await read { db in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT * FROM attempts WHERE run_id = ? ORDER BY sent_at, id", arguments: [run])
            var cursor = AttemptCursor(rows: rows)
            return try body(&cursor)
        }
    }

    public func attemptCount(run: String) async throws(StoreError) -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempts WHERE run_id = ?", arguments: [run]) ?? 0
        }
    }
}
