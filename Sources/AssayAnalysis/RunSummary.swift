import AssayCore

/// A run's results aggregated per model and per model x suite, with rankings and the
/// cost/quality frontier: the numbers every report shows.
public struct RunSummary: Sendable {
    public var run: RunManifest
    public var models: [ModelSummary]
    public var rankings: Rankings
    /// Models on the cost/quality Pareto frontier, cheapest first.
    public var frontier: [String]
    /// Every attempt the run's requests made, per model and per base URL (empty for a store
    /// written before Assay kept them, or a run answered from the cache).
    public var attempts: AttemptSummary = .empty

    public init(run: RunManifest, models: [ModelSummary]) {
        self.run = run
        self.models = models
        self.rankings = Rankings.rank(models)
        self.frontier = ParetoFrontier.frontier(
            models.compactMap { ParetoFrontier.Point(model: $0.model, stats: $0.overall, spend: $0.spend) })
    }

    public func model(_ id: String) -> ModelSummary? { models.first { $0.model == id } }

    /// The cost/quality frontier on one suite (the models no other beats there on both),
    /// cheapest first: the model worth routing a task to depends on the task.
    public func frontier(suite: String) -> [String] {
        ParetoFrontier.frontier(
            models.compactMap { model in
                model.suites.first { $0.suite == suite }.flatMap {
                    ParetoFrontier.Point(model: model.model, stats: $0.stats, spend: $0.spend)
                }
            })
    }

    /// The models as the headline ranks them: most correct answers per dollar first (a free
    /// model that got anything right ahead of every paid one; ties by score), then the
    /// models never asked.
    public var rankedByValue: [ModelSummary] {
        rankings.byQualityPerDollar.compactMap(model)
            + models.filter { !rankings.byQualityPerDollar.contains($0.model) }
    }

    /// The models by score (ties by lower cost), then the models never asked.
    public var rankedByScore: [ModelSummary] {
        rankings.byScore.compactMap(model) + models.filter { !rankings.byScore.contains($0.model) }
    }

    /// Aggregates results held in memory (any order).
    public static func build(_ manifest: RunManifest, results: [ItemResult]) -> RunSummary {
        var accumulator = Accumulator(manifest: manifest)
        for result in results.sorted(by: {
            ($0.model, $0.suiteID, $0.caseID, $0.epoch) < ($1.model, $1.suiteID, $1.caseID, $1.epoch)
        }) {
            accumulator.add(result)
        }
        return RunSummary(run: manifest, models: accumulator.models)
    }

    /// Folds results ordered by model, suite, case and epoch into summaries, keeping only
    /// counters, histograms and the case being read: flat memory for any number of results.
    /// (`AssayRuns` feeds it from the store, one result at a time.)
    public struct Accumulator {
        let manifest: RunManifest
        let suites: [String: SuiteRef]
        var builders: [String: ModelSummary.Builder] = [:]

        public init(manifest: RunManifest) {
            self.manifest = manifest
            self.suites = Dictionary(manifest.suites.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }

        public mutating func add(_ result: ItemResult) {
            let row = result.reportedModel
            builders[
                row,
                default: ModelSummary.Builder(
                    model: row, catalogID: result.model, fallbackFor: result.fallbackFor, suites: suites,
                    family: manifest.catalog.model(named: result.model)?.family)
            ].add(result)
        }

        /// The summary of what was added.
        public var summary: RunSummary { RunSummary(run: manifest, models: models) }

        var models: [ModelSummary] {
            // Models in the order the run named them; any other after them.
            let order = manifest.models + builders.keys.filter { !manifest.models.contains($0) }.sorted()
            let suiteOrder = manifest.suites.map(\.id)
            return order.compactMap { id in
                guard let builder = builders[id] else { return nil }
                let spec = manifest.catalog.model(named: builder.catalogID)
                var summary = builder.summary(family: spec?.family, price: spec?.price, suiteOrder: suiteOrder)
                for index in summary.suites.indices {
                    let format = manifest.suites.first { $0.id == summary.suites[index].suite }?.responseFormat
                    summary.suites[index].structuredOutput = spec.flatMap { spec in format?.mode(for: spec.capabilities)
                    }
                }
                return summary
            }
        }
    }
}
