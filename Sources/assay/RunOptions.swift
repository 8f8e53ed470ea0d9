import ArgumentParser
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

    @Flag(name: .customLong("no-cache"), help: "Send every request, even when the store has the answer to an identical one.")
    var noCache = false

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
        if let maxTokens { plan.generation.maxTokens = maxTokens }
        if let temperature { plan.generation.temperature = temperature }
        if noStream { plan.stream = false }
        if noCache { plan.useCache = false }
        plan.unsafeNoSandbox = unsafeNoSandbox
        if let catalog { plan.catalog = catalog }
        if let store { plan.store = store }
        if let reports { plan.reports = reports }
        for pair in baseURLs {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].hasPrefix("http://") || parts[1].hasPrefix("https://") else {
                throw InputError(file: "--base-url", "'\(pair)' should be NAME=URL, such as local=http://127.0.0.1:8080/v1")
            }
            plan.baseURLs[parts[0]] = parts[1]
        }
        let problems = plan.problems()
        if !problems.isEmpty { throw InputError(problems) }
        return plan
    }
}
