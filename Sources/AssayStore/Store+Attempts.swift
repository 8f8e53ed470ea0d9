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
                    result.runID, result.suiteID, result.caseID, result.model, result.epoch, index + 1, attempt.endpoint, attempt.baseURL,
                    attempt.status, attempt.errorKind?.rawValue, attempt.latencyMs, attempt.sentAt.timeIntervalSince1970,
                ])
        }
    }

    /// Runs `body` over the run's attempts in the order they were sent, one row in memory at
    /// a time. A row with an error kind this version does not know is an error naming it.
    public func withAttempts<T: Sendable>(run: String, _ body: @escaping @Sendable (inout AttemptCursor) throws -> T) async throws(StoreError) -> T {
        try await read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM attempts WHERE run_id = ? ORDER BY sent_at, id", arguments: [run])
            var cursor = AttemptCursor(rows: rows)
            return try body(&cursor)
        }
    }

    /// How many attempts a run's requests made.
    public func attemptCount(run: String) async throws(StoreError) -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempts WHERE run_id = ?", arguments: [run]) ?? 0
        }
    }
}

/// Attempts read one at a time from the store.
public struct AttemptCursor {
    let rows: RowCursor

    public mutating func next() throws -> AttemptRow? {
        guard let row = try rows.next() else { return nil }
        let kindText: String? = row["error_kind"]
        let kind = try kindText.map { text in
            guard let kind = ErrorKind(rawValue: text) else {
                throw ResultRecord.UnknownValue(column: "error_kind", value: text, row: "attempt \(row["id"] as Int64? ?? 0)")
            }
            return kind
        }
        let key = WorkKey(suiteID: row["suite_id"], caseID: row["case_id"], model: row["model"], epoch: row["epoch"])
        let attempt = Attempt(
            endpoint: row["endpoint"], baseURL: row["base_url"], status: row["status"], errorKind: kind, latencyMs: row["latency_ms"],
            sentAt: Date(timeIntervalSince1970: row["sent_at"]))
        return AttemptRow(runID: row["run_id"], key: key, number: row["number"], attempt: attempt)
    }
}
