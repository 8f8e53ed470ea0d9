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
    public let store: Store
    public let access: EndpointAccess

    /// Prepares `plan` and checks its endpoints' keys (from `environment`) and tools, then
    /// opens its store (`store`, when one is already open: a resumed run's): bad input leaves
    /// no empty store behind. `catalog` replaces the plan's catalog file (a resumed run keeps
    /// the prices it started with).
    public static func prepare(_ plan: Plan, environment: [String: String], catalog: Catalog? = nil, store: Store? = nil) async throws -> RunSession {
        let setup = try await RunSetup.prepare(plan, catalog: catalog)
        let access = try await EndpointAccess.check(endpoints: setup.endpoints, environment: environment)
        return RunSession(setup: setup, store: try store ?? Store(path: plan.store), access: access)
    }

    public init(setup: RunSetup, store: Store, access: EndpointAccess) {
        self.setup = setup
        self.store = store
        self.access = access
    }

    /// Runs every work item (or, with `resuming`, those the stored run has not finished) and
    /// returns the manifest as stored at the end; the endpoints' clients live as long as the run.
    public func run(
        resuming manifest: RunManifest? = nil, id: String = RunID.make(), gitCommit: String? = GitCommit.current(),
        eventLoopGroup: (any EventLoopGroup)? = nil, onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) async throws -> RunManifest {
        let plan = setup.plan
        return try await EndpointClients.with(
            access: access, connectionsPerHost: plan.concurrency, timeouts: plan.settings.timeouts, eventLoopGroup: eventLoopGroup
        ) { clients in
            let runner = Runner(setup: setup, store: store, providers: clients.providers)
            if let manifest { return try await runner.resume(manifest, onEvent: onEvent) }
            return try await runner.run(id: id, gitCommit: gitCommit, onEvent: onEvent)
        }
    }
}
