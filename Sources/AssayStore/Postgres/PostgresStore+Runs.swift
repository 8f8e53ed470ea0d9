import AssayCore
import Foundation
import GRDB
import PostgresNIO

// The RunStore protocol on PostgreSQL: runs, results, attempts and the response cache, with
// the same meaning as the SQLite store's (StoreContractTests holds both to it).

extension PostgresStore {
    public func createRun(_ manifest: RunManifest) async throws(StoreError) {
        try await perform { connection, logger in try await Self.insertRun(manifest, on: connection, logger: logger) }
    }

    static func insertRun(_ manifest: RunManifest, on connection: PostgresConnection, logger: Logger) async throws {
        let json = try StoreJSON.encode(manifest)
        _ = try await rows(
            """
            INSERT INTO runs (id, plan, status, started_at, ended_at, assay_version, git_commit, manifest)
            VALUES (\(manifest.id), \(manifest.plan), \(manifest.status.rawValue), \(manifest.startedAt.timeIntervalSince1970),
                    \(manifest.endedAt?.timeIntervalSince1970), \(manifest.assayVersion), \(manifest.gitCommit), \(json))
            """, on: connection, logger: logger)
    }

    /// The manifest is read and written under its row's lock: workers finishing together each
    /// add their traffic, none overwrites another's.
    public func finishRun(
        _ id: String, status: RunManifest.Status, endedAt: Date, traffic: [EndpointTraffic], worker: WorkerEnd?,
        load: LoadReport?
    ) async throws(StoreError) {
        try await perform { connection, logger in
            let rows = try await Self.rows(
                "SELECT manifest FROM runs WHERE id = \(id) FOR UPDATE", on: connection, logger: logger)
            guard let json: String = rows.first?["manifest"] else { return }
            let manifest = self.finished(
                try StoreJSON.decode(RunManifest.self, json), status: status, endedAt: endedAt, traffic: traffic,
                worker: worker, load: load)
            let updated = try StoreJSON.encode(manifest)
            _ = try await Self.rows(
                """
                UPDATE runs SET status = \(status.rawValue), ended_at = \(manifest.endedAt?.timeIntervalSince1970), manifest = \(updated)
                WHERE id = \(id)
                """, on: connection, logger: logger)
        }
    }

    public func run(_ id: String) async throws(StoreError) -> RunManifest? {
        guard
            let json: String = try await rows("SELECT manifest FROM runs WHERE id = \(id)").first?["manifest"]
        else { return nil }
        return try decodeManifest(json)
    }

    public func runs() async throws(StoreError) -> [RunManifest] {
        var manifests: [RunManifest] = []
        for row in try await rows("SELECT manifest FROM runs ORDER BY started_at DESC, id COLLATE \"C\" DESC") {
            manifests.append(try decodeManifest(row["manifest"]))
        }
        return manifests
    }

    private func decodeManifest(_ json: String) throws(StoreError) -> RunManifest {
        do { return try StoreJSON.decode(RunManifest.self, json) } catch {
            throw StoreError(location: location, message: "a stored manifest does not read: \(error)")
        }
    }

    // MARK: Results

