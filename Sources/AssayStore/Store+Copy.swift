import AssayCore
import Foundation
import GRDB

// Reading a run page by page and writing what was read into another store: what `assay
// merge` needs to join the stores of a sharded run. Pages are read by key (id or hash), so
// a store of any size is copied in flat memory.

extension Store {
    /// The run's results after row `id` (0 for the first page), at most `limit`, with the
    /// last row id read (the next page's start); an empty page ends the run.
    public func results(run: String, after id: Int64, limit: Int = 1000) async throws(StoreError) -> (results: [ItemResult], last: Int64) {
        try await read { db in
            var results: [ItemResult] = []
            var last = id
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM results WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?", arguments: [run, id, limit])
            while let row = try rows.next() {
                last = row["id"]
                results.append(try ResultRecord(row: row).result())
            }
            return (results, last)
        }
    }

    /// The run's attempts after row `id`, at most `limit`, with the last row id read.
    public func attempts(run: String, after id: Int64, limit: Int = 5000) async throws(StoreError) -> (attempts: [AttemptRow], last: Int64) {
        try await read { db in
            var cursor = AttemptCursor(rows: try Row.fetchCursor(db, sql: "SELECT * FROM attempts WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?", arguments: [run, id, limit]))
            var attempts: [AttemptRow] = []
            while let row = try cursor.next() { attempts.append(row) }
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM (SELECT id FROM attempts WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?)", arguments: [run, id, limit])
            return (attempts, last ?? id)
        }
    }

    /// Stores attempts as they were (another store's, being merged in).
    public func record(attempts: [AttemptRow]) async throws(StoreError) {
        try await write { db in
            for row in attempts {
                let attempt = row.attempt
                try db.cachedStatement(sql: Self.attemptInsertSQL).execute(arguments: [
                    row.runID, row.key.suiteID, row.key.caseID, row.key.model, row.key.epoch, row.number, attempt.endpoint, attempt.baseURL,
                    attempt.status, attempt.errorKind?.rawValue, attempt.latencyMs, attempt.sentAt.timeIntervalSince1970,
                ])
            }
        }
    }

    /// Copies `other`'s response cache into this one, keeping entries this one has already;
    /// returns how many were copied.
    public func copyCache(from other: Store) async throws(StoreError) -> Int {
        var after = ""
        var copied = 0
        while true {
            let start = after
            let rows = try await other.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM response_cache WHERE request_hash > ? ORDER BY request_hash LIMIT 500", arguments: [start]
                ).map { row -> (hash: String, arguments: StatementArguments) in
                    let hash: String = row["request_hash"]
                    return (hash, [hash, row["endpoint"] as String, row["model"] as String, row["request"] as String, row["completion"] as String, row["created_at"] as Double])
                }
            }
            guard let last = rows.last else { return copied }
            after = last.hash
            copied += try await write { db in
                var added = 0
                for (_, arguments) in rows {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO response_cache (request_hash, endpoint, model, request, completion, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: arguments)
                    added += db.changesCount
                }
                return added
            }
        }
    }
}
