import AssayCore
import AssayStore

/// A run's results aggregated per model and per model x suite: the numbers of the
/// summary table and summary.json.
public struct RunSummary: Sendable, Codable {
    public var run: RunManifest
    public var models: [ModelSummary]

    public init(run: RunManifest, models: [ModelSummary]) {
        self.run = run
        self.models = models
    }

    /// Reads the run's results from the store and aggregates them.
    public static func load(run id: String, from store: Store) async throws -> RunSummary {
        guard let manifest = try await store.run(id) else {
            throw InputError(file: store.path, "no run '\(id)' in the store (`assay report --list` shows the runs)")
        }
        return build(manifest, results: try await store.results(run: id))
    }

    public static func build(_ manifest: RunManifest, results: [ItemResult]) -> RunSummary {
        var builders: [String: ModelSummary.Builder] = [:]
        let refs = Dictionary(manifest.suites.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for result in results {
            builders[result.model, default: ModelSummary.Builder(model: result.model, suiteRefs: refs)].add(result)
        }
        // Models in the order the run named them; any other model in the results after them.
        let order = manifest.models + builders.keys.filter { !manifest.models.contains($0) }.sorted()
        let suiteOrder = manifest.suites.map(\.id)
        let models = order.compactMap { id -> ModelSummary? in
            guard let builder = builders[id] else { return nil }
            let spec = manifest.catalog.model(named: id)
            return builder.summary(family: spec?.family, price: spec?.price, suiteOrder: suiteOrder)
        }
        return RunSummary(run: manifest, models: models)
    }
}

/// One model's numbers in a run.
public struct ModelSummary: Sendable, Codable {
    public var model: String
    public var family: String?
    public var price: Price?
    public var overall: ScoreStats
    public var spend: Spend
    public var latency: LatencyStats
    public var ttft: LatencyStats
    public var errorKinds: [String: Int]
    public var suites: [SuiteSummary]

    struct Builder {
        let model: String
        var overall = ScoreStats()
        var spend = Spend()
        var latency = LatencyRecorder()
        var ttft = LatencyRecorder()
        var errorKinds: [String: Int] = [:]
        var suites: [String: SuiteSummary.Builder] = [:]
        let suiteRefs: [String: SuiteRef]

        init(model: String, suiteRefs: [String: SuiteRef]) {
            self.model = model
            self.suiteRefs = suiteRefs
        }

        mutating func add(_ result: ItemResult) {
            overall.add(result)
            spend.add(result)
            let ref = suiteRefs[result.suiteID]
            suites[result.suiteID, default: SuiteSummary.Builder(suite: result.suiteID, kind: ref?.kind, labels: ref?.labels)].add(result)
            if let kind = result.errorKind { errorKinds[kind.rawValue, default: 0] += 1 }
            guard result.status == .graded, let timing = result.timing else { return }
            latency.record(milliseconds: timing.latencyMs)
            if let ttftMs = timing.ttftMs { ttft.record(milliseconds: ttftMs) }
        }

        func summary(family: String?, price: Price?, suiteOrder: [String]) -> ModelSummary {
            let order = suiteOrder + suites.keys.filter { !suiteOrder.contains($0) }.sorted()
            return ModelSummary(
                model: model, family: family, price: price, overall: overall, spend: spend, latency: latency.stats,
                ttft: ttft.stats, errorKinds: errorKinds, suites: order.compactMap { suites[$0]?.summary })
        }
    }
}

/// One model's numbers on one suite.
public struct SuiteSummary: Sendable, Codable {
    public var suite: String
    public var stats: ScoreStats
    public var spend: Spend
    public var latency: LatencyStats
    /// pass@k by k, over the cases' samples (epochs): reported when cases have more than one
    /// sample, and for every k that all cases have enough samples for.
    public var passAtK: [Int: Double]
    /// For classification suites: accuracy, macro-F1, per-label scores, confusion matrix.
    public var classification: ClassificationMetrics?
    /// For OCR suites: pooled CER and WER.
    public var ocr: OCRMetrics?

    /// True when the model could not be asked any item of the suite (it lacks a capability).
    public var isUnsupported: Bool { stats.n == 0 && stats.unsupported > 0 }

    struct Builder {
        let suite: String
        var stats = ScoreStats()
        var spend = Spend()
        var latency = LatencyRecorder()
        /// Samples and passes per case, for pass@k.
        var samples: [String: (n: Int, c: Int)] = [:]
        /// (truth, prediction) of each asked item, for classification suites.
        var pairs: [(truth: String, prediction: String)] = []
        /// Answered items, for OCR suites.
        var ocrResults: [ItemResult] = []
        let kind: SuiteKind?
        let labels: [String]?

        init(suite: String, kind: SuiteKind?, labels: [String]?) {
            self.suite = suite
            self.kind = kind
            self.labels = labels
        }

        mutating func add(_ result: ItemResult) {
            if kind == .classification, let pair = ClassificationMetrics.pair(result) { pairs.append(pair) }
            if kind == .ocr, result.status == .graded { ocrResults.append(result) }
            stats.add(result)
            spend.add(result)
            if result.status == .graded, let timing = result.timing { latency.record(milliseconds: timing.latencyMs) }
            guard result.status != .unsupported else { return }
            let passed = result.status == .graded && result.grade?.outcome == .pass ? 1 : 0
            let previous = samples[result.caseID] ?? (0, 0)
            samples[result.caseID] = (previous.n + 1, previous.c + passed)
        }

        var passAtK: [Int: Double] {
            let cases = Array(samples.values)
            guard let fewest = cases.map(\.n).min(), (cases.map(\.n).max() ?? 0) > 1 else { return [:] }
            var result: [Int: Double] = [:]
            for k in PassAtK.reportedKs(samples: fewest) {
                result[k] = PassAtK.mean(cases, k: k)
            }
            return result
        }

        var summary: SuiteSummary {
            SuiteSummary(
                suite: suite, stats: stats, spend: spend, latency: latency.stats, passAtK: passAtK,
                classification: kind == .classification && !pairs.isEmpty ? ClassificationMetrics.compute(pairs: pairs, labels: labels) : nil,
                ocr: kind == .ocr ? OCRMetrics.compute(ocrResults) : nil)
        }
    }
}
