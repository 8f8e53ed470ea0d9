import AssayCore

/// What to run: suites x models x epochs, how hard to push, and where results go.
/// Read from `plans/*.yaml`; CLI flags override its keys.
public struct Plan: Sendable, Hashable {
    /// The plan file it came from; nil when given by flags only.
    public var file: String?
    /// Suite directories.
    public var suites: [String]
    /// Model ids or aliases, as in the catalog.
    public var models: [String]
    public var epochs: Int
    /// The most requests in flight at once.
    public var concurrency: Int
    /// Overrides the suites' own generation settings where set.
    public var generation: Generation
    public var stream: Bool
    public var catalog: String
    public var store: String
    public var reports: String
    /// Base URL overrides by endpoint name (for a local server on another port, say).
    public var baseURLs: [String: String]
    /// Serve identical requests from the response cache.
    public var useCache: Bool
    /// Run model-written code without a sandbox when bubblewrap cannot start one. A CLI
    /// flag only (`--unsafe-no-sandbox`), never a plan key: it must be said each time.
    public var unsafeNoSandbox = false

    public init(
        file: String? = nil, suites: [String] = [], models: [String] = [], epochs: Int = 1, concurrency: Int = 8,
        generation: Generation = Generation(), stream: Bool = true, catalog: String = "catalog/models.yaml",
        store: String = ".assay/assay.sqlite", reports: String = "reports", baseURLs: [String: String] = [:],
        useCache: Bool = true
    ) {
        self.file = file
        self.suites = suites
        self.models = models
        self.epochs = epochs
        self.concurrency = concurrency
        self.generation = generation
        self.stream = stream
        self.catalog = catalog
        self.store = store
        self.reports = reports
        self.baseURLs = baseURLs
        self.useCache = useCache
    }

    /// Problems a plan can have whatever file it came from.
    public func problems() -> [Diagnostic] {
        let where_ = file ?? "assay run"
        var problems: [Diagnostic] = []
        if suites.isEmpty { problems.append(Diagnostic(file: where_, "no suites: give --suite DIR or 'suites:' in a plan")) }
        if models.isEmpty { problems.append(Diagnostic(file: where_, "no models: give --model ID or 'models:' in a plan")) }
        if epochs < 1 { problems.append(Diagnostic(file: where_, "epochs must be 1 or more")) }
        if concurrency < 1 { problems.append(Diagnostic(file: where_, "concurrency must be 1 or more")) }
        return problems
    }
}