    /// One statement (data-modifying CTEs, atomic without a transaction of its own): the
    /// result, its cache entry, its attempts and, for a model's own item, the work row set
    /// done. One round trip a result: five as separate statements held a shared run to a
    /// third of SQLite's rate.
    public func record(_ result: ItemResult, caching entry: CacheEntry?, attempts: [Attempt]) async throws(StoreError) {
        let record = ResultRecord(result)
        var statement = StatementBuilder(capacity: 48 + 7 * attempts.count)
        var parts = ["result AS (" + Self.upsertResults([record.values], into: &statement) + " RETURNING 1)"]
        if let piece = record.piece {
            let row = statement.row([piece.hash.databaseValue, piece.text.databaseValue])
            parts.append(
                "piece AS (INSERT INTO prompts (hash, text) VALUES \(row) ON CONFLICT (hash) DO NOTHING RETURNING 1)")
        }
        if let entry {
            let row = statement.row([
                entry.hash.databaseValue, entry.endpoint.databaseValue, entry.model.databaseValue,
                (record.piece?.storedBody(entry.requestBody) ?? entry.requestBody).databaseValue,
                try storeJSON(entry.completion).databaseValue, Date().timeIntervalSince1970.databaseValue,
            ])
            parts.append(
                "cached AS (INSERT INTO response_cache (request_hash, endpoint, model, request, completion, created_at) VALUES \(row) "
                    + "ON CONFLICT (request_hash) DO UPDATE SET endpoint = EXCLUDED.endpoint, model = EXCLUDED.model, request = EXCLUDED.request, "
                    + "completion = EXCLUDED.completion, created_at = EXCLUDED.created_at RETURNING 1)")
        }
        // The item's key, bound once for its attempts and its work row.
        let run = statement.bind(result.runID.databaseValue)
        let suite = statement.bind(result.suiteID.databaseValue)
        let item = statement.bind(result.caseID.databaseValue)
        let model = statement.bind(result.model.databaseValue)
        let epoch = statement.bind(result.epoch.databaseValue)
        if !attempts.isEmpty {
            let rows = attempts.enumerated().map { index, attempt in
                let own = [
                    (index + 1).databaseValue, attempt.endpoint.databaseValue, attempt.baseURL.databaseValue,
                    attempt.status.databaseValue, attempt.errorKind?.rawValue.databaseValue ?? .null,
                    attempt.latencyMs.databaseValue, attempt.sentAt.timeIntervalSince1970.databaseValue,
                ].map { statement.bind($0) }
                return "(" + ([run, suite, item, model, epoch] + own).joined(separator: ", ") + ")"
            }
            parts.append(
                "sent AS (INSERT INTO attempts (run_id, suite_id, case_id, model, epoch, number, endpoint, base_url, status, error_kind, latency_ms, sent_at) VALUES "
                    + rows.joined(separator: ", ") + " RETURNING 1)")
        }
        let last =
            result.fallbackFor == nil
            // The item is done: no worker claims it again, whatever its lease.
            ? "UPDATE work SET state = 'done', worker = NULL, lease_until = NULL "
                + "WHERE run_id = \(run) AND suite_id = \(suite) AND case_id = \(item) AND model = \(model) AND epoch = \(epoch)"
            : "SELECT 1"
        _ = try await rows(statement.query("WITH " + parts.joined(separator: ", ") + " " + last))
    }

    /// Many rows a statement (pages copied, shards merged): one round trip per
    /// `rowsPerStatement` results, in one transaction.
    public func record(batch results: [ItemResult]) async throws(StoreError) {
        // One statement may not change a row twice: of the same item, the last result stands.
        var latest: [String: Int] = [:]
        for (index, result) in results.enumerated() {
            latest[
                "\(result.runID)\u{0}\(result.suiteID)\u{0}\(result.caseID)\u{0}\(result.model)\u{0}\(result.epoch)\u{0}\(result.fallbackFor ?? "")"
            ] = index
        }
        let records = latest.values.sorted().map { ResultRecord(results[$0]) }
        let rows = records.map(\.values)
        var pieces: [String: String] = [:]
        for record in records { if let piece = record.piece { pieces[piece.hash] = piece.text } }
        let distinct = pieces.sorted { $0.key < $1.key }
        try await perform { connection, logger in
            for start in stride(from: 0, to: distinct.count, by: Self.rowsPerStatement) {
                var statement = StatementBuilder()
                let insert = statement.insert(
                    into: "prompts", columns: ["hash", "text"],
                    rows: distinct[start..<min(start + Self.rowsPerStatement, distinct.count)].map {
                        [$0.key.databaseValue, $0.value.databaseValue]
                    })
                _ = try await Self.rows(
                    statement.query(insert + " ON CONFLICT (hash) DO NOTHING"), on: connection, logger: logger)
            }
            for start in stride(from: 0, to: rows.count, by: Self.rowsPerStatement) {
                var statement = StatementBuilder()
                let upsert = Self.upsertResults(
                    rows[start..<min(start + Self.rowsPerStatement, rows.count)], into: &statement)
                _ = try await Self.rows(statement.query(upsert), on: connection, logger: logger)
            }
        }
    }

    /// Rows a multi-row statement carries (PostgreSQL binds at most 65,535 values a statement).
    static let rowsPerStatement = 500

    public func record(attempts: [AttemptRow]) async throws(StoreError) {
        try await perform { connection, logger in
            try await Self.insert(attempts: attempts, on: connection, logger: logger)
        }
    }

