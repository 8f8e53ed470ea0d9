import AssayCore
import Foundation
import GRDB

// Reading a run page by page and writing what was read into another store: what `assay
// merge` needs to join the stores of a sharded run. Pages are read by key (id or hash), so
// a store of any size is copied in flat memory.

extension Store {
    /// An empty page ends the run.
    public func results(run: String, after id: Int64, limit: Int) async throws(StoreError) -> (
        results: [ItemResult], last: Int64
    ) {
        try await read { db in
            var results: [ItemResult] = []
            var last = id
            let rows = try Row.fetchCursor(
                db, sql: ResultRecord.selectSQL + " WHERE run_id = ? AND results.id > ? ORDER BY results.id LIMIT ?",
                arguments: [run, id, limit])
            while let row = try rows.next() {
                last = row["id"]
                results.append(try ResultRecord.result(row: row))
            }
            return (results, last)
        }
    }

    public func attempts(run: String, after id: Int64, limit: Int) async throws(StoreError) -> (
        attempts: [AttemptRow], last: Int64
    ) {
        try await read { db in
            var cursor = AttemptCursor(
                rows: try Row.fetchCursor(
                    db, sql: "SELECT * FROM attempts WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?",
                    arguments: [run, id, limit]))
            var attempts: [AttemptRow] = []
            while let row = try cursor.next() { attempts.append(row) }
            let last = try Int64.fetchOne(
                db,
                sql: "SELECT MAX(id) FROM (SELECT id FROM attempts WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?)",
                arguments: [run, id, limit])
            return (attempts, last ?? id)
        }
    }

    public func record(attempts: [AttemptRow]) async throws(StoreError) {
        try await write { db in
            for row in attempts {
                let attempt = row.attempt
                try db.cachedStatement(sql: Self.attemptInsertSQL).execute(arguments: [
                    row.runID, row.key.suiteID, row.key.caseID, row.key.model, row.key.epoch, row.number,
                    attempt.endpoint, attempt.baseURL,
                    attempt.status, attempt.errorKind?.rawValue, attempt.latencyMs,
                    attempt.sentAt.timeIntervalSince1970,
                ])
            }
        }
    }
}
