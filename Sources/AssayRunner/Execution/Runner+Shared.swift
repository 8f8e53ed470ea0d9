import AssayCore
import AssayStore
import Foundation

/// One process working on a run in a shared store: its name in the queue, and how long an
/// item it claimed stays its own without a renewal. The lease is renewed every third of it
/// while the worker lives; a worker that dies loses its items to the others one lease later.
public struct Worker: Sendable {
    public var id: String
    public var lease: Duration

    public init(id: String = Worker.makeID(), lease: Duration = .seconds(30)) {
        self.id = id
        self.lease = lease
    }

    /// `host:pid:random`: unique across machines, and says where a stuck claim came from.
    public static func makeID() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8).lowercased())"
    }
}

extension Runner {
    /// Joins a run in a shared store: claims its pending items (and those whose worker's lease
    /// ran out) until none is left, beside whatever other workers do the same.
    public func join(_ manifest: RunManifest, onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in })
        async throws(StoreError) -> RunManifest
    {
        guard store is any SharedRunStore else {
            throw StoreError(location: store.location, message: "only a shared store (postgres://) has workers to join")
        }
        let done = try await store.completedKeys(run: manifest.id)
        return try await execute(
            runID: manifest.id, skipping: done, alreadySpent: 0, manifest: manifest, onEvent: onEvent)
    }

    /// Claims items from the shared queue and runs them, `cap` in flight, until the queue has
    /// none this worker can take and no other worker holds one under a live lease; an item a
    /// dead worker held comes back when its lease runs out, and is claimed then.
    func workClaimed(
        from shared: any SharedRunStore, runID: String, worker: Worker, cap: Int, budget: (any SpendingCap)?,
        group: inout ThrowingTaskGroup<Void, any Error>, run: @escaping @Sendable (WorkItem) async throws -> Void
    ) async throws {
        let renewal = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: worker.lease / 3)
                try? await shared.renew(run: runID, worker: worker.id, lease: worker.lease)
            }
        }
        defer { renewal.cancel() }
        let lookup = ItemLookup(setup)
        let poll = min(max(worker.lease / 6, .milliseconds(100)), .seconds(2))
        var inFlight = 0
        // Claimed a slot-full at a time and started as slots free: one claim query per
        // `cap` items, and every slot busy. The claimed-but-not-started wait under the same lease.
        var claimed: [WorkItem] = []
        while !Task.isCancelled {
            if let budget, await budget.stopped { break }
            if inFlight >= cap {
                try await group.next()
                inFlight -= 1
                continue
            }
            if claimed.isEmpty {
                let keys = try await shared.claim(run: runID, worker: worker.id, limit: cap, lease: worker.lease)
                for key in keys {
                    guard let item = lookup.item(key) else {
                        throw StoreError(
                            location: shared.location,
                            message:
                                "run \(runID) has the item \(key), which this worker's plan does not: join with the run's plan"
                        )
                    }
                    claimed.append(item)
                }
            }
            if claimed.isEmpty {
                if inFlight > 0 {
                    try await group.next()
                    inFlight -= 1
                    continue
                }
                if try await shared.unfinished(run: runID).notDone == 0 { break }
                // Other workers hold the rest: wait for them to finish it, or for their leases to run out.
                do { try await Task.sleep(for: poll) } catch { break }
                continue
            }
            let item = claimed.removeFirst()
            group.addTask { try await run(item) }
            inFlight += 1
        }
        try await group.waitForAll()
    }

    /// The run's status once this worker stops early: its claims go back to the queue; an
    /// interruption leaves the run `running` while other workers hold items, and `completed`
    /// when nothing is left.
    static func sharedStatus(
        after status: RunManifest.Status, of runID: String, worker: Worker, in shared: any SharedRunStore
    ) async throws(StoreError) -> RunManifest.Status {
        try await shared.release(run: runID, worker: worker.id)
        guard status == .interrupted else { return status }
        let left = try await shared.unfinished(run: runID)
        if left.notDone == 0 { return .completed }
        return left.leased > 0 ? .running : .interrupted
    }
}

/// A claimed work key back to the run's work item: suite and case by id, model by id.
struct ItemLookup {
    private var suites: [String: (index: Int, cases: [String: Int])] = [:]
    private var models: [String: ModelSpec] = [:]

    init(_ setup: RunSetup) {
        for (index, suite) in setup.suites.enumerated() {
            suites[suite.id] = (
                index, Dictionary(suite.cases.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            )
        }
        for model in setup.models { models[model.id] = model }
    }

    func item(_ key: WorkKey) -> WorkItem? {
        guard let suite = suites[key.suiteID], let caseIndex = suite.cases[key.caseID], let model = models[key.model]
        else { return nil }
        return WorkItem(suiteIndex: suite.index, caseIndex: caseIndex, model: model, epoch: key.epoch)
    }
}