    static func insert(attempts: [AttemptRow], on connection: PostgresConnection, logger: Logger) async throws {
        let columns = [
            "run_id", "suite_id", "case_id", "model", "epoch", "number", "endpoint", "base_url", "status", "error_kind",
            "latency_ms", "sent_at",
        ]
        for start in stride(from: 0, to: attempts.count, by: rowsPerStatement) {
            var statement = StatementBuilder(capacity: rowsPerStatement * columns.count)
            let insert = statement.insert(
                into: "attempts", columns: columns,
                rows: attempts[start..<min(start + rowsPerStatement, attempts.count)].lazy.map { row in
                    let attempt = row.attempt
                    let errorKind: DatabaseValue = attempt.errorKind?.rawValue.databaseValue ?? .null
                    return [
                        row.runID.databaseValue, row.key.suiteID.databaseValue, row.key.caseID.databaseValue,
                        row.key.model.databaseValue, row.key.epoch.databaseValue, row.number.databaseValue,
                        attempt.endpoint.databaseValue, attempt.baseURL.databaseValue, attempt.status.databaseValue,
                        errorKind, attempt.latencyMs.databaseValue, attempt.sentAt.timeIntervalSince1970.databaseValue,
                    ]
                })
            _ = try await rows(statement.query(insert), on: connection, logger: logger)
        }
    }

    /// The upsert of results (rows of `ResultRecord.values`): inserted, or the same item's row replaced.
    static func upsertResults(_ rows: some Sequence<[DatabaseValue]>, into statement: inout StatementBuilder) -> String
    {
        let columns = ResultRecord.CodingKeys.allCases.map(\.rawValue)
        let key: Set = ["run_id", "suite_id", "case_id", "model", "epoch", "fallback_for"]
        return statement.insert(into: "results", columns: columns, rows: rows)
            + " ON CONFLICT (run_id, suite_id, case_id, model, epoch, fallback_for) DO UPDATE SET "
            + columns.filter { !key.contains($0) }.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
    }

    public func completedKeys(run: String) async throws(StoreError) -> Set<WorkKey> {
        let rows = try await rows(
            "SELECT suite_id, case_id, model, epoch FROM results WHERE run_id = \(run) AND fallback_for = '' AND status != 'error'"
        )
        return Set(
            rows.map { WorkKey(suiteID: $0["suite_id"], caseID: $0["case_id"], model: $0["model"], epoch: $0["epoch"]) }
        )
    }

    public func spend(run: String) async throws(StoreError) -> Double {
        try await rows("SELECT COALESCE(SUM(cost), 0) AS spent FROM results WHERE run_id = \(run)").first?["spent"] ?? 0
    }

    public func resultCount(run: String) async throws(StoreError) -> Int {
        try await rows("SELECT COUNT(*) AS n FROM results WHERE run_id = \(run)").first?["n"] ?? 0
    }

    public func attemptCount(run: String) async throws(StoreError) -> Int {
        try await rows("SELECT COUNT(*) AS n FROM attempts WHERE run_id = \(run)").first?["n"] ?? 0
    }

    /// Ordered byte-wise (`COLLATE "C"`), as SQLite orders text, so that reports agree.
    /// Streamed (`RowPipe`): a report of a run of any size reads it in flat memory.
    public func withResults<T: Sendable>(run: String, _ body: @escaping @Sendable (inout ResultCursor) throws -> T)
        async throws(StoreError) -> T
    {
        let query: PostgresQuery = """
            SELECT results.*, prompts.text AS piece_text FROM results LEFT JOIN prompts ON prompts.hash = results.prompt_piece
            WHERE run_id = \(run) ORDER BY model COLLATE "C", suite_id COLLATE "C", case_id COLLATE "C", epoch
            """
        return try await streamed(query) { pipe in
            var cursor = ResultCursor(pipe: pipe)
            return try body(&cursor)
        }
    }

    public func withAttempts<T: Sendable>(run: String, _ body: @escaping @Sendable (inout AttemptCursor) throws -> T)
        async throws(StoreError) -> T
    {
        let query: PostgresQuery = "SELECT * FROM attempts WHERE run_id = \(run) ORDER BY sent_at, id"
        return try await streamed(query) { pipe in
            var cursor = AttemptCursor(pipe: pipe)
            return try body(&cursor)
        }
    }

    private func streamed<T: Sendable>(_ query: PostgresQuery, _ body: @escaping @Sendable (RowPipe) throws -> T)
        async throws(StoreError) -> T
    {
        do {
            return try await RowPipe.read(query, on: client, body)
        } catch let error as PSQLError {
            throw failure(error)
        } catch {
            throw StoreError(location: location, message: "\(error)")
        }
    }

    public func results(run: String, after id: Int64, limit: Int) async throws(StoreError) -> (
        results: [ItemResult], last: Int64
    ) {
        let rows = try await rows(
            "SELECT results.*, prompts.text AS piece_text FROM results LEFT JOIN prompts ON prompts.hash = results.prompt_piece WHERE run_id = \(run) AND results.id > \(id) ORDER BY results.id LIMIT \(Int64(limit))"
        )
        do {
            return (try rows.map { try ResultRecord.result(row: $0) }, rows.last?["id"] ?? id)
        } catch {
            throw StoreError(location: location, message: "\(error)")
        }
    }

