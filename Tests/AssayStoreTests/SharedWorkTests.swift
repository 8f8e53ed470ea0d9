import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The shared store's queue and budget, against the throwaway PostgreSQL of `scripts/test`:
/// workers claim disjoint items, a dead worker's items come back after its lease and not
/// before, a recorded item is never claimed again, and the budget holds across workers.
@Suite(.enabled(if: TestPostgres.url != nil, "needs the PostgreSQL that scripts/test starts"))
struct SharedWorkTests {
    func open() async throws -> any SharedRunStore {
        let url = try #require(TestPostgres.url)
        let store = try await StoreLocation.open(url)
        return try #require(store as? any SharedRunStore)
    }

    static func keys(_ count: Int) -> [WorkKey] {
        (0..<count).map { WorkKey(suiteID: "s", caseID: String(format: "c%02d", $0), model: "m", epoch: 1) }
    }

    @Test func workersClaimDisjointItemsAndADeadWorkersComeBackAfterItsLease() async throws {
        let store = try await open()
        defer { Task { await store.close() } }
        let id = TestPostgres.uniqueRunID("claims")
        let queue = Self.keys(10)
        try await store.createRun(StoreTests.manifest(id), queue: queue, budgetCap: nil)

        let dying = try await store.claim(run: id, worker: "dying", limit: 4, lease: .seconds(600))
        #expect(dying == Array(queue[0..<4]), "the oldest items first")
        let living = try await store.claim(run: id, worker: "living", limit: 100, lease: .seconds(600))
        #expect(living == Array(queue[4...]), "what another worker holds is skipped")
        #expect(try await store.claim(run: id, worker: "late", limit: 100, lease: .seconds(600)).isEmpty)
        #expect(try await store.unfinished(run: id) == (notDone: 10, leased: 10))

        // The dying worker finished one item before it died; the living one finishes all of its.
        try await store.record(StoreTests.result(id, case: dying[0].caseID))
        for key in living { try await store.record(StoreTests.result(id, case: key.caseID)) }
        #expect(try await store.unfinished(run: id) == (notDone: 3, leased: 3))
        #expect(
            try await store.claim(run: id, worker: "late", limit: 100, lease: .seconds(600)).isEmpty,
            "a live lease is respected")

        // The dying worker's lease runs out (a renewal to zero stands for the time passing;
        // SharedWorkersTests waits for a real one with a killed process).
        try await store.renew(run: id, worker: "dying", lease: .zero)
        try await Task.sleep(for: .milliseconds(5))
        let reclaimed = try await store.claim(run: id, worker: "late", limit: 100, lease: .seconds(600))
        #expect(reclaimed == Array(dying[1...]), "the dead worker's unfinished items, and not the one it recorded")
        try await store.release(run: id, worker: "late")
        #expect(try await store.unfinished(run: id) == (notDone: 3, leased: 0))

        // A lease renewed before it runs out holds.
        let held = try await store.claim(run: id, worker: "renewing", limit: 1, lease: .zero)
        try await store.renew(run: id, worker: "renewing", lease: .seconds(600))
        try await Task.sleep(for: .milliseconds(5))
        let others = try await store.claim(run: id, worker: "other", limit: 100, lease: .seconds(600))
        #expect(held.count == 1 && !others.contains(held[0]) && others.count == 2)
    }

    @Test func theBudgetHoldsAcrossWorkers() async throws {
        let store = try await open()
        defer { Task { await store.close() } }
        let id = TestPostgres.uniqueRunID("budget")
        try await store.createRun(StoreTests.manifest(id), queue: Self.keys(2), budgetCap: 1.0)
        // Two workers reserve from one budget, concurrently.
        let granted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { (try? await store.reserve(run: id, amount: 0.3)) ?? false } }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(granted == 3, "0.9 of 1.0 reserved; the fourth would pass the cap")
        try await store.settle(run: id, reserved: 0.3, actual: 0.05)
        #expect(try await store.reserve(run: id, amount: 0.01) == false, "once refused, refused for every worker")
        #expect(abs(try await store.budgetSpent(run: id) - 0.05) < 1e-9)

        // A resume resets the budget to its new cap.
        try await store.requeue(run: id, keys: [], budgetCap: 2.0, spent: 0.05)
        #expect(try await store.reserve(run: id, amount: 1.5) == true)
    }
}
