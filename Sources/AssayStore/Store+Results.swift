import AssayCore
import Foundation
import GRDB

extension Store {
    /// Stores one result durably, replacing an earlier result for the same work item; with
    /// `entry`, the completion goes into the response cache in the same transaction. Returns
    /// once committed (results recorded at the same moment share a commit).
    public func record(_ result: ItemResult, caching entry: CacheEntry? = nil) async throws(StoreError) {
        var evidence: String?
        if let grade = result.grade { evidence = try encodeJSON(grade.evidence) }
        let arguments = ResultColumns.arguments(result, evidence: evidence)
        var statements = [WriteBatcher.Statement(sql: ResultColumns.insertSQL, arguments: arguments)]
        if let entry { statements.append(WriteBatcher.Statement(sql: Store.cacheInsertSQL, arguments: try cacheArguments(entry))) }
        try await commit(statements)
    }

    /// Stores many results in one transaction: for imports and benchmarks, not for runs
    /// (a run records each result as soon as it is graded).
    public func record(batch results: [ItemResult]) async throws(StoreError) {
        var rows: [StatementArguments] = []
        rows.reserveCapacity(results.count)
        for result in results {
            var evidence: String?
            if let grade = result.grade { evidence = try encodeJSON(grade.evidence) }
            rows.append(ResultColumns.arguments(result, evidence: evidence))
        }
        let batch = rows
        try await write { db in
            let statement = try db.cachedStatement(sql: ResultColumns.insertSQL)
            for arguments in batch { try statement.execute(arguments: arguments) }
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
            let rows = try Row.fetchCursor(
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
    let rows: RowCursor

    public mutating func next() throws -> ItemResult? {
        guard let row = try rows.next() else { return nil }
        return try ResultColumns.result(from: row)
    }
}

/// How an `ItemResult` maps onto the `results` table.
enum ResultColumns {
    static let names = [
        "run_id", "suite_id", "case_id", "model", "epoch", "request_hash", "status", "tags", "expected", "output", "reasoning",
        "finish_reason", "outcome", "score", "extracted", "rule", "evidence", "prompt_tokens", "completion_tokens",
        "reasoning_tokens", "cost", "cost_output_only", "ttft_ms", "first_reasoning_ms", "latency_ms", "error_kind",
        "error_message", "last_error_kind", "fallback_for", "attempts", "served_by", "cached", "recorded_at",
    ]

    static let insertSQL =
        "INSERT OR REPLACE INTO results (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))"

    /// SQLite text stops at NUL when read back: a NUL in a model's text is stored as U+FFFD.
    static func storable(_ text: String?) -> String? {
        guard let text, text.utf8.contains(0) else { return text }
        return text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
    }

    static func arguments(_ r: ItemResult, evidence: String?) -> StatementArguments {
        let values: [(any DatabaseValueConvertible)?] = [
            r.runID, r.suiteID, r.caseID, r.model, r.epoch, r.requestHash, r.status.rawValue, r.tags.joined(separator: "\n"),
            storable(r.expected), storable(r.output),
            storable(r.reasoning), r.finishReason, r.grade?.outcome.rawValue, r.score, storable(r.grade?.extracted), storable(r.grade?.rule), evidence,
            r.usage?.promptTokens, r.usage?.completionTokens, r.usage?.reasoningTokens, r.cost?.amount,
            r.cost?.outputOnly, r.timing?.ttftMs, r.timing?.firstReasoningMs, r.timing?.latencyMs,
            r.errorKind?.rawValue, storable(r.errorMessage), r.lastErrorKind?.rawValue, r.fallbackFor ?? "", r.attempts, r.servedBy, r.cached, r.recordedAt.timeIntervalSince1970,
        ]
        return StatementArguments(values)
    }

    static func result(from row: Row) throws -> ItemResult {
        var grade: Grade?
        if let outcome: String = row["outcome"], let parsed = Grade.Outcome(rawValue: outcome) {
            var evidence: [String: JSONValue] = [:]
            if let json: String = row["evidence"] {
                evidence = try JSONDecoder().decode([String: JSONValue].self, from: Data(json.utf8))
            }
            grade = Grade(outcome: parsed, score: row["score"], extracted: row["extracted"], rule: row["rule"], evidence: evidence)
        }
        var usage: Usage?
        if let prompt: Int = row["prompt_tokens"], let completion: Int = row["completion_tokens"] {
            usage = Usage(promptTokens: prompt, completionTokens: completion, reasoningTokens: row["reasoning_tokens"])
        }
        var cost: Cost?
        if let amount: Double = row["cost"] {
            cost = Cost(amount: amount, outputOnly: row["cost_output_only"] ?? false)
        }
        var timing: Timing?
        if let latency: Double = row["latency_ms"] {
            timing = Timing(ttftMs: row["ttft_ms"], firstReasoningMs: row["first_reasoning_ms"], latencyMs: latency)
        }
        let status: String = row["status"]
        let errorKind: String? = row["error_kind"]
        let lastErrorKind: String? = row["last_error_kind"]
        let fallbackFor: String = row["fallback_for"] ?? ""
        return ItemResult(
            runID: row["run_id"], suiteID: row["suite_id"], caseID: row["case_id"], model: row["model"], epoch: row["epoch"],
            requestHash: row["request_hash"], status: ItemResult.Status(rawValue: status) ?? .error,
            tags: (row["tags"] as String? ?? "").split(separator: "\n").map(String.init), expected: row["expected"],
            output: row["output"],
            reasoning: row["reasoning"], finishReason: row["finish_reason"], grade: grade, usage: usage, cost: cost,
            timing: timing, errorKind: errorKind.flatMap(ErrorKind.init(rawValue:)), errorMessage: row["error_message"],
            lastErrorKind: lastErrorKind.flatMap(ErrorKind.init(rawValue:)), fallbackFor: fallbackFor.isEmpty ? nil : fallbackFor,
            attempts: row["attempts"], servedBy: row["served_by"], cached: row["cached"],
            recordedAt: Date(timeIntervalSince1970: row["recorded_at"]))
    }
}
