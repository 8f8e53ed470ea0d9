import ArgumentParser
import AssayAnalysis
import AssayCore
import AssayReports
import AssayStore

struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two runs, or two models of one run, item by item.",
        discussion: """
            Pairs the items of BASE and CANDIDATE (same suite, case and epoch) and reports, per
            suite, which items the candidate fixed and broke, the score difference with a paired
            bootstrap 95% interval (10,000 resamples, fixed seed) and McNemar's exact p on the
            discordant pairs; then the change in cost, correct answers per dollar, p50 and p99.
            Nothing is sent to any model.

            BASE and CANDIDATE are RUN or RUN@MODEL: a run id (or 'latest') and, when the run has
            several models, which one. With --run, they are just models of that run.

            It writes index.html (the broken items with both answers side by side),
            comparison.json and summary.md to --out.

            Examples:
              assay compare 20261101-090000-aa11@v4-flash latest@v4-flash    # the same model, two runs
              assay compare v4-flash qwen3-8b --run latest                    # two models of one run
              assay compare latest@v3.2 latest@v4-flash --out reports/upgrade
            """
    )

    @Argument(help: ArgumentHelp("The baseline: RUN or RUN@MODEL (a model, with --run).", valueName: "base"))
    var base: String

    @Argument(help: ArgumentHelp("The candidate: RUN or RUN@MODEL (a model, with --run).", valueName: "candidate"))
    var candidate: String

    @OptionGroup var sides: ComparisonOptions

    func run() async throws {
        try await withExitStatus(readingStore: true) {
            let store = try await StoredRuns.open(sides.store)
            let comparison = try await sides.compare(base, candidate, in: store, traffic: try sides.mix())
            let directory = sides.outputDirectory(for: comparison)
            try ComparisonFiles.write(comparison, to: directory)
            print(ComparisonTable.render(comparison))
            print("report: \(directory)/index.html (also comparison.json, summary.md)")
            let (baseReference, candidateReference) = sides.references(base, candidate)
            let runs = try await DecisionKeeping.runs([baseReference, candidateReference], in: store)
            await DecisionKeeping.keep(
                ComparisonFiles.decision(
                    comparison, kind: .compare, naming: [comparison.base, comparison.candidate], runs: runs),
                in: sides.store)
        }
    }
}

/// What `compare` and `gate` share: the store, `--run`, and where the files go.
struct ComparisonOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The store: a SQLite file, or a postgres:// URL.", valueName: "file|url"))
    var store = Store.defaultPath

    @Option(
        help: ArgumentHelp(
            "Compare two models of this run (or 'latest'): BASE and CANDIDATE are then models.", valueName: "run"))
    var run: String?

    @Option(help: ArgumentHelp("Where the files go (default: reports/compare/BASE_vs_CANDIDATE).", valueName: "dir"))
    var out: String?

    @OptionGroup var weights: TrafficOption

    @OptionGroup var costs: CostAssumptionOption

    /// The mix given by --traffic, else `fallback` (a gate policy's).
    func mix(or fallback: TrafficMix? = nil) throws(InputError) -> TrafficMix? { try weights.mix(or: fallback) }

    func references(_ base: String, _ candidate: String) -> (RunReference, RunReference) {
        guard let run else { return (RunReference(base), RunReference(candidate)) }
        return (RunReference(run: run, model: base), RunReference(run: run, model: candidate))
    }

    /// `inputRatio`: a gate policy's stated input-price assumption, under the flag's.
    func compare(
        _ base: String, _ candidate: String, in store: any RunStore, traffic: TrafficMix? = nil,
        inputRatio: Double? = nil
    ) async throws -> Comparison {
        let (baseReference, candidateReference) = references(base, candidate)
        let ratio = try costs.ratio(or: inputRatio)
        let baseSide = try await baseReference.side(in: store, inputRatio: ratio)
        let candidateSide = try await candidateReference.side(in: store, inputRatio: ratio)
        let comparison = Comparison.compute(base: baseSide, candidate: candidateSide, traffic: traffic)
        guard comparison.overall.n > 0 else {
            throw InputError(
                "\(baseSide.label) and \(candidateSide.label) share no item that both were asked "
                    + "(base suites: \(baseSide.suites.joined(separator: ", ")); candidate suites: \(candidateSide.suites.joined(separator: ", ")))"
            )
        }
        return comparison
    }

    func outputDirectory(for comparison: Comparison) -> String {
        out ?? "reports/compare/" + StoredRuns.slug([comparison.base, comparison.candidate])
    }
}
