import ArgumentParser
import AssayConfig
import AssayCore
import AssayRunner

/// The flags of `assay run`; each overrides the plan key of the same meaning.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A plan file (plans/*.yaml); flags override its keys.", valueName: "file"))
    var plan: String?

    @Option(name: .customLong("suite"), help: ArgumentHelp("A suite directory (repeat for more).", valueName: "dir"))
    var suites: [String] = []

    @Option(name: .customLong("model"), help: ArgumentHelp("A model id or alias from the catalog (repeat for more).", valueName: "id"))
    var models: [String] = []

    @Option(
        name: .customLong("models-from"),
        help: ArgumentHelp(
            "Also run every model this routing policy sends items to, fallbacks included (repeatable): what `assay route` will need.",
            valueName: "policy"))
    var modelsFrom: [String] = []

    @Option(help: "How many times to ask each case (for pass@k and variance).")
    var epochs: Int?

    @Option(help: "The most requests in flight at once.")
    var concurrency: Int?

    @Option(name: .customLong("max-tokens"), help: "Overrides the suites' max_tokens.")
    var maxTokens: Int?

    @Option(help: "Overrides the suites' sampling temperature.")
    var temperature: Double?

    @Flag(name: .customLong("no-stream"), help: "Ask for whole responses instead of streams (no time to first token).")
    var noStream = false

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the response cache: send every request.")
    var noCache = false

    @Flag(help: "Send every request again and overwrite the cached answers.")
    var refresh = false

    @Option(
        name: .customLong("max-cost"),
        help: ArgumentHelp("Stop sending new requests when the spend (with what is in flight) would pass this many dollars.", valueName: "usd"))
    var maxCost: Double?

    @Option(
        name: .customLong("ramp-up"),
        help: ArgumentHelp(
            "Start the first --concurrency requests spread evenly over this many seconds, not all at once (gentler on endpoints that throttle bursts).",
            valueName: "seconds"))
    var rampUp: Double?

    @Option(help: ArgumentHelp("Finish an interrupted run (Ctrl-C, kill -9, a crash, a budget stop) without repeating a completed request.", valueName: "run"))
    var resume: String?

    @Option(help: ArgumentHelp("The catalog file.", valueName: "file"))
    var catalog: String?

    @Option(help: ArgumentHelp("The SQLite store.", valueName: "file"))
    var store: String?

    @Option(help: ArgumentHelp("Where reports/<run>/ go.", valueName: "dir"))
    var reports: String?

    @Flag(
        name: .customLong("unsafe-no-sandbox"),
        help: "When bubblewrap cannot start a sandbox, run model-written code unsandboxed anyway. Every report says so.")
    var unsafeNoSandbox = false

    @Option(
        name: .customLong("base-url"),
        help: ArgumentHelp("Point an endpoint elsewhere, as NAME=URL (repeatable).", valueName: "name=url"))
    var baseURLs: [String] = []

    /// The plan file (if any) with the flags applied.
    func resolvedPlan() throws(InputError) -> Plan {
        var plan = try plan.map { path throws(InputError) in try PlanFile.load(path) } ?? Plan()
        if !suites.isEmpty { plan.suites = suites }
        if !models.isEmpty { plan.models = models }
        if let epochs { plan.epochs = epochs }
        if let concurrency { plan.concurrency = concurrency }
        if let maxTokens { plan.settings.generation.maxTokens = maxTokens }
        if let temperature { plan.settings.generation.temperature = temperature }
        if noStream { plan.settings.stream = false }
        if noCache { plan.settings.cache = .off }
        if refresh { plan.settings.cache = .refresh }
        if let maxCost { plan.settings.maxCost = maxCost }
        if let rampUp { plan.settings.rampUp = rampUp }
        plan.unsafeNoSandbox = unsafeNoSandbox
        if let catalog { plan.catalog = catalog }
        if let store { plan.store = store }
        if let reports { plan.reports = reports }
        try applyBaseURLs(to: &plan)
        try addRoutedModels(to: &plan)
        let problems = plan.problems()
        if !problems.isEmpty { throw InputError(problems) }
        return plan
    }

    /// The plan of a stored run, for `--resume`: its suites, models, epochs and settings,
    /// with the flags that may change between sessions (store, reports, base URLs, a higher
    /// --max-cost) applied. Flags that would change what the run is are refused.
    func resumedPlan(_ manifest: RunManifest) throws(InputError) -> Plan {
        let changing = [
            ("--plan", plan != nil), ("--suite", !suites.isEmpty), ("--model", !models.isEmpty), ("--epochs", epochs != nil),
            ("--max-tokens", maxTokens != nil), ("--temperature", temperature != nil), ("--no-stream", noStream),
            ("--catalog", catalog != nil), ("--models-from", !modelsFrom.isEmpty),
        ].filter(\.1).map(\.0)
        if !changing.isEmpty {
            throw InputError("a resumed run keeps its plan: drop \(changing.joined(separator: ", "))")
        }
        var plan = Plan(
            file: manifest.plan, suites: manifest.suites.map(\.path), models: manifest.models, epochs: manifest.epochs,
            concurrency: concurrency ?? manifest.concurrency, settings: manifest.settings ?? RunSettings())
        if let store { plan.store = store }
        if let reports { plan.reports = reports }
        if let maxCost { plan.settings.maxCost = maxCost }
        if let rampUp { plan.settings.rampUp = rampUp }
        if noCache { plan.settings.cache = .off }
        try applyBaseURLs(to: &plan)
        let problems = plan.problems()
        if !problems.isEmpty { throw InputError(problems) }
        return plan
    }

    private func addRoutedModels(to plan: inout Plan) throws(InputError) {
        guard !modelsFrom.isEmpty else { return }
        let catalog = try CatalogFile.load(plan.catalog)
        for path in modelsFrom {
            for rule in try RoutingPolicyFile.load(path, catalog: catalog).rules {
                for model in [rule.model] + (rule.fallback.map { [$0.model] } ?? []) where !plan.models.contains(model) {
                    plan.models.append(model)
                }
            }
        }
    }

    private func applyBaseURLs(to plan: inout Plan) throws(InputError) {
        for pair in baseURLs {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].hasPrefix("http://") || parts[1].hasPrefix("https://") else {
                throw InputError(file: "--base-url", "'\(pair)' should be NAME=URL, such as local=http://127.0.0.1:8080/v1")
            }
            plan.baseURLs[parts[0]] = parts[1]
        }
    }
}
