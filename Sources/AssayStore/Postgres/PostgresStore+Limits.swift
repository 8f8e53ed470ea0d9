import AssayCore
import GRDB

// Slices of a key's rate limits (`SharedRateLimits`), timed by the database server's clock
// like the work queue's leases.

extension PostgresStore: SharedRateLimits {
    private static let now = "extract(epoch from clock_timestamp())"

    /// One statement: expired slices of others removed, this holder's renewed (published
    /// estimate kept unless a new one comes), and the live holders and freshest estimate read
    /// from the statement's snapshot (as it was before the renewal).
    public func shareLimits(key: String, holder: String, lease: Duration, learned: Double?, learnedChanged: Bool) async throws(StoreError) -> LimitShare {
        let rows = try await rows(
            """
            WITH gone AS (
                DELETE FROM rate_shares WHERE limit_key = $1 AND holder <> $2 AND expires_at < \(Self.now)),
            renewed AS (
                INSERT INTO rate_shares (limit_key, holder, expires_at, learned_per_second, learned_at)
                VALUES ($1, $2, \(Self.now) + $3, $4, CASE WHEN $5 = 1 THEN \(Self.now) END)
                ON CONFLICT (limit_key, holder) DO UPDATE SET expires_at = EXCLUDED.expires_at,
                    learned_per_second = CASE WHEN $5 = 1 THEN EXCLUDED.learned_per_second ELSE rate_shares.learned_per_second END,
                    learned_at = CASE WHEN $5 = 1 THEN EXCLUDED.learned_at ELSE rate_shares.learned_at END
                RETURNING 1)
            SELECT
                (SELECT COUNT(*) FROM rate_shares WHERE limit_key = $1 AND holder <> $2 AND expires_at >= \(Self.now)) AS others,
                fresh.holder, fresh.learned_per_second, fresh.learned_at
            FROM (SELECT 1) AS one LEFT JOIN (
                SELECT holder, learned_per_second, learned_at FROM rate_shares
                WHERE limit_key = $1 AND holder <> $2 AND expires_at >= \(Self.now) AND learned_at IS NOT NULL
                ORDER BY learned_at DESC LIMIT 1) AS fresh ON TRUE
            """,
            [key.databaseValue, holder.databaseValue, lease.inSeconds.databaseValue, learned.databaseValue, (learnedChanged ? 1 : 0).databaseValue])
        guard let row = rows.first else { return LimitShare(holders: 1) }
        let others: Int = row["others"] ?? 0
        var share = LimitShare(holders: others + 1)
        if let from: String = row["holder"], let perSecond: Double = row["learned_per_second"], let at: Double = row["learned_at"] {
            share.learned = LimitShare.Learned(holder: from, perSecond: perSecond, at: at)
        }
        return share
    }

    public func leaveLimits(key: String, holder: String) async throws(StoreError) {
        _ = try await rows("DELETE FROM rate_shares WHERE limit_key = $1 AND holder = $2", [key.databaseValue, holder.databaseValue])
    }
}
