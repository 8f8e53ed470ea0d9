import Logging
import PostgresNIO

/// The PostgreSQL store's tables: SQLite's (its migration v4 in the first step, v5 in the second) plus the work queue,
/// the shared budget and the slices of keys' rate limits. Booleans are stored as 0/1 integers, as SQLite stores them, so that
/// one mapping (`ResultRecord`) reads both. `assay_schema` holds the version; each later
/// change is a step appended to `steps`.
enum PostgresSchema {
    static let steps: [String] = [
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY, plan TEXT, status TEXT NOT NULL, started_at DOUBLE PRECISION NOT NULL,
            ended_at DOUBLE PRECISION, assay_version TEXT NOT NULL, git_commit TEXT, manifest TEXT NOT NULL);
        CREATE TABLE results (
            id BIGSERIAL PRIMARY KEY, run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            suite_id TEXT NOT NULL, case_id TEXT NOT NULL, model TEXT NOT NULL, epoch BIGINT NOT NULL,
            request_hash TEXT NOT NULL, status TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '', expected TEXT, prompt TEXT,
            output TEXT, reasoning TEXT, finish_reason TEXT, outcome TEXT, score DOUBLE PRECISION NOT NULL, extracted TEXT,
            rule TEXT, evidence TEXT, prompt_tokens BIGINT, completion_tokens BIGINT, reasoning_tokens BIGINT,
            cached_prompt_tokens BIGINT, cost DOUBLE PRECISION, cost_output_only BIGINT, ttft_ms DOUBLE PRECISION,
            first_reasoning_ms DOUBLE PRECISION, latency_ms DOUBLE PRECISION, error_kind TEXT, error_message TEXT,
            last_error_kind TEXT, fallback_for TEXT NOT NULL DEFAULT '', attempts BIGINT NOT NULL, served_by TEXT,
            cached BIGINT NOT NULL, recorded_at DOUBLE PRECISION NOT NULL,
            UNIQUE (run_id, suite_id, case_id, model, epoch, fallback_for));
        CREATE INDEX results_by_model ON results (run_id, model, suite_id, case_id, epoch);
        CREATE TABLE response_cache (
            request_hash TEXT PRIMARY KEY, endpoint TEXT NOT NULL, model TEXT NOT NULL, request TEXT NOT NULL,
            completion TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL);
        CREATE TABLE attempts (
            id BIGSERIAL PRIMARY KEY, run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            suite_id TEXT NOT NULL, case_id TEXT NOT NULL, model TEXT NOT NULL, epoch BIGINT NOT NULL, number BIGINT NOT NULL,
            endpoint TEXT NOT NULL, base_url TEXT, status BIGINT, error_kind TEXT, latency_ms DOUBLE PRECISION NOT NULL,
            sent_at DOUBLE PRECISION NOT NULL);
        CREATE INDEX attempts_by_run ON attempts (run_id, sent_at);
        CREATE TABLE work (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            suite_id TEXT NOT NULL, case_id TEXT NOT NULL, model TEXT NOT NULL, epoch BIGINT NOT NULL,
            seq BIGINT NOT NULL, state TEXT NOT NULL DEFAULT 'pending', worker TEXT, lease_until DOUBLE PRECISION,
            PRIMARY KEY (run_id, suite_id, case_id, model, epoch));
        CREATE INDEX work_to_claim ON work (run_id, state, seq);
        CREATE TABLE budgets (
            run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE, cap DOUBLE PRECISION NOT NULL,
            spent DOUBLE PRECISION NOT NULL DEFAULT 0, reserved DOUBLE PRECISION NOT NULL DEFAULT 0,
            stopped BOOLEAN NOT NULL DEFAULT FALSE);
        """,
        // SQLite's v5: when a replayed answer was first asked.
        "ALTER TABLE results ADD COLUMN cached_at DOUBLE PRECISION",
        // Slices of a key's rate limits among the workers using it (`SharedRateLimits`).
        """
        CREATE TABLE rate_shares (
            limit_key TEXT NOT NULL, holder TEXT NOT NULL, expires_at DOUBLE PRECISION NOT NULL,
            learned_per_second DOUBLE PRECISION, learned_at DOUBLE PRECISION,
            PRIMARY KEY (limit_key, holder))
        """,
        // SQLite's v6: the prompt a routing rule matches.
        "ALTER TABLE results ADD COLUMN routed_prompt TEXT",
        // SQLite's v7: decisions.
        """
        CREATE TABLE decisions (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL, decision TEXT NOT NULL)
        """,
        // SQLite's v8 (v7 is main's decisions): long prompts' long pieces, stored once (`PromptPiece`).
        "CREATE TABLE prompts (hash TEXT PRIMARY KEY, text TEXT NOT NULL)",
    ]

    /// A database written by a newer Assay: refused rather than misread.
    struct Newer: Error, CustomStringConvertible {
        var version: Int
        var description: String {
            "the store's schema is version \(version), newer than this Assay knows (\(PostgresSchema.steps.count)): upgrade Assay"
        }
    }

    /// Applies the steps this database has not had, then adds any column `ResultRecord`
    /// declares that `results` lacks; the caller holds the advisory lock.
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await applySteps(connection, logger: logger)
        try await addMissingResultColumns(connection, logger: logger)
    }

    /// As SQLite's store does (`StoreSchema.addMissingResultColumns`): a new result field
    /// needs no step here.
    static func addMissingResultColumns(_ connection: PostgresConnection, logger: Logger) async throws {
        var present = Set<String>()
        let rows = try await connection.query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'results' AND table_schema = current_schema()",
            logger: logger)
        for try await name in rows.decode(String.self) { present.insert(name) }
        for column in ResultRecord.CodingKeys.allCases where !present.contains(column.rawValue) {
            _ = try await connection.query(
                PostgresQuery(unsafeSQL: "ALTER TABLE results ADD COLUMN \(column.rawValue) \(column.type.postgres)"),
                logger: logger)
        }
    }

    private static func applySteps(_ connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query(
            "CREATE TABLE IF NOT EXISTS assay_schema (version BIGINT NOT NULL)", logger: logger)
        var version = 0
        for try await value in try await connection.query("SELECT version FROM assay_schema", logger: logger).decode(
            Int.self)
        {
            version = value
        }
        if version > steps.count { throw Newer(version: version) }
        guard version < steps.count else { return }
        for step in steps[version...] {
            for statement in step.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
                _ = try await connection.query(PostgresQuery(unsafeSQL: String(statement)), logger: logger)
            }
        }
        _ = try await connection.query("DELETE FROM assay_schema", logger: logger)
        _ = try await connection.query("INSERT INTO assay_schema (version) VALUES (\(steps.count))", logger: logger)
    }
}
