import AssayCore
import Foundation

/// A store that many workers share (PostgreSQL): besides the results, it holds the run's work
/// queue and its budget. A worker claims pending items under a lease and renews it while it
/// works; recording an item's result marks it done in the same transaction, so a completed
/// request is never asked again. A worker that dies (kill -9, a lost machine) stops renewing:
/// its items go back to the others once the lease runs out.
public protocol SharedRunStore: RunStore {
    /// Records a new run with its work queue (`queue`, in the order to ask) and, under a
    /// spending cap, its budget: all in one transaction, so a worker that joins sees the
    /// whole queue or no run.
    func createRun(_ manifest: RunManifest, queue: [WorkKey], budgetCap: Double?) async throws(StoreError)
    /// Puts the items of `keys` that are not claimed back in the queue (a resumed run: the
    /// items with no completed result), and resets the budget to `cap` with `spent` spent.
    func requeue(run: String, keys: [WorkKey], budgetCap: Double?, spent: Double) async throws(StoreError)
    /// Claims up to `limit` pending items (or items whose lease ran out), oldest first, for
    /// `lease`; claims no item another worker holds (`FOR UPDATE SKIP LOCKED`).
    func claim(run: String, worker: String, limit: Int, lease: Duration) async throws(StoreError) -> [WorkKey]
    /// Extends the lease of every item `worker` holds.
    func renew(run: String, worker: String, lease: Duration) async throws(StoreError)
    /// Gives back the items `worker` holds and has not finished (a worker stopping cleanly).
    func release(run: String, worker: String) async throws(StoreError)
    /// The run's items not yet done, and how many of those another worker holds under a live lease.
    func unfinished(run: String) async throws(StoreError) -> (notDone: Int, leased: Int)

    /// Reserves `amount` of the run's budget; false once the cap would be passed (and from
    /// then on, for every worker).
    func reserve(run: String, amount: Double) async throws(StoreError) -> Bool
    /// Replaces a reservation by what the request really cost.
    func settle(run: String, reserved: Double, actual: Double) async throws(StoreError)
    /// What the run's workers have spent, by the budget's account.
    func budgetSpent(run: String) async throws(StoreError) -> Double
}
