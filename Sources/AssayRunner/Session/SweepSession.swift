import AssayConfig
import AssayCore
import AssayProviders
import AssayStore
import Foundation

/// Runs a plan at each level of a sweep (`Sweep`): per level, a warm-up whose answers are
/// thrown away (a store of its own, deleted), then the measured run, stored as a run of its
/// own (`<sweep id>-<k>`) with its own report. Every request is sent (no response cache).
public struct SweepSession: Sendable {
    public let plan: Plan
    public let sweep: Sweep
    public let environment: [String: String]
    /// One pass over the plan's items: what a level's request count starts from.
    public let itemsPerPass: Int

    /// What the sweep is doing, for progress lines.
    public enum Phase: Sendable {
        case warmingUp(requests: Int)
        case measuring(requests: Int, runID: String)
    }

    /// Checks the plan (suites, catalog, keys) once, before any level runs.
    public static func prepare(_ plan: Plan, sweep: Sweep, environment: [String: String]) async throws
        -> SweepSession
    {
        if StoreLocation.isPostgres(plan.store) {
            throw InputError("a sweep measures one process's load: run it against a SQLite store")
        }
        if plan.settings.shard != nil || plan.settings.routing != nil {
            throw InputError("a sweep runs the whole plan at each level: drop --shard and --route")
        }
        var probe = plan
        probe.settings.load = nil
        probe.settings.requests = nil
        let setup = try await RunSetup.prepare(probe)
        _ = try await EndpointAccess.check(endpoints: setup.endpoints, environment: environment)
        let session = SweepSession(
            plan: plan, sweep: sweep, environment: environment, itemsPerPass: setup.workItems.count)
        // Every level's plan within a plan's bounds (concurrency, rate, requests), before any runs.
        for index in sweep.levels.indices {
            let level = sweep.levels[index]
            let problems = session.plan(
                level: index, requests: sweep.requests(at: level, itemsPerPass: session.itemsPerPass)
            )
            .problems()
            if !problems.isEmpty { throw InputError(problems) }
        }
        return session
    }

    /// The plan of level `index`: its concurrency, or its open-loop rate, and its request count.
    public func plan(level index: Int, requests: Int) -> Plan {
        let level = sweep.levels[index]
        var plan = self.plan
        plan.settings.cache = .off
        switch sweep.dimension {
        case .concurrency:
            plan.concurrency = max(1, Int(level.rounded()))
            plan.settings.load = nil
            plan.settings.requests = requests
        case .rate:
            var load = plan.settings.load ?? LoadProfile(perSecond: level)
            load.perSecond = level
            load.requests = requests
            load.durationSeconds = nil
            plan.settings.load = load
            plan.settings.requests = nil
        }
        return plan
    }

    /// Runs every level in order; returns each level's stored run. `runID(k)` names level k's
    /// run. A level's failures do not stop the sweep: they are what it measures.
    public func run(
        runID: (Int) -> String, onPhase: @escaping @Sendable (Int, Phase) -> Void = { _, _ in },
        onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) async throws -> [(level: Double, manifest: RunManifest)] {
        let store = try await StoreLocation.open(plan.store)
        var measured: [(level: Double, manifest: RunManifest)] = []
        for index in sweep.levels.indices {
            try Task.checkCancellation()
            let level = sweep.levels[index]
            let warmup = sweep.warmupRequests(at: level)
            if warmup > 0 {
                onPhase(index, .warmingUp(requests: warmup))
                try await warmUp(plan(level: index, requests: warmup))
            }
            let requests = sweep.requests(at: level, itemsPerPass: itemsPerPass)
            let id = runID(index)
            onPhase(index, .measuring(requests: requests, runID: id))
            let session = try await RunSession.prepare(
                plan(level: index, requests: requests), environment: environment, store: store)
            let manifest = try await session.run(.start, id: id, onEvent: onEvent)
            measured.append((level, manifest))
        }
        await store.close()
        return measured
    }

    /// Sends a level's warm-up requests into a store of their own, then deletes it.
    private func warmUp(_ plan: Plan) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "assay-warmup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var plan = plan
        plan.store = directory.appendingPathComponent("warmup.sqlite").path
        let session = try await RunSession.prepare(plan, environment: environment)
        _ = try await session.run(.start, id: "warmup")
        await session.store.close()
    }
}
