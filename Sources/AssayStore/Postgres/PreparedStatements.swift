import AssayCore
import GRDB
import Logging
import PostgresNIO

/// The statements a shared run sends most (per item or per claim), prepared once per
/// connection and then only bound and executed: the server parses and plans them once.
/// Their parameters are bound from `values` in order; their types are inferred from the
/// first execution on each connection (a column's Swift type never changes between calls).
protocol PreparedQuery: PostgresPreparedStatement where Row == [String: DatabaseValue] {
    var values: [DatabaseValue] { get }
}

extension PreparedQuery {
    func makeBindings() throws -> PostgresBindings { PostgresStore.bindings(values) }
    func decodeRow(_ row: PostgresRow) throws -> Row { try PostgresStore.values(row) }
}

extension PostgresStore {
    /// Executes a prepared statement on a pooled connection; its rows as GRDB rows.
    func rows(_ statement: some PreparedQuery) async throws(StoreError) -> [Row] {
        let client = self.client
        do {
            let values = try await Task {
                var values: [[String: DatabaseValue]] = []
                for try await row in try await client.execute(statement) { values.append(row) }
                return values
            }.value
            return values.map { Row($0) }
        } catch {
            throw failure(error)
        }
    }

    /// Executes a prepared statement inside a transaction's connection.
    static func rows(_ statement: some PreparedQuery, on connection: PostgresConnection, logger: Logger) async throws
        -> [Row]
    {
        var rows: [Row] = []
        for try await row in try await connection.execute(statement, logger: logger) { rows.append(Row(row)) }
        return rows
    }
}

extension PostgresStore {
    /// The database server's clock, in seconds: leases and slices are timed by it, so that
    /// workers whose clocks disagree still agree on them.
    static let now = "extract(epoch from clock_timestamp())"
}

private let now = PostgresStore.now

/// One result, inserted or (same item) replaced.
struct UpsertResult: PreparedQuery {
    static let sql = upsert(rows: 1)
    var values: [DatabaseValue]

    /// The upsert of `rows` results in one statement (pages and merges).
    static func upsert(rows: Int) -> String {
        let columns = ResultRecord.CodingKeys.allCases.map(\.rawValue)
        let key: Set = ["run_id", "suite_id", "case_id", "model", "epoch", "fallback_for"]
        return PostgresStore.insertSQL(into: "results", columns: columns, rows: rows)
            + " ON CONFLICT (run_id, suite_id, case_id, model, epoch, fallback_for) DO UPDATE SET "
            + columns.filter { !key.contains($0) }.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
    }
}

/// Up to `limit` pending items (or items whose lease ran out), oldest first, claimed for a worker.
struct ClaimWork: PreparedQuery {
    static let sql = """
        UPDATE work SET state = 'claimed', worker = $2, lease_until = \(now) + $3
        WHERE (run_id, suite_id, case_id, model, epoch) IN (
            SELECT run_id, suite_id, case_id, model, epoch FROM work
            WHERE run_id = $1 AND (state = 'pending' OR (state = 'claimed' AND lease_until < \(now)))
            ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED)
        RETURNING suite_id, case_id, model, epoch, seq
        """
    var values: [DatabaseValue]
}

/// A worker's leases extended.
struct RenewWork: PreparedQuery {
    static let sql = "UPDATE work SET lease_until = \(now) + $3 WHERE run_id = $1 AND worker = $2 AND state = 'claimed'"
    var values: [DatabaseValue]
}

/// A request's estimated cost reserved from the run's budget, unless the cap would be passed.
struct ReserveBudget: PreparedQuery {
    static let sql =
        "UPDATE budgets SET reserved = reserved + $2 WHERE run_id = $1 AND NOT stopped AND spent + reserved + $2 <= cap RETURNING 1 AS ok"
    var values: [DatabaseValue]
}

/// A reservation replaced by what the request cost.
struct SettleBudget: PreparedQuery {
    static let sql = "UPDATE budgets SET reserved = GREATEST(0, reserved - $2), spent = spent + $3 WHERE run_id = $1"
    var values: [DatabaseValue]
}

/// A holder's slice of a key's limits renewed (`SharedRateLimits.shareLimits`): expired
/// slices of others removed, this one's renewed (its published estimate kept unless a new
/// one comes), and the live holders and the freshest estimate read from the statement's
/// snapshot (as it was before the renewal).
struct ShareLimits: PreparedQuery {
    static let sql = """
        WITH gone AS (
            DELETE FROM rate_shares WHERE limit_key = $1 AND holder <> $2 AND expires_at < \(now)),
        renewed AS (
            INSERT INTO rate_shares (limit_key, holder, expires_at, learned_per_second, learned_at)
            VALUES ($1, $2, \(now) + $3, $4, CASE WHEN $5 = 1 THEN \(now) END)
            ON CONFLICT (limit_key, holder) DO UPDATE SET expires_at = EXCLUDED.expires_at,
                learned_per_second = CASE WHEN $5 = 1 THEN EXCLUDED.learned_per_second ELSE rate_shares.learned_per_second END,
                learned_at = CASE WHEN $5 = 1 THEN EXCLUDED.learned_at ELSE rate_shares.learned_at END
            RETURNING 1)
        SELECT
            (SELECT COUNT(*) FROM rate_shares WHERE limit_key = $1 AND holder <> $2 AND expires_at >= \(now)) AS others,
            fresh.holder, fresh.learned_per_second, fresh.learned_at
        FROM (SELECT 1) AS one LEFT JOIN (
            SELECT holder, learned_per_second, learned_at FROM rate_shares
            WHERE limit_key = $1 AND holder <> $2 AND expires_at >= \(now) AND learned_at IS NOT NULL
            ORDER BY learned_at DESC LIMIT 1) AS fresh ON TRUE
        """
    var values: [DatabaseValue]
}
