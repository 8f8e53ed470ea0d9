import AssayCore
import Foundation
import GRDB

extension Store {
    /// Returns once committed: results recorded at the same moment share a commit.
    public func record(_ result: ItemResult, caching entry: CacheEntry?, attempts: [Attempt]) async throws(StoreError) {
        let record = ResultRecord(result, files: filePieces)
        var statements = record.statements()
        if let entry {
            statements.append(
                WriteBatcher.Statement(
                    sql: Store.cacheInsertSQL, arguments: try cacheArguments(entry, piece: record.piece)))
        }
        statements += Self.attemptStatements(attempts, of: result)
        try await commit(statements)
        if let path = record.pieceFile, let piece = record.piece, !piece.inStore, piece.isJSONClean {
            // Committed: later results name this file's text by its hash alone.
            filePieces.remember(path, hash: piece.hash)
        }
    }

    public func record(batch results: [ItemResult]) async throws(StoreError) {
        var statements: [WriteBatcher.Statement] = []
        statements.reserveCapacity(results.count)
        for result in results { statements += ResultRecord(result).statements() }
        let batch = statements
        try await write { db in
            for statement in batch {
                try db.cachedStatement(sql: statement.sql).execute(arguments: statement.arguments)
            }
        }
    }

    /// One row in memory at a time: how reports read a million results in flat memory.
    public func withResults<T: Sendable>(run: String, _ body: @escaping @Sendable (inout ResultCursor) throws -> T)
        async throws(StoreError) -> T
    {
        try await read { db in
            let rows = try Row.fetchCursor(
                db, sql: ResultRecord.selectSQL + " WHERE run_id = ? ORDER BY model, suite_id, case_id, epoch",
                arguments: [run])
            var cursor = ResultCursor(rows: rows)
            return try body(&cursor)
        }
    }

    public func completedKeys(run: String) async throws(StoreError) -> Set<WorkKey> {
        try await read { db in
            var keys = Set<WorkKey>()
            let rows = try Row.fetchCursor(
                db,
                sql:
                    "SELECT suite_id, case_id, model, epoch FROM results WHERE run_id = ? AND fallback_for = '' AND status != 'error'",
                arguments: [run])
            while let row = try rows.next() {
                keys.insert(
                    WorkKey(suiteID: row["suite_id"], caseID: row["case_id"], model: row["model"], epoch: row["epoch"]))
            }
            return keys
        }
    }

    public func spend(run: String) async throws(StoreError) -> Double {
        try await read { db in
            try Double.fetchOne(
                db, sql: "SELECT COALESCE(SUM(cost), 0) FROM results WHERE run_id = ?", arguments: [run]) ?? 0
        }
    }

    public func resultCount(run: String) async throws(StoreError) -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM results WHERE run_id = ?", arguments: [run]) ?? 0
        }
    }
}
