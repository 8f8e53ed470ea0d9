import AssayCore
import Foundation
import GRDB

extension Store {
    /// Stores one result durably, replacing an earlier result for the same work item; with
    /// `entry`, the completion goes into the response cache, and `attempts` (every request
    /// its item sent) into the attempts table, in the same transaction. Returns once committed
    /// (results recorded at the same moment share a commit).
    public func record(_ result: ItemResult, caching entry: CacheEntry? = nil, attempts: [Attempt] = []) async throws(StoreError) {
        var statements = [try statement(for: result)]
        if let entry { statements.append(WriteBatcher.Statement(sql: Store.cacheInsertSQL, arguments: try cacheArguments(entry))) }
        statements += Self.attemptStatements(attempts, of: result)
        try await commit(statements)
    }

    /// Stores many results in one transaction: for imports and benchmarks, not for runs
    /// (a run records each result as soon as it is graded).
    public func record(batch results: [ItemResult]) async throws(StoreError) {
        var statements: [WriteBatcher.Statement] = []
        statements.reserveCapacity(results.count)
        for result in results { statements.append(try statement(for: result)) }
        let batch = statements
        try await write { db in
            for statement in batch { try db.cachedStatement(sql: statement.sql).execute(arguments: statement.arguments) }
        }
    }

    private func statement(for result: ItemResult) throws(StoreError) -> WriteBatcher.Statement {
        do {
            return try ResultRecord(result).replacingStatement()
        } catch {
            throw StoreError(path: path, error)
        }
    }

    /// The results of a run in a stable order (suite, model, case, epoch). Reads them all into
    /// memory: for whole runs of any size, use `withResults`.
    public func results(run: String) async throws(StoreError) -> [ItemResult] {
        try await withResults(run: run) { cursor in
            var results: [ItemResult] = []
            while let result = try cursor.next() { results.append(result) }
            return results.sorted { ($0.suiteID, $0.model, $0.caseID, $0.epoch) < ($1.suiteID, $1.model, $1.caseID, $1.epoch) }
        }
    }

    /// Runs `body` over a cursor on the run's results, ordered by model, suite, case and
    /// epoch, one row in memory at a time: how reports read a million results in flat memory.
    public func withResults<T: Sendable>(run: String, _ body: @escaping @Sendable (inout ResultCursor) throws -> T) async throws(StoreError) -> T {
        try await read { db in
            let rows = try ResultRecord.fetchCursor(
                db, sql: "SELECT * FROM results WHERE run_id = ? ORDER BY model, suite_id, case_id, epoch", arguments: [run])
            var cursor = ResultCursor(rows: rows)
            return try body(&cursor)
        }
    }

    /// The work items of a run that are done: answered and graded, unsupported, or answered
    /// by a fallback. Failed items are not done: a resumed run asks them again.
    public func completedKeys(run: String) async throws(StoreError) -> Set<WorkKey> {
        try await read { db in
            var keys = Set<WorkKey>()
            let rows = try Row.fetchCursor(
                db, sql: "SELECT suite_id, case_id, model, epoch FROM results WHERE run_id = ? AND fallback_for = '' AND status != 'error'",
                arguments: [run])
            while let row = try rows.next() {
                keys.insert(WorkKey(suiteID: row["suite_id"], caseID: row["case_id"], model: row["model"], epoch: row["epoch"]))
            }
            return keys
        }
    }

    /// What a run has spent so far.
    public func spend(run: String) async throws(StoreError) -> Double {
        try await read { db in
            try Double.fetchOne(db, sql: "SELECT COALESCE(SUM(cost), 0) FROM results WHERE run_id = ?", arguments: [run]) ?? 0
        }
    }

    /// How many results a run has.
    public func resultCount(run: String) async throws(StoreError) -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM results WHERE run_id = ?", arguments: [run]) ?? 0
        }
    }
}

/// Results read one at a time from the store.
public struct ResultCursor {
    let rows: RecordCursor<ResultRecord>

    public mutating func next() throws -> ItemResult? {
        try rows.next()?.result()
    }
}
