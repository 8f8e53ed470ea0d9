import AssayCore
import GRDB
import Logging
import PostgresNIO

/// The statements a shared run sends most (per item or per claim), prepared once per
/// connection and then only bound and executed: the server parses and plans them once.
/// Each is a struct of its parameters, and its text (`template`) names them where their values
/// go (`PreparedSQL`); their types are inferred from the first execution on each connection (a
/// property's Swift type never changes between calls).
protocol PreparedQuery: PostgresPreparedStatement where Row == [String: DatabaseValue] {
    static var template: PreparedSQL<Self> { get }
}

extension PreparedQuery {
    static var sql: String { template.sql }
    func makeBindings() throws -> PostgresBindings { Self.template.bindings(of: self) }
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

/// Up to `limit` pending items (or items whose lease ran out), oldest first, claimed for a worker.
struct ClaimWork: PreparedQuery {
    var run: String
    var worker: String
    var leaseSeconds: Double
    var limit: Int

    static let template: PreparedSQL<Self> = """
        UPDATE work SET state = 'claimed', worker = \(\.worker), lease_until = \(sql: now) + \(\.leaseSeconds)
        WHERE (run_id, suite_id, case_id, model, epoch) IN (
            SELECT run_id, suite_id, case_id, model, epoch FROM work
            WHERE run_id = \(\.run) AND (state = 'pending' OR (state = 'claimed' AND lease_until < \(sql: now)))
            ORDER BY seq LIMIT \(\.limit) FOR UPDATE SKIP LOCKED)
        RETURNING suite_id, case_id, model, epoch, seq
        """
}

/// A worker's leases extended.
struct RenewWork: PreparedQuery {
    var run: String
    var worker: String
    var leaseSeconds: Double

    static let template: PreparedSQL<Self> = """
        UPDATE work SET lease_until = \(sql: now) + \(\.leaseSeconds)
        WHERE run_id = \(\.run) AND worker = \(\.worker) AND state = 'claimed'
        """
}

/// A request's estimated cost reserved from the run's budget, unless the cap would be passed.
struct ReserveBudget: PreparedQuery {
    var run: String
    var amount: Double

    static let template: PreparedSQL<Self> = """
        UPDATE budgets SET reserved = reserved + \(\.amount)
        WHERE run_id = \(\.run) AND NOT stopped AND spent + reserved + \(\.amount) <= cap RETURNING 1 AS ok
        """
}

/// A reservation replaced by what the request cost.
struct SettleBudget: PreparedQuery {
    var run: String
    var reserved: Double
    var actual: Double

    static let template: PreparedSQL<Self> = """
        UPDATE budgets SET reserved = GREATEST(0, reserved - \(\.reserved)), spent = spent + \(\.actual)
        WHERE run_id = \(\.run)
        """
}

/// A holder's slice of a key's limits renewed (`SharedRateLimits.shareLimits`): expired
/// slices of others removed, this one's renewed (its published estimate kept unless a new
/// one comes), and the live holders and the freshest estimate read from the statement's
/// snapshot (as it was before the renewal).
struct ShareLimits: PreparedQuery {
    var key: String
    var holder: String
    var leaseSeconds: Double
    var learned: Double?
    /// Whether `learned` is news (an estimate to publish); bound as 1 or 0.
    var learnedChanged: Bool

    static let template: PreparedSQL<Self> = """
        WITH gone AS (
            DELETE FROM rate_shares WHERE limit_key = \(\.key) AND holder <> \(\.holder) AND expires_at < \(sql: now)),
        renewed AS (
            INSERT INTO rate_shares (limit_key, holder, expires_at, learned_per_second, learned_at)
            VALUES (\(\.key), \(\.holder), \(sql: now) + \(\.leaseSeconds), \(\.learned),
                    CASE WHEN \(\.learnedChanged) = 1 THEN \(sql: now) END)
            ON CONFLICT (limit_key, holder) DO UPDATE SET expires_at = EXCLUDED.expires_at,
                learned_per_second = CASE WHEN \(\.learnedChanged) = 1 THEN EXCLUDED.learned_per_second
                    ELSE rate_shares.learned_per_second END,
                learned_at = CASE WHEN \(\.learnedChanged) = 1 THEN EXCLUDED.learned_at ELSE rate_shares.learned_at END
            RETURNING 1)
        SELECT
            (SELECT COUNT(*) FROM rate_shares
             WHERE limit_key = \(\.key) AND holder <> \(\.holder) AND expires_at >= \(sql: now)) AS others,
            fresh.holder, fresh.learned_per_second, fresh.learned_at
        FROM (SELECT 1) AS one LEFT JOIN (
            SELECT holder, learned_per_second, learned_at FROM rate_shares
            WHERE limit_key = \(\.key) AND holder <> \(\.holder) AND expires_at >= \(sql: now) AND learned_at IS NOT NULL
            ORDER BY learned_at DESC LIMIT 1) AS fresh ON TRUE
        """
}