    public func attempts(run: String, after id: Int64, limit: Int) async throws(StoreError) -> (
        attempts: [AttemptRow], last: Int64
    ) {
        let rows = try await rows(
            "SELECT * FROM attempts WHERE run_id = \(run) AND id > \(id) ORDER BY id LIMIT \(Int64(limit))")
        do {
            return (try rows.map { try AttemptCursor.attempt($0) }, rows.last?["id"] ?? id)
        } catch {
            throw StoreError(location: location, message: "\(error)")
        }
    }

    // MARK: The response cache

    public func cachedAnswer(hash: String) async throws(StoreError) -> CachedAnswer? {
        let found = try await rows("SELECT completion, created_at FROM response_cache WHERE request_hash = \(hash)")
            .first
        guard let found, let json: String = found["completion"], let askedAt: Double = found["created_at"] else {
            return nil
        }
        do {
            return CachedAnswer(
                completion: try StoreJSON.decode(Completion.self, json), askedAt: Date(timeIntervalSince1970: askedAt))
        } catch {
            throw StoreError(location: location, message: "a cached completion does not read: \(error)")
        }
    }

    public func requestBodies(hashes: [String]) async throws(StoreError) -> [String: String] {
        var bodies: [String: String] = [:]
        let unique = Array(Set(hashes))
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = unique[start..<min(start + 500, unique.count)]
            let hashes = Array(chunk)
            for row in try await rows(
                "SELECT request_hash, request FROM response_cache WHERE request_hash = ANY(\(hashes)::text[])")
            {
                bodies[row["request_hash"]] = row["request"]
            }
        }
        let pieces = try await pieceTexts(PromptPiece.hashes(inBodies: bodies.values))
        return bodies.mapValues { PromptPiece.expand($0, pieces: pieces) }
    }

    /// The texts of these pieces (`prompts`), by hash.
    func pieceTexts(_ hashes: [String]) async throws(StoreError) -> [String: String] {
        guard !hashes.isEmpty else { return [:] }
        var texts: [String: String] = [:]
        for row in try await rows("SELECT hash, text FROM prompts WHERE hash = ANY(\(hashes)::text[])") {
            texts[row["hash"]] = row["text"]
        }
        return texts
    }

    public func cacheEntries(after hash: String, limit: Int) async throws(StoreError) -> [StoredCacheEntry] {
        let entries = try await storedCacheEntries(after: hash, limit: limit)
        let pieces = try await pieceTexts(PromptPiece.hashes(inBodies: entries.map(\.request)))
        return entries.map { entry in
            var whole = entry
            whole.request = PromptPiece.expand(entry.request, pieces: pieces)
            return whole
        }
    }

    private func storedCacheEntries(after hash: String, limit: Int) async throws(StoreError) -> [StoredCacheEntry] {
        try await rows(
            """
            SELECT * FROM response_cache WHERE request_hash COLLATE "C" > \(hash) ORDER BY request_hash COLLATE "C" LIMIT \(Int64(limit))
            """
        ).map { row in
            StoredCacheEntry(
                hash: row["request_hash"], endpoint: row["endpoint"], model: row["model"], request: row["request"],
                completion: row["completion"],
                createdAt: row["created_at"])
        }
    }

    public func insert(cache entries: [StoredCacheEntry]) async throws(StoreError) -> Int {
        try await perform { connection, logger in
            var added = 0
            for entry in entries {
                added += try await Self.rows(
                    """
                    INSERT INTO response_cache (request_hash, endpoint, model, request, completion, created_at)
                    VALUES (\(entry.hash), \(entry.endpoint), \(entry.model), \(entry.request), \(entry.completion), \(entry.createdAt))
                    ON CONFLICT (request_hash) DO NOTHING RETURNING 1 AS added
                    """, on: connection, logger: logger
                ).count
            }
            return added
        }
    }

    private func storeJSON(_ value: some Encodable) throws(StoreError) -> String {
        do { return try StoreJSON.encode(value) } catch { throw StoreError(location: location, message: "\(error)") }
    }

    /// Runs `body` in a transaction; a failure is a StoreError naming the store.
    func perform<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T)
        async throws(StoreError) -> T
    {
        let logger = self.logger
        do {
            return try await transaction { connection in try await body(connection, logger) }
        } catch {
            throw failure(error)
        }
    }
}
