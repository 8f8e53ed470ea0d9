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
        settings: RunSettings = RunSettings(), catalog: String = "catalog/models.yaml",
        store: String = ".assay/assay.sqlite",
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

    /// Problems a plan can have whatever file it came from: missing parts and every number out
    /// of its range (a huge epoch count or timeout would trap when converted, a NaN would
    /// reach the store). `lineOf` finds the line of a dotted key (`timeouts.total`) in the plan
    /// file, when there is one. One function on purpose (64 lines): a flat list, one range
    /// check per key, where every key's bounds are read in one place.
    public func problems(lineOf: (String) -> Int? = { _ in nil }) -> [Diagnostic] {
        let where_ = file ?? "assay run"
        var problems: [Diagnostic] = []
        func check(_ key: String, _ holds: Bool, _ message: String) {
            if !holds {
                problems.append(Diagnostic(file: where_, line: file == nil ? nil : lineOf(key), "\(key) \(message)"))
            }
        }
        func check(_ key: String, _ value: Double?, in range: ClosedRange<Double>, unit: String = "") {
            guard let value else { return }
            check(
                key, value.isFinite && range.contains(value),
                "must be from \(Self.number(range.lowerBound)) to \(Self.number(range.upperBound))\(unit)")
        }
        if suites.isEmpty {
            problems.append(Diagnostic(file: where_, "no suites: give --suite DIR or 'suites:' in a plan"))
        }
        if models.isEmpty {
            problems.append(Diagnostic(file: where_, "no models: give --model ID or 'models:' in a plan"))
        }
        check("epochs", Double(epochs), in: 1...Double(Self.maxEpochs))
        check("concurrency", Double(concurrency), in: 1...10_000)
        if let cap = settings.maxCost {
            check("max_cost", cap.isFinite && cap > 0 && cap < 1e9, "must be above 0 and below 1e9")
        }
        check("ramp_up", settings.rampUp, in: 0...3600, unit: " seconds")
        check("generation.max_tokens", settings.generation.maxTokens.map(Double.init), in: 1...10_000_000)
        check("generation.temperature", settings.generation.temperature, in: 0...2)
        let retry = settings.retry
        check("retry.max_attempts", Double(retry.maxAttempts), in: 1...100)
        check("retry.base_delay", retry.baseDelay, in: 0...3600, unit: " seconds")
        check("retry.max_delay", retry.maxDelay, in: 0...86_400, unit: " seconds")
        check("retry.item_deadline", retry.itemDeadline, in: 1...604_800, unit: " seconds")
        check("retry.max_retry_after", retry.maxRetryAfter, in: 0...86_400, unit: " seconds")
        let timeouts = settings.timeouts
        for (key, value) in [
            ("connect", timeouts.connect), ("first_token", timeouts.firstToken), ("idle", timeouts.idle),
            ("total", timeouts.total),
        ] {
            check(
                "timeouts.\(key)", value.isFinite && value > 0 && value <= 86_400,
                "must be above 0 and at most 86400 seconds")
        }
        for (name, limits) in settings.endpointLimits.sorted(by: { $0.key < $1.key }) {
            check("limits.endpoints.\(name).concurrency", limits.concurrency.map(Double.init), in: 1...100_000)
            check("limits.endpoints.\(name).requests_per_minute", limits.requestsPerMinute, in: 0.001...1e9)
            check("limits.endpoints.\(name).tokens_per_minute", limits.tokensPerMinute, in: 1...1e12)
            check("limits.endpoints.\(name).burst_seconds", limits.burstSeconds, in: 0.01...60)
        }
        for (model, value) in settings.modelConcurrency.sorted(by: { $0.key < $1.key }) {
            check("limits.models.\(model)", Double(value), in: 1...100_000)
        }
        for (model, rule) in settings.fallbacks.sorted(by: { $0.key < $1.key }) {
            check("fallbacks.\(model).error_rate", rule.errorRate, in: 0...1)
            check("fallbacks.\(model).window", Double(rule.window), in: 1...1_000_000)
            check("fallbacks.\(model).p99_ms", rule.p99Ms, in: 1...86_400_000, unit: " ms")
        }
        if let load = settings.load {
            check("load.rate", load.perSecond, in: 0.001...100_000, unit: " requests per second")
            check("load.requests", load.requests.map(Double.init), in: 1...10_000_000)
            check("load.duration", load.durationSeconds, in: 0.001...604_800, unit: " seconds")
            check("load", load.requests == nil || load.durationSeconds == nil, "takes requests or a duration, not both")
        }
        return problems
    }

    /// The most epochs a run may have.
    public static let maxEpochs = 100_000
    /// The most requests in flight under an open-loop load (`--rate`) unless `concurrency`
    /// says otherwise: enough that the schedule, not a slot, decides when a request starts.
    public static let loadConcurrency = 1024

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
