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
    /// The most items in flight at once (endpoints and models may allow fewer).
    public var concurrency: Int
    /// How requests are made: generation, streaming, cache, budget, retries, timeouts,
    /// limits, fallbacks. Stored with the run, for `--resume`.
    public var settings: RunSettings
    public var catalog: String
    public var store: String
    public var reports: String
    /// Base URL overrides by endpoint name (for a local server on another port, say).
    public var baseURLs: [String: String]
    /// Run model-written code without a sandbox when bubblewrap cannot start one. A CLI
    /// flag only (`--unsafe-no-sandbox`), never a plan key: it must be said each time.
    public var unsafeNoSandbox = false

    public init(
        file: String? = nil, suites: [String] = [], models: [String] = [], epochs: Int = 1, concurrency: Int = 8,
        settings: RunSettings = RunSettings(), catalog: String = "catalog/models.yaml", store: String = ".assay/assay.sqlite",
        reports: String = "reports", baseURLs: [String: String] = [:]
    ) {
        self.file = file
        self.suites = suites
        self.models = models
        self.epochs = epochs
        self.concurrency = concurrency
        self.settings = settings
        self.catalog = catalog
        self.store = store
        self.reports = reports
        self.baseURLs = baseURLs
    }

    /// Problems a plan can have whatever file it came from.
    public func problems() -> [Diagnostic] {
        let where_ = file ?? "assay run"
        var problems: [Diagnostic] = []
        if suites.isEmpty { problems.append(Diagnostic(file: where_, "no suites: give --suite DIR or 'suites:' in a plan")) }
        if models.isEmpty { problems.append(Diagnostic(file: where_, "no models: give --model ID or 'models:' in a plan")) }
        if epochs < 1 { problems.append(Diagnostic(file: where_, "epochs must be 1 or more")) }
        if concurrency < 1 { problems.append(Diagnostic(file: where_, "concurrency must be 1 or more")) }
        if let cap = settings.maxCost, !(cap > 0) { problems.append(Diagnostic(file: where_, "max_cost must be above 0")) }
        if let ramp = settings.rampUp, !(ramp >= 0 && ramp <= 3600) {
            problems.append(Diagnostic(file: where_, "ramp_up must be from 0 to 3600 seconds"))
        }
        if settings.retry.maxAttempts < 1 { problems.append(Diagnostic(file: where_, "retry.max_attempts must be 1 or more")) }
        let timeouts = settings.timeouts
        if [timeouts.connect, timeouts.firstToken, timeouts.idle, timeouts.total].contains(where: { !($0 > 0) }) {
            problems.append(Diagnostic(file: where_, "timeouts must be above 0 seconds"))
        }
        for (model, rule) in settings.fallbacks.sorted(by: { $0.key < $1.key }) {
            if let rate = rule.errorRate, !(0...1).contains(rate) {
                problems.append(Diagnostic(file: where_, "fallback of '\(model)': error_rate must be from 0 to 1"))
            }
            if rule.window < 1 { problems.append(Diagnostic(file: where_, "fallback of '\(model)': window must be 1 or more")) }
        }
        return problems
    }
}
