import AssayCore
import Foundation

/// What runs are kept in: the runs, their results, every attempt and the response cache.
/// Two backends keep them: `Store` (one SQLite file, one machine) and `PostgresStore` (one
/// database that many workers share). The runner, the reports and every reading verb work
/// through this protocol and never know which one they hold; `StoreContractTests` runs one
/// suite against both.
public protocol RunStore: AnyObject, Sendable {
    /// Where the store is, as errors name it: a path, or a URL without its password.
    var location: String { get }

    /// Records a new run (its status as the manifest says, normally `running`).
    func createRun(_ manifest: RunManifest) async throws(StoreError)
    /// Sets a run's status (and end time, once ended); adds a session's endpoint traffic to
    /// what earlier sessions met (and, for a worker of a shared run, to that worker's own),
    /// and the load report when there is one.
    func finishRun(
        _ id: String, status: RunManifest.Status, endedAt: Date, traffic: [EndpointTraffic], worker: WorkerEnd?,
        load: LoadReport?) async throws(StoreError)
    func run(_ id: String) async throws(StoreError) -> RunManifest?
    /// Every run, newest first.
    func runs() async throws(StoreError) -> [RunManifest]

    /// Stores one result durably, replacing an earlier one for the same work item, with its
    /// cache entry and the attempts its requests made, in one transaction.
    func record(_ result: ItemResult, caching entry: CacheEntry?, attempts: [Attempt]) async throws(StoreError)
    /// Stores many results in one transaction (imports, merges, benchmarks; not runs).
    func record(batch results: [ItemResult]) async throws(StoreError)
    /// Stores attempts as they were (another store's, being merged or copied in).
    func record(attempts: [AttemptRow]) async throws(StoreError)

    /// The run's work items that are done: answered and graded, unsupported, or answered by a
    /// fallback. Failed items are not done: a resumed run asks them again.
    func completedKeys(run: String) async throws(StoreError) -> Set<WorkKey>
    /// What a run has spent so far.
    func spend(run: String) async throws(StoreError) -> Double
    func resultCount(run: String) async throws(StoreError) -> Int
    func attemptCount(run: String) async throws(StoreError) -> Int

    /// Runs `body` over the run's results ordered by model, suite, case and epoch.
    func withResults<T: Sendable>(run: String, _ body: @escaping @Sendable (inout ResultCursor) throws -> T)
        async throws(StoreError) -> T
    /// Runs `body` over the run's attempts in the order they were sent.
    func withAttempts<T: Sendable>(run: String, _ body: @escaping @Sendable (inout AttemptCursor) throws -> T)
        async throws(StoreError) -> T
    /// A page of the run's results after row `id` (0 for the first), with the last row id read.
    func results(run: String, after id: Int64, limit: Int) async throws(StoreError) -> (
        results: [ItemResult], last: Int64
    )
    /// A page of the run's attempts after row `id`, with the last row id read.
    func attempts(run: String, after id: Int64, limit: Int) async throws(StoreError) -> (
        attempts: [AttemptRow], last: Int64
    )

    /// The stored completion for a request hash, with when it was asked, if any.
    func cachedAnswer(hash: String) async throws(StoreError) -> CachedAnswer?
    /// The request bodies stored with `hashes`, by hash (those the cache has).
    func requestBodies(hashes: [String]) async throws(StoreError) -> [String: String]
    /// A page of the response cache, in hash order after `hash` ("" for the first).
    func cacheEntries(after hash: String, limit: Int) async throws(StoreError) -> [StoredCacheEntry]
    /// Adds cache entries, keeping those this store has already; returns how many were added.
    func insert(cache entries: [StoredCacheEntry]) async throws(StoreError) -> Int

    /// Sets (or, with nil, removes) a run's label and note; a run not in the store is an error.
    func setLabel(run: String, _ label: RunLabel?) async throws(StoreError)
    /// Keeps a decision, replacing one of the same id.
    func record(decision: Decision) async throws(StoreError)
    /// Every decision kept, oldest first (ties by id).
    func decisions() async throws(StoreError) -> [Decision]

    /// Lets go of connections (a no-op for SQLite).
    func close() async
}

