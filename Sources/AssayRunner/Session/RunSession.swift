import AssayConfig
import AssayCore
import AssayProviders
import AssayStore
import Foundation
import NIOCore

/// One run, from a plan to its stored end, wired in one place: the plan prepared (every
/// problem reported before anything is made), the store opened, the endpoints' clients made,
/// the run started or resumed, and the clients shut down whether the run ends or throws.
/// The CLI, the tests and the benchmarks all run through it.
public struct RunSession: Sendable {
    public let setup: RunSetup
    public let store: any RunStore
    public let access: EndpointAccess

    /// Prepares `plan` and checks its endpoints' keys (from `environment`) and tools, then
    /// opens its store (`store`, when one is already open: a resumed run's): bad input leaves
    /// no empty store behind. `catalog` replaces the plan's catalog file (a resumed run keeps
    /// the prices it started with).
    public static func prepare(
        _ plan: Plan, environment: [String: String], catalog: Catalog? = nil, store: (any RunStore)? = nil
    ) async throws -> RunSession {
        let setup = try await RunSetup.prepare(plan, catalog: catalog)
        let access = try await EndpointAccess.check(endpoints: setup.endpoints, environment: environment)
        if let store { return RunSession(setup: setup, store: store, access: access) }
        return RunSession(setup: setup, store: try await StoreLocation.open(plan.store), access: access)
    }

    public init(setup: RunSetup, store: any RunStore, access: EndpointAccess) {
        self.setup = setup
        self.store = store
        self.access = access
    }

    /// How this session takes part in a run.
    public enum Part: Sendable {
        /// A new run: every work item.
        case start
        /// A stored run's unfinished items (failed ones asked again).
        case resume(RunManifest)
        /// Another worker's share of a run in a shared store, as it goes.
        case join(RunManifest)

        /// The stored run this part works on (nil for a new run).
        public var manifest: RunManifest? {
            switch self {
            case .start: nil
            case .resume(let manifest), .join(let manifest): manifest
            }
        }
    }

    /// Runs its part of a run and returns the manifest as stored at the end; the endpoints'
    /// clients live as long as the run. With a shared store, `worker` is this process in the
    /// run's queue.
    public func run(
        _ part: Part = .start, id: String = RunID.make(), gitCommit: String? = GitCommit.current(),
        label: RunLabel? = nil, worker: Worker = Worker(),
        eventLoopGroup: (any EventLoopGroup)? = nil, onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) async throws -> RunManifest {
        let plan = setup.plan
        return try await EndpointClients.with(
            access: access, connectionsPerHost: plan.concurrency, timeouts: plan.settings.timeouts,
            eventLoopGroup: eventLoopGroup
        ) { clients in
            let keys = Dictionary(
                setup.endpoints.compactMap { entry in
                    access.key(of: entry.endpoint.name).map { (entry.endpoint.name, $0) }
                }, uniquingKeysWith: { first, _ in first })
            let runner = Runner(setup: setup, store: store, providers: clients.providers, worker: worker, keys: keys)
            switch part {
            case .start: return try await runner.run(id: id, gitCommit: gitCommit, label: label, onEvent: onEvent)
            case .resume(let manifest): return try await runner.resume(manifest, onEvent: onEvent)
            case .join(let manifest): return try await runner.join(manifest, onEvent: onEvent)
            }
        }
    }
}
