import AssayCore
import GRDB
import PostgresNIO

// Slices of a key's rate limits (`SharedRateLimits`), timed by the database server's clock
// like the work queue's leases.

extension PostgresStore: SharedRateLimits {
    /// One prepared statement (`ShareLimits`).
    public func shareLimits(key: String, holder: String, lease: Duration, learned: Double?, learnedChanged: Bool)
        async throws(StoreError) -> LimitShare
    {
        let rows = try await rows(
            ShareLimits(
                key: key, holder: holder, leaseSeconds: lease.inSeconds, learned: learned,
                learnedChanged: learnedChanged))
        guard let row = rows.first else { return LimitShare(holders: 1) }
        let others: Int = row["others"] ?? 0
        var share = LimitShare(holders: others + 1)
        if let from: String = row["holder"], let perSecond: Double = row["learned_per_second"],
            let at: Double = row["learned_at"]
        {
            share.learned = LimitShare.Learned(holder: from, perSecond: perSecond, at: at)
        }
        return share
    }

    public func leaveLimits(key: String, holder: String) async throws(StoreError) {
        _ = try await rows("DELETE FROM rate_shares WHERE limit_key = \(key) AND holder = \(holder)")
    }
}