/// A completion from the response cache and when its request was asked.
public struct CachedAnswer: Sendable {
    public var completion: Completion
    public var askedAt: Date

    public init(completion: Completion, askedAt: Date) {
        self.completion = completion
        self.askedAt = askedAt
    }
}

extension RunStore {
    /// The stored completion for a request hash, if any.
    public func cachedCompletion(hash: String) async throws(StoreError) -> Completion? {
        try await cachedAnswer(hash: hash)?.completion
    }

    public func record(_ result: ItemResult, caching entry: CacheEntry? = nil) async throws(StoreError) {
        try await record(result, caching: entry, attempts: [])
    }

    public func finishRun(
        _ id: String, status: RunManifest.Status, traffic: [EndpointTraffic] = [], worker: WorkerEnd? = nil,
        load: LoadReport? = nil
    ) async throws(StoreError) {
        try await finishRun(id, status: status, endedAt: Date(), traffic: traffic, worker: worker, load: load)
    }

    public func results(run: String, after id: Int64) async throws(StoreError) -> (results: [ItemResult], last: Int64) {
        try await results(run: run, after: id, limit: 1000)
    }

    public func attempts(run: String, after id: Int64) async throws(StoreError) -> (attempts: [AttemptRow], last: Int64)
    {
        try await attempts(run: run, after: id, limit: 5000)
    }

    /// The results of a run in a stable order (suite, model, case, epoch), all in memory: for
    /// whole runs of any size, use `withResults`.
    public func results(run: String) async throws(StoreError) -> [ItemResult] {
        try await withResults(run: run) { cursor in
            var results: [ItemResult] = []
            while let result = try cursor.next() { results.append(result) }
            return results.sorted {
                ($0.suiteID, $0.model, $0.caseID, $0.epoch) < ($1.suiteID, $1.model, $1.caseID, $1.epoch)
            }
        }
    }

    /// Copies `other`'s response cache into this one page by page, keeping entries this one
    /// has already; returns how many were copied.
    public func copyCache(from other: any RunStore) async throws(StoreError) -> Int {
        var after = ""
        var copied = 0
        while true {
            let page = try await other.cacheEntries(after: after, limit: 500)
            guard let last = page.last else { return copied }
            after = last.hash
            copied += try await insert(cache: page)
        }
    }

    /// The run's manifest written with a new status, end, traffic and load: what every
    /// backend's `finishRun` stores.
    func finished(
        _ manifest: RunManifest, status: RunManifest.Status, endedAt: Date, traffic: [EndpointTraffic],
        worker: WorkerEnd?, load: LoadReport?
    ) -> RunManifest {
        var manifest = manifest
        manifest.status = status
        if let load { manifest.load = load }
        if !traffic.isEmpty { manifest.traffic = EndpointTraffic.merge(manifest.traffic ?? [], traffic) }
        if let worker, !traffic.isEmpty || worker.failure != nil {
            var workers = manifest.workers ?? []
            if let index = workers.firstIndex(where: { $0.worker == worker.id }) {
                workers[index].traffic = EndpointTraffic.merge(workers[index].traffic, traffic)
                workers[index].failure = worker.failure ?? workers[index].failure
            } else {
                workers.append(WorkerTraffic(worker: worker.id, traffic: traffic, failure: worker.failure))
            }
            manifest.workers = workers
        }
        manifest.endedAt = status == .running ? nil : endedAt
        return manifest
    }
}

/// A response-cache row as stored: what copying a cache between stores moves.
public struct StoredCacheEntry: Sendable {
    public var hash: String
    public var endpoint: String
    public var model: String
    public var request: String
    /// The completion, as the JSON both backends store.
    public var completion: String
    public var createdAt: Double
}

/// Opening a store from what a user typed after `--store`: a `postgres://` (or
/// `postgresql://`) URL opens the shared PostgreSQL store, anything else is a SQLite path.
public enum StoreLocation {
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Opens (creating when needed) the store at `location`.
    public static func open(_ location: String) async throws(InputError) -> any RunStore {
        if isPostgres(location) { return try await PostgresStore.connect(location) }
        return try Store(path: location)
    }
}
