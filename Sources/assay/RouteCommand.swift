import ArgumentParser
import AssayAnalysis
import AssayConfig
import AssayCore
import AssayReports
import AssayRuns
import AssayStore
import SystemPackage

struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Play routing policies (routing/*.yaml) over a run's stored answers.",
        discussion: """
            A routing policy is a list of rules; the first rule that matches an item (by suite,
            kind or tags) sends it to a model, with an optional fallback model when the answer
            failed, was invalid, or came slower than a limit. These commands compute what a policy
            would have given on a run, from the answers the run stored: no new requests.

            Examples:
              assay route simulate routing/cheap-first.yaml --run latest
              assay route compare routing/flash-with-failover.yaml routing/cheap-first.yaml --run latest --policy gates/routing.yaml
            """,
        subcommands: [Simulate.self, Compare.self]
    )

    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A policy's expected score per suite, cost per 1,000 requests, latency, and rule counts.",
            discussion: """
                Every model the policy routes to (fallbacks too) must have answered every suite it
                is routed: a missing one is an error (exit 2) that names it, so that you add it to
                the run rather than read a number made of nothing.

                Example:
                  assay route simulate routing/cheap-first.yaml --run latest
                  assay route simulate routing/cheap-first.yaml --run latest --json > route.json
                """
        )

        @Argument(help: ArgumentHelp("The routing policy (routing/*.yaml).", valueName: "policy"))
        var policy: String

        @OptionGroup var source: RouteSource

        @Flag(help: "Print JSON (schema assay.route/1) instead of tables.")
        var json = false

        func run() async throws {
            try await withExitStatus(readingStore: true) {
                let stored = try await source.load()
                let route = try stored.simulate(policy, traffic: try source.mix())
                print(
                    json ? RouteReport.json(route) : RouteReport.text([route], run: stored.manifest.id), terminator: "")
            }
        }
    }

    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Two policies side by side on the same run, gated by the same rules as `assay gate`.",
            discussion: """
                Simulates CURRENT and CANDIDATE on the run's stored answers, prints them side by
                side, and compares the candidate's routed answers with the current one's item by
                item (as `assay compare`). With --policy, the gate's rules judge the candidate:
                exit 1 when one fails. index.html, comparison.json, summary.md (and with --policy,
                junit.xml) go to --out.

                Example:
                  assay route compare routing/flash-with-failover.yaml routing/cheap-first.yaml \\
                      --run latest --policy gates/routing.yaml --out reports/ci/gate
                """
        )

        @Argument(help: ArgumentHelp("The policy in production now.", valueName: "current"))
        var current: String

        @Argument(help: ArgumentHelp("The policy that would replace it.", valueName: "candidate"))
        var candidate: String

        @OptionGroup var source: RouteSource

        @Option(help: ArgumentHelp("A gate policy (gates/*.yaml) the candidate must pass.", valueName: "file"))
        var policy: String?

        @Option(
            help: ArgumentHelp("Where the files go (default: reports/compare/CURRENT_vs_CANDIDATE).", valueName: "dir"))
        var out: String?

        func run() async throws {
            try await withExitStatus(readingStore: true) {
                let gate = try policy.map { path throws(InputError) in try GatePolicyFile.load(path) }
                let stored = try await source.load(inputRatio: gate?.assumeInputRatio)
                let traffic = try source.mix() ?? gate?.traffic
                var routes = [
                    try stored.simulate(current, traffic: traffic), try stored.simulate(candidate, traffic: traffic),
                ]
                if routes[0].policy == routes[1].policy {
                    // Two versions of one policy (as in CI): tell them apart.
                    routes[0].rename("\(routes[0].policy) (current)")
                    routes[1].rename("\(routes[1].policy) (candidate)")
                }
                var comparison = Comparison.compute(base: routes[0].side, candidate: routes[1].side, traffic: traffic)
                comparison.costAssumption = stored.costAssumption
                let verdicts = try gate.map { policy throws(InputError) in try Gate.evaluate(policy, comparison) }
                let directory = out ?? "reports/compare/" + StoredRuns.slug([routes[0].policy, routes[1].policy])
                try ComparisonFiles.write(comparison, verdicts: verdicts, routes: routes, to: directory)
                print(RouteReport.text(routes, run: stored.manifest.id))
                print(ComparisonTable.render(comparison))
                await DecisionKeeping.keep(
                    ComparisonFiles.decision(
                        comparison, kind: .route,
                        naming: [stored.manifest.id, routes[0].policy, routes[1].policy]
                            + (policy.map { [FilePath($0).stem ?? $0] } ?? []),
                        runs: [stored.manifest.id], verdicts: verdicts, routes: routes),
                    in: source.store)
                if let verdicts, let policy {
                    try GateVerdicts.report(verdicts, policy: policy, directory: directory)
                } else {
                    print("files: \(directory)/index.html, summary.md, comparison.json")
                }
            }
        }
    }
}

/// The run a policy is played over.
struct RouteSource: ParsableArguments {
    @Option(
        help: ArgumentHelp("The run whose stored answers the policy is played over (or 'latest').", valueName: "run"))
    var run: String

    @Option(help: ArgumentHelp("The store: a SQLite file, or a postgres:// URL.", valueName: "file|url"))
    var store = Store.defaultPath

    @OptionGroup var weights: TrafficOption

    @OptionGroup var costs: CostAssumptionOption

    func mix() throws(InputError) -> TrafficMix? { try weights.mix() }

    struct Loaded {
        var manifest: RunManifest
        var results: [String: [ItemKey: ItemRecord]]
        /// The input price assumed for models with none quoted, in words.
        var costAssumption: String?

        /// A policy file, its models resolved through the run's own catalog, played over the run.
        func simulate(_ path: String, traffic: TrafficMix? = nil) throws(InputError) -> RouteSimulation {
            let policy = try RoutingPolicyFile.load(path, catalog: manifest.catalog)
            return try RouteSimulation.simulate(policy, manifest: manifest, results: results, traffic: traffic)
        }
    }

    /// `inputRatio`: a gate policy's stated input-price assumption, under the flag's.
    func load(inputRatio: Double? = nil) async throws -> Loaded {
        let store = try await StoredRuns.open(store)
        let manifest = try await StoredRuns.manifest(run, in: store)
        let ratio = try costs.ratio(or: inputRatio)
        let results = try await RouteSimulation.results(of: manifest, from: store, inputRatio: ratio)
        return Loaded(
            manifest: manifest, results: results,
            costAssumption: ratio.map { Repricing.assumingInput(ratio: $0, for: manifest.catalog).assumption } ?? nil)
    }
}
