import ArgumentParser
import AssayConfig
import AssayCore
import AssayRunner
import AssayStore

/// The flags of `assay run`; each overrides the plan key of the same meaning.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A plan file (plans/*.yaml); flags override its keys.", valueName: "file"))
    var plan: String?

    @Option(
        name: .customLong("suite"),
        help: ArgumentHelp(
            "A suite directory, or a folder of suites (every one below it; repeat for more).", valueName: "dir"))
    var suites: [String] = []

    @Option(
        name: .customLong("model"),
        help: ArgumentHelp("A model id or alias from the catalog (repeat for more).", valueName: "id"))
    var models: [String] = []

    @Option(
        name: .customLong("models-from"),
        help: ArgumentHelp(
            "Also run every model this routing policy sends items to, fallbacks included (repeatable): what `assay route` will need.",
            valueName: "policy"))
    var modelsFrom: [String] = []

    @Option(
        help: ArgumentHelp(
            "Route as production does: each case goes only to the model the policy's first matching rule picks (its models are added), failing over to the rule's fallback on errors and on its window (error_rate_over, p99_over_ms). Answer-based escalation (invalid, off_label) is judged by `assay route simulate`. With --rate, a load test of the policy.",
            valueName: "policy"))
    var route: String?

    @Option(help: "How many times to ask each case (for pass@k and variance).")
    var epochs: Int?

    @Option(
        help: ArgumentHelp(
            "The most requests in flight at once; a range (1..128) sweeps it: the plan runs at each level (doubling, or --steps levels), each a run of its own, and the knee is named.",
            valueName: "n|low..high"))
    var concurrency: String?

    @Option(
        help: ArgumentHelp(
            "Levels of a --rate or --concurrency range (default: 5 rates; concurrency doubles).", valueName: "n"))
    var steps: Int?

    @Option(
        help: ArgumentHelp(
            "The service level a sweep's knee is judged by, such as \"p99<=800ms,availability>=99.9%\" (also p50<=, ttft_p99<=, itl_p99<=, errors<=, p99<=x2). Default: p99 at most twice the first level's, availability at least 99.9%.",
            valueName: "limits"))
    var sla: String?

    @Option(
        help: ArgumentHelp(
            "Requests sent before each sweep level and thrown away (default: one per slot, or one second at the rate; 5 to 200).",
            valueName: "n"))
    var warmup: Int?

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
        name: .customLong("max-cache-age"),
        help: ArgumentHelp(
            "Replay cached answers only this old (7d, 12h, 30m); an older one is asked again and the cache refreshed (a vendor may have changed the model since).",
            valueName: "age"))
    var maxCacheAge: String?

    @Option(
        name: .customLong("max-cost"),
        help: ArgumentHelp(
            "Stop sending new requests when the spend (with what is in flight) would pass this many dollars.",
            valueName: "usd"))
    var maxCost: Double?

    @Option(
        name: .customLong("ramp-up"),
        help: ArgumentHelp(
            "Start the first --concurrency requests spread evenly over this many seconds, not all at once (gentler on endpoints that throttle bursts).",
            valueName: "seconds"))
    var rampUp: Double?

    @Option(
        help: ArgumentHelp(
            "Open-loop load: start requests at this rate (50/s, 3000/min) whether or not earlier ones were answered, and report the rate achieved, the backlog and the latency under that load. Sends every request (no cache); --concurrency then only caps what is in flight (default 1024). A range (10/s..200/s) sweeps the rate: --steps levels (5 by default), evenly spaced, and the knee is named.",
            valueName: "rate"))
    var rate: String?

    @Option(
        help: ArgumentHelp(
            #"How an open-loop load's requests arrive. At --rate: constant (evenly spaced, the default) or poisson. At their own rate (a --rate given must agree): burst:20/5s (20 at once every 5 s), ramp:10/s..100/s (the rate moving linearly over --duration, or over --requests). replay:FILE replays a recorded log's times (JSON Lines of {"t": seconds} or {"time": "ISO 8601"}, or a number of seconds per line), scaled to --rate when one is given."#,
            valueName: "shape"),
        transform: { text throws in
            guard let arrivals = try LoadProfile.Arrivals.read(text) else {
                throw ValidationError("write \(LoadProfile.Arrivals.forms)")
            }
            return arrivals
        })
    var arrivals: LoadProfile.Arrivals?

    @Option(
        help: ArgumentHelp(
            "With --rate (or a burst, ramp or replay): how many requests (the plan's items are sent again, as further epochs, until there are enough). Default: one pass over the plan. In a sweep: the requests measured at each level.",
            valueName: "n"))
    var requests: Int?

    @Option(
        help: ArgumentHelp(
            "With --rate (or a burst, ramp or replay): for how long (30s, 2m): rate x duration requests.",
            valueName: "duration"))
    var duration: String?

    @Option(
        help: ArgumentHelp(
            "Run one static shard of the items (2/8: the second of eight), for a CI matrix: items go to shards by a stable hash of suite, case, model and epoch. The shards share a run id (--run-id, or one derived from the plan and the commit); `assay merge` joins their stores.",
            valueName: "k/n"))
    var shard: String?

    @Option(
        name: .customLong("run-id"),
        help: ArgumentHelp(
            "The new run's id (letters, digits, '.', '_', '-'); shards of one run share it.", valueName: "id"))
    var runID: String?

    @Option(
        help: ArgumentHelp(
            "Finish an interrupted run (Ctrl-C, kill -9, a crash, a budget stop) without repeating a completed request.",
            valueName: "run"))
    var resume: String?

    @Option(
        help: ArgumentHelp(
            "What to call this run on reports and the published site (\"before V4 upgrade\"); `assay label RUN` changes it later.",
            valueName: "text"))
    var label: String?

    @Option(help: ArgumentHelp("A note kept with the label: why the run was made.", valueName: "text"))
    var note: String?

    @Option(
        name: .customLong("client-region"),
        help: ArgumentHelp(
            "Where this client stands (eu-west, cn-east): stored with each result; reports split latency by it. A joining worker gives its own.",
            valueName: "label"))
    var clientRegion: String?

    @Option(help: ArgumentHelp("The catalog file.", valueName: "file"))
    var catalog: String?

    @Option(
        help: ArgumentHelp(
            "Where results go: a SQLite file, or a PostgreSQL database that workers on many machines share (postgres://user:password@host:5432/db).",
            valueName: "file|url"))
    var store: String?

    @Option(
        help: ArgumentHelp(
            "Work on a run in a shared store (--store postgres://…) beside the workers already on it: claim its pending items until none is left. Start the run with a plain `assay run --store postgres://… --run-id ID`.",
            valueName: "run"))
    var join: String?

    @Option(
        name: .customLong("join-timeout"),
        help: ArgumentHelp(
            "With --join: seconds to wait for the run to appear, for a worker that starts before the one that creates it (a CI matrix starts them together). Default 300; 0 does not wait.",
            valueName: "seconds"))
    var joinTimeout: Double?

    @Option(
        help: ArgumentHelp(
            "With a shared store: seconds an item this worker claimed stays its own without renewal (renewed every third of it). A worker that dies gives its items back after this long. Default 30.",
            valueName: "seconds"))
    var lease: Double?

    @Option(help: ArgumentHelp("Where reports/<run>/ go.", valueName: "dir"))
    var reports: String?

    @Flag(
        name: .customLong("unsafe-no-sandbox"),
        help: "When bubblewrap cannot start a sandbox, run model-written code unsandboxed anyway. Every report says so."
    )
    var unsafeNoSandbox = false

    @Option(
        name: .customLong("base-url"),
        help: ArgumentHelp("Point an endpoint elsewhere, as NAME=URL (repeatable).", valueName: "name=url"))
    var baseURLs: [String] = []

    /// The flags as a layer over the plan file's keys (`Plan.resolve` decides each setting).
    var layer: PlanLayer {
        var layer = PlanLayer()
        layer.suites = suites.isEmpty ? nil : suites
        layer.models = models.isEmpty ? nil : models
        layer.epochs = epochs
        layer.concurrency = concurrency.flatMap { Int($0) }
        layer.maxTokens = maxTokens
        layer.temperature = temperature
        layer.stream = noStream ? false : nil
        layer.cache = noCache ? .off : refresh ? .refresh : nil
        layer.maxCacheAge = maxCacheAge.flatMap(LoadProfile.parseDuration)
        layer.clientRegion = clientRegion
        layer.maxCost = maxCost
        layer.rampUp = rampUp
        layer.load = load
        layer.shard = shard.flatMap(Shard.init(parsing:))
        layer.catalog = catalog
        layer.store = store
        layer.reports = reports
        return layer
    }

    /// `--rate` and its companions as a load profile (checked in `validate`): a burst, ramp or
    /// replay needs no `--rate`.
    var load: LoadProfile? {
        // A range sweeps the rate: each level's load is the sweep's to make.
        if let rate, rate.contains("..") { return nil }
        guard let perSecond = rate.flatMap(LoadProfile.parseRate) ?? arrivals?.ownPerSecond else { return nil }
        return LoadProfile(
            perSecond: perSecond, arrivals: arrivals ?? .constant, requests: requests,
            durationSeconds: duration.flatMap(LoadProfile.parseDuration))
    }

    /// `--concurrency LOW..HIGH` or `--rate LOW..HIGH` as a sweep; nil for a run at one level.
    func sweep() throws(SweepError) -> Sweep? {
        let sla = try sla.map { text throws(SweepError) in try SweepSLA.parse(text) } ?? SweepSLA()
        if let concurrency, let levels = try Sweep.concurrencyLevels(concurrency, steps: steps) {
            if rate != nil {
                throw SweepError("sweep one thing at a time: --concurrency \(concurrency) or --rate, not both")
            }
            return Sweep(dimension: .concurrency, levels: levels, warmup: warmup, requests: requests, sla: sla)
        }
        if let rate, let levels = try Sweep.rateLevels(rate, steps: steps) {
            return Sweep(dimension: .rate, levels: levels, warmup: warmup, requests: requests, sla: sla)
        }
        return nil
    }

    func validate() throws {
        let sweep: Sweep?
        do throws(SweepError) {
            sweep = try self.sweep()
        } catch {
            throw ValidationError(error.description)
        }
        if sweep == nil,
            let flag = [("--steps", steps != nil), ("--sla", sla != nil), ("--warmup", warmup != nil)]
                .first(where: \.1)
        {
            throw ValidationError(
                "\(flag.0) shapes a sweep: give --concurrency LOW..HIGH or --rate LOW..HIGH (say --concurrency 1..64)")
        }
        if sweep != nil, let runID, runID.count > 120 {
            throw ValidationError(
                "--run-id names a sweep whose levels are RUN-ID-1, -2, ...: give at most 120 characters")
        }
        if sweep != nil, resume != nil || join != nil || shard != nil || route != nil {
            throw ValidationError("a sweep is a series of new runs: drop --resume, --join, --shard and --route")
        }
        try validateLoad(sweep: sweep)
        try validateRunIdentity()
    }

    /// The load's flags: concurrency, rate, arrivals, how many requests or how long.
    private func validateLoad(sweep: Sweep?) throws {
        if let concurrency, sweep?.dimension != .concurrency, Int(concurrency) == nil {
            throw ValidationError(
                "--concurrency '\(concurrency)' is not a number of requests (or a range such as 1..128)")
        }
        if let rate, sweep == nil, LoadProfile.parseRate(rate) == nil {
            throw ValidationError("--rate '\(rate)' is not a rate: write it as 50/s, 3000/min or 2.5")
        }
        if let maxCacheAge, LoadProfile.parseDuration(maxCacheAge) == nil {
            throw ValidationError("--max-cache-age '\(maxCacheAge)' is not an age: write it as 7d, 12h, 30m or 3600s")
        }
        if let duration, LoadProfile.parseDuration(duration) == nil {
            throw ValidationError("--duration '\(duration)' is not a duration: write it as 30s, 2m or 90")
        }
        if rate == nil, arrivals?.ownPerSecond == nil, sweep == nil || arrivals != nil || duration != nil,
            let flag = [
                ("--arrivals", arrivals != nil), ("--requests", requests != nil), ("--duration", duration != nil),
            ].first(where: \.1)
        {
            throw ValidationError("\(flag.0) shapes an open-loop load: give --rate too (say --rate 50/s)")
        }
        if let arrivals, let perSecond = rate.flatMap(LoadProfile.parseRate),
            let contradiction = arrivals.contradiction(rate: perSecond)
        {
            throw ValidationError(
                "--rate and --arrivals disagree: \(contradiction); drop --rate (the shape sets it) or make them agree")
        }
        if requests != nil && duration != nil { throw ValidationError("give --requests or --duration, not both") }
    }

    /// Which run this is: a new one (its id, label, shard), one resumed or one joined.
    private func validateRunIdentity() throws {
        if let shard, Shard(parsing: shard) == nil {
            throw ValidationError(
                "--shard '\(shard)' is not a shard: write it as K/N, such as 2/8 (the second of eight)")
        }
        if let runID, !RunManifest.isSafeID(runID) {
            throw ValidationError(
                "--run-id '\(runID.prefix(80))' is not a run id: letters, digits, '.', '_' and '-' only, at most 128")
        }
        if resume != nil, runID != nil { throw ValidationError("--resume names the run already: drop --run-id") }
        try RunLabelCheck.check(label: label, note: note, labelFlag: "--label")
        if label != nil, resume != nil || join != nil {
            throw ValidationError("--label names a new run: label a stored one with `assay label RUN TEXT`")
        }
        if let joinTimeout {
            if join == nil {
                throw ValidationError("--join-timeout is how long --join waits for its run: give --join RUN")
            }
            if !joinTimeout.isFinite || joinTimeout < 0 {
                throw ValidationError("--join-timeout must be 0 or more seconds")
            }
        }
        if join != nil {
            if resume != nil { throw ValidationError("give --join or --resume, not both") }
            if runID != nil { throw ValidationError("--join names the run already: drop --run-id") }
            if maxCost != nil {
                throw ValidationError(
                    "--join: the run's budget is in the store, set when it started (or by --resume --max-cost): drop --max-cost"
                )
            }
            guard let store, StoreLocation.isPostgres(store) else {
                throw ValidationError("--join works on a shared store: give --store postgres://user@host:5432/db")
            }
        }
        if let lease, !(lease >= 1) { throw ValidationError("--lease \(lease): give at least 1 second") }
    }

    /// The plan file (if any) with the flags over it.
    func resolvedPlan() throws(InputError) -> Plan {
        let file = try plan.map { path throws(InputError) in try PlanFile.layer(path) }
        var resolved = Plan.resolve([layer] + (file.map { [$0] } ?? []), file: plan)
        resolved.unsafeNoSandbox = unsafeNoSandbox
        try applyBaseURLs(to: &resolved)
        try addRoutedModels(to: &resolved)
        try applyRoute(to: &resolved)
        let problems = resolved.problems()
        if !problems.isEmpty { throw InputError(problems) }
        return resolved
    }

    /// The plan of a stored run, for `--resume` and `--join`: what it was started with, under the flags that
    /// may change between sessions (store, reports, base URLs, concurrency, ramp-up, cache, a
    /// higher --max-cost). Flags that would change what the run is are refused.
    func resumedPlan(_ manifest: RunManifest) throws(InputError) -> Plan {
        let changing = [
            ("--plan", plan != nil), ("--suite", !suites.isEmpty), ("--model", !models.isEmpty),
            ("--epochs", epochs != nil),
            ("--max-tokens", maxTokens != nil), ("--temperature", temperature != nil), ("--no-stream", noStream),
            ("--catalog", catalog != nil), ("--models-from", !modelsFrom.isEmpty), ("--rate", rate != nil),
            ("--arrivals", arrivals != nil),
            ("--route", route != nil), ("--shard", shard != nil),
        ].filter(\.1).map(\.0)
        if !changing.isEmpty {
            let who =
                join != nil ? "a joining worker takes the run's plan from the store" : "a resumed run keeps its plan"
            throw InputError("\(who): drop \(changing.joined(separator: ", "))")
        }
        var resolved = Plan.resolve([layer, PlanLayer(stored: manifest)], file: manifest.plan)
        // A joining worker stands where it stands: the starter's region is not its own.
        if join != nil { resolved.settings.clientRegion = clientRegion }
        try applyBaseURLs(to: &resolved)
        let problems = resolved.problems()
        if !problems.isEmpty { throw InputError(problems) }
        return resolved
    }

    private func addRoutedModels(to plan: inout Plan) throws(InputError) {
        guard !modelsFrom.isEmpty else { return }
        let catalog = try CatalogFile.load(plan.catalog)
        for path in modelsFrom {
            for rule in try RoutingPolicyFile.load(path, catalog: catalog).rules {
                for model in [rule.model] + (rule.fallback.map { [$0.model] } ?? []) where !plan.models.contains(model)
                {
                    plan.models.append(model)
                }
            }
        }
    }

    /// `--route`: the policy's primary models join the run, each rule's fallback becomes the
    /// primary's live fallback (on errors, and on its window), and the run asks each case of
    /// the model its rule picks only.
    private func applyRoute(to plan: inout Plan) throws(InputError) {
        guard let route else { return }
        let catalog = try CatalogFile.load(plan.catalog)
        let policy = try RoutingPolicyFile.load(route, catalog: catalog)
        var problems: [Diagnostic] = []
        for rule in policy.rules {
            if !plan.models.contains(rule.model) { plan.models.append(rule.model) }
            guard let fallback = rule.fallback else { continue }
            let window = fallback.window
            let live = FallbackRule(
                model: fallback.model, onError: fallback.onError, errorRate: window?.errorRateOver,
                p99Ms: window?.p99OverMs, window: window?.window ?? 50,
                minRequests: window?.minRequests)
            if let other = plan.settings.fallbacks[rule.model], other != live {
                problems.append(
                    Diagnostic(
                        file: route,
                        "rule '\(rule.name)': \(rule.model) already fails over differently (another rule or the plan's fallbacks)"
                    ))
            }
            plan.settings.fallbacks[rule.model] = live
        }
        if !problems.isEmpty { throw InputError(problems) }
        plan.settings.routing = policy
    }

    private func applyBaseURLs(to plan: inout Plan) throws(InputError) {
        for pair in baseURLs {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].hasPrefix("http://") || parts[1].hasPrefix("https://")
            else {
                throw InputError(
                    file: "--base-url", "'\(pair)' should be NAME=URL, such as local=http://127.0.0.1:8080/v1")
            }
            plan.baseURLs[parts[0]] = parts[1]
        }
    }
}
