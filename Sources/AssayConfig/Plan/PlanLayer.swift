import AssayCore

/// A plan as one source gives it: every key optional, nil where that source is silent.
/// The flags, a plan file and a stored run (for `--resume`) are each a layer, and
/// `Plan.resolve` is the one place where each setting is decided: the first layer that sets
/// it wins, else the default.
///
/// Adding a setting: a property here (with its plan-file key in `PlanFile`), a flag in
/// `RunOptions` if it has one, a line in `Plan.resolve`, and its field in `RunSettings`.
public struct PlanLayer: Sendable, Hashable {
    public var suites: [String]?
    public var models: [String]?
    public var epochs: Int?
    public var concurrency: Int?
    public var maxTokens: Int?
    public var temperature: Double?
    public var stream: Bool?
    public var cache: CacheMode?
    public var maxCost: Double?
    public var rampUp: Double?
    public var retry = Retry()
    public var timeouts = Timeouts()
    public var endpointLimits: [String: EndpointLimits]?
    public var modelConcurrency: [String: Int]?
    public var fallbacks: [String: FallbackRule]?
    public var modelRequests: [String: [String: JSONValue]]?
    public var maxTokensFloors: [String: Int]?
    public var load: LoadProfile?
    public var routing: RoutingPolicy?
    public var shard: Shard?
    public var maxCacheAge: Double?
    public var clientRegion: String?
    public var catalog: String?
    public var store: String?
    public var reports: String?
    public var baseURLs: [String: String]?

    public struct Retry: Sendable, Hashable {
        public var maxAttempts: Int?
        public var baseDelay: Double?
        public var maxDelay: Double?
        public var itemDeadline: Double?
        public var maxRetryAfter: Double?
        public init() {}
    }

    public struct Timeouts: Sendable, Hashable {
        public var connect: Double?
        public var firstToken: Double?
        public var idle: Double?
        public var total: Double?
        public init() {}
    }

    public init() {}

    /// A stored run as a layer: everything it was started with.
    public init(stored manifest: RunManifest) {
        let settings = manifest.settings ?? RunSettings()
        suites = manifest.suites.map(\.path)
        models = manifest.models
        epochs = manifest.epochs
        concurrency = manifest.concurrency
        maxTokens = settings.generation.maxTokens
        temperature = settings.generation.temperature
        stream = settings.stream
        cache = settings.cache
        maxCost = settings.maxCost
        rampUp = settings.rampUp
        retry.maxAttempts = settings.retry.maxAttempts
        retry.baseDelay = settings.retry.baseDelay
        retry.maxDelay = settings.retry.maxDelay
        retry.itemDeadline = settings.retry.itemDeadline
        retry.maxRetryAfter = settings.retry.maxRetryAfter
        timeouts.connect = settings.timeouts.connect
        timeouts.firstToken = settings.timeouts.firstToken
        timeouts.idle = settings.timeouts.idle
        timeouts.total = settings.timeouts.total
        endpointLimits = settings.endpointLimits
        modelConcurrency = settings.modelConcurrency
        fallbacks = settings.fallbacks
        modelRequests = settings.modelRequests
        maxTokensFloors = settings.maxTokensFloors
        load = settings.load
        routing = settings.routing
        shard = settings.shard
        maxCacheAge = settings.maxCacheAge
        clientRegion = settings.clientRegion
    }
}

extension Plan {
    /// The plan `layers` make, most important first: each setting is the first layer's that
    /// sets it, else its default. `file` is the plan file the run names, if any.
    public static func resolve(_ layers: [PlanLayer], file: String? = nil) -> Plan {
        func first<T>(_ key: KeyPath<PlanLayer, T?>) -> T? {
            for layer in layers { if let value = layer[keyPath: key] { return value } }
            return nil
        }
        let defaults = Plan()
        let retry = RetryPolicy()
        let timeouts = RequestTimeouts()
        var settings = RunSettings(
            generation: Generation(maxTokens: first(\.maxTokens), temperature: first(\.temperature)),
            stream: first(\.stream) ?? true, cache: first(\.cache) ?? .use, maxCost: first(\.maxCost),
            rampUp: first(\.rampUp),
            endpointLimits: first(\.endpointLimits) ?? [:], modelConcurrency: first(\.modelConcurrency) ?? [:],
            fallbacks: first(\.fallbacks) ?? [:])
        settings.modelRequests = first(\.modelRequests)
        settings.maxTokensFloors = first(\.maxTokensFloors)
        // A load sends every request it schedules: the cache would answer some unsent. And
        // it is open-loop: `concurrency` only caps what may be in flight, generously.
        settings.load = first(\.load)
        settings.routing = first(\.routing)
        settings.shard = first(\.shard)
        settings.maxCacheAge = first(\.maxCacheAge)
        settings.clientRegion = first(\.clientRegion)
        if settings.load != nil { settings.cache = .off }
        settings.retry = RetryPolicy(
            maxAttempts: first(\.retry.maxAttempts) ?? retry.maxAttempts,
            baseDelay: first(\.retry.baseDelay) ?? retry.baseDelay,
            maxDelay: first(\.retry.maxDelay) ?? retry.maxDelay,
            itemDeadline: first(\.retry.itemDeadline) ?? retry.itemDeadline,
            maxRetryAfter: first(\.retry.maxRetryAfter) ?? retry.maxRetryAfter)
        settings.timeouts = RequestTimeouts(
            connect: first(\.timeouts.connect) ?? timeouts.connect,
            firstToken: first(\.timeouts.firstToken) ?? timeouts.firstToken,
            idle: first(\.timeouts.idle) ?? timeouts.idle, total: first(\.timeouts.total) ?? timeouts.total)
        return Plan(
            file: file, suites: first(\.suites) ?? [], models: first(\.models) ?? [],
            epochs: first(\.epochs) ?? defaults.epochs,
            concurrency: first(\.concurrency) ?? (settings.load != nil ? Plan.loadConcurrency : defaults.concurrency),
            settings: settings, catalog: first(\.catalog) ?? defaults.catalog,
            store: first(\.store) ?? defaults.store, reports: first(\.reports) ?? defaults.reports,
            baseURLs: first(\.baseURLs) ?? [:])
    }
}
