import AssayAnalysis
import AssayCore
import Foundation

/// `report.xml`: the whole run for machines (namespace `urn:assay:report:1`, schema in
/// `ReportSchema`): the manifest, each model's and each suite's numbers, the rankings, the
/// frontier, then every item. Written as a stream: items are added one at a time.
final class ReportXML {
    /// An item's output is kept up to this many characters in the XML (the store has it all).
    static let outputLimit = 20_000

    private let writer: XMLWriter

    init(path: String, summary: RunSummary, items: Int) throws(ReportError) {
        writer = try XMLWriter(path: path)
        writer.start("report")
        writer.attribute("xmlns", ReportSchema.namespace)
        writer.attribute("version", "1")
        run(summary.run)
        for model in summary.models { self.model(model, onFrontier: summary.frontier.contains(model.model)) }
        for (by, order) in [
            ("score", summary.rankings.byScore), ("qualityPerDollar", summary.rankings.byQualityPerDollar),
        ] {
            writer.start("ranking")
            writer.attribute("by", by)
            for (index, model) in order.enumerated() {
                writer.empty("entry", [("position", String(index + 1)), ("model", model)])
            }
            writer.end()
        }
        writer.start("frontier")
        for model in summary.frontier { writer.empty("point", [("model", model)]) }
        writer.end()
        if let load = summary.run.load { self.load(load) }
        if !summary.attempts.isEmpty { attempts(summary.attempts) }
        writer.start("items")
        writer.attribute("count", items)
    }

    func add(_ result: ItemResult) {
        writer.start("item")
        writer.attribute("model", result.model)
        writer.attribute("suite", result.suiteID)
        writer.attribute("case", result.caseID)
        writer.attribute("epoch", result.epoch)
        writer.attribute("status", result.status.rawValue)
        writer.attribute("outcome", result.grade?.outcome.rawValue)
        writer.attribute("score", result.score)
        writer.attribute("cost", result.cost?.amount)
        writer.attribute("ttftMs", result.timing?.ttftMs)
        writer.attribute("firstReasoningMs", result.timing?.firstReasoningMs)
        writer.attribute("latencyMs", result.timing?.latencyMs)
        writer.attribute("finishReason", result.finishReason)
        writer.attribute("promptTokens", result.usage?.promptTokens)
        writer.attribute("completionTokens", result.usage?.completionTokens)
        writer.attribute("reasoningTokens", result.usage?.reasoningTokens)
        writer.attribute("errorKind", result.errorKind?.rawValue)
        writer.attribute("lastErrorKind", result.lastErrorKind?.rawValue)
        writer.attribute("fallbackFor", result.fallbackFor)
        writer.attribute("attempts", result.attempts)
        writer.attribute("cached", result.cached)
        let output = result.output.map { String($0.prefix(Self.outputLimit)) }
        if let full = result.output, let output, output.count < full.count { writer.attribute("outputTruncated", true) }
        writer.element("expected", text: result.expected)
        writer.element("output", text: output)
        writer.element("extracted", text: result.grade?.extracted.map { String($0.prefix(Self.outputLimit)) })
        writer.element("rule", text: result.grade?.rule)
        writer.element("error", text: result.errorMessage)
        writer.end()
    }

    func finish() throws(ReportError) {
        writer.end()  // items
        writer.end()  // report
        try writer.finish()
    }

    private func run(_ run: RunManifest) {
        writer.start("run")
        writer.attribute("id", run.id)
        writer.attribute("status", run.status.rawValue)
        writer.attribute("plan", run.plan)
        writer.attribute("startedAt", SummaryJSON.timestamp(run.startedAt))
        writer.attribute("endedAt", run.endedAt.map(SummaryJSON.timestamp))
        writer.attribute("assayVersion", run.assayVersion)
        writer.attribute("gitCommit", run.gitCommit)
        writer.attribute("sandbox", run.sandbox)
        writer.attribute("unsandboxedCode", run.ranCodeUnsandboxed)
        writer.attribute("epochs", run.epochs)
        writer.attribute("concurrency", run.concurrency)
        for suite in run.suites {
            writer.start("suite")
            writer.attribute("id", suite.id)
            writer.attribute("path", suite.path)
            writer.attribute("kind", suite.kind.rawValue)
            writer.attribute("grader", suite.grader.rawValue)
            writer.attribute("cases", suite.cases)
            for label in suite.labels ?? [] { writer.element("label", text: label) }
            writer.end()
        }
        for model in run.models { writer.empty("model", [("id", model)]) }
        writer.end()
    }

    /// An open-loop load, as summary.json's `load` gives it.
    private func load(_ load: LoadReport) {
        writer.start("load")
        writer.attribute("ratePerSecond", load.profile.perSecond)
        writer.attribute("arrivals", load.profile.arrivals.description)
        writer.attribute("scheduled", load.scheduled)
        writer.attribute("started", load.started)
        writer.attribute("spanSeconds", load.spanSeconds)
        writer.attribute("scheduledPerSecond", load.scheduledPerSecond)
        writer.attribute("achievedPerSecond", load.achievedPerSecond)
        writer.attribute("rateError", load.rateError)
        writer.attribute("lagP50Ms", load.lagP50Ms)
        writer.attribute("lagP99Ms", load.lagP99Ms)
        writer.attribute("lagMaxMs", load.lagMaxMs)
        writer.attribute("late", load.late)
        writer.attribute("peakInFlight", load.peakInFlight)
        writer.end()
    }

    /// Every attempt before retries, per model and per base URL, as summary.json's `attempts`.
    private func attempts(_ summary: AttemptSummary) {
        writer.start("attempts")
        for (by, groups) in [("model", summary.models), ("baseURL", summary.baseURLs)] {
            for group in groups {
                let tally = group.tally
                writer.start("group")
                writer.attribute("by", by)
                writer.attribute("name", group.name)
                writer.attribute("endpoint", group.endpoint)
                writer.attribute("baseURL", group.baseURL)
                writer.attribute("attempts", tally.attempts)
                writer.attribute("succeeded", tally.succeeded)
                writer.attribute("availability", tally.availability)
                writer.attribute("rateLimited", tally.rateLimited)
                writer.attribute("serverErrors", tally.server)
                writer.attribute("timeouts", tally.timeouts)
                writer.attribute("connectionErrors", tally.connection)
                writer.attribute("otherErrors", tally.other)
                if tally.latency.count > 0 { latency("latency", tally.latency) }
                writer.end()
            }
        }
        writer.end()
    }

    private func scores(_ stats: ScoreStats) {
        writer.attribute("score", stats.score)
        writer.attribute("n", stats.n)
        writer.attribute("passed", stats.passed)
        writer.attribute("failed", stats.failed)
        writer.attribute("invalid", stats.invalid)
        writer.attribute("errors", stats.errors)
        writer.attribute("unsupported", stats.unsupported)
        if stats.fellBack > 0 { writer.attribute("fellBack", stats.fellBack) }
        if stats.retried > 0 { writer.attribute("retried", stats.retried) }
        if stats.truncated > 0 { writer.attribute("truncated", stats.truncated) }
        writer.attribute("ciLower", stats.interval?.lower)
        writer.attribute("ciUpper", stats.interval?.upper)
    }

    private func spend(_ spend: Spend, currency: String?) {
        writer.start("spend")
        writer.attribute("cost", spend.cost)
        writer.attribute("currency", currency)
        writer.attribute("outputOnly", spend.outputOnly)
        writer.attribute("promptTokens", spend.promptTokens)
        writer.attribute("completionTokens", spend.completionTokens)
        writer.attribute("reasoningTokens", spend.reasoningTokens)
        writer.attribute("cachedPromptTokens", spend.cachedPromptTokens)
        writer.attribute("unknownUsage", spend.unknownUsage)
        writer.attribute("cached", spend.cached)
        writer.end()
    }

    private func latency(_ name: String, _ stats: LatencyStats, _ attributes: [(String, String)] = []) {
        writer.start(name)
        for (key, value) in attributes { writer.attribute(key, value) }
        writer.attribute("count", stats.count)
        writer.attribute("p50", stats.p50Ms)
        writer.attribute("p95", stats.p95Ms)
        writer.attribute("p99", stats.p99Ms)
        writer.attribute("max", stats.maxMs)
        writer.attribute("mean", stats.meanMs)
        writer.end()
    }

    private func model(_ model: ModelSummary, onFrontier: Bool) {
        writer.start("model")
        writer.attribute("id", model.model)
        writer.attribute("family", model.family)
        writer.attribute("fallbackFor", model.fallbackFor)
        scores(model.overall)
        writer.attribute("costPerCorrect", model.costPerCorrect)
        switch model.qualityPerDollar {
        case .perDollar(let value): writer.attribute("correctPerDollar", value)
        case .free: writer.attribute("free", true)
        case .unknown: break
        }
        writer.attribute("outputTokensPerSecond", model.outputTokensPerSecond)
        writer.attribute("onFrontier", onFrontier)
        if let price = model.price {
            writer.start("price")
            writer.attribute("inputPerMillion", price.inputPerMillion)
            writer.attribute("cachedInputPerMillion", price.cachedInputPerMillion)
            writer.attribute("reasoningPerMillion", price.reasoningPerMillion)
            writer.attribute("outputPerMillion", price.outputPerMillion)
            writer.attribute("currency", price.currency)
            writer.attribute("date", price.date)
            writer.attribute("source", price.source)
            writer.end()
        }
        spend(model.spend, currency: model.price.map { _ in Price.reportCurrency })
        latency("latency", model.latency)
        latency("ttft", model.ttft)
        if model.firstToken.count > 0 { latency("firstToken", model.firstToken) }
        if model.thinking.count > 0 { latency("thinking", model.thinking) }
        streaming(model.streaming)
        longContext(model.longContext)
        for (kind, count) in model.errorKinds.sorted(by: { $0.key < $1.key }) {
            writer.empty("error", [("kind", kind), ("count", String(count))])
        }
        for suite in model.suites { self.suite(suite, currency: model.price.map { _ in Price.reportCurrency }) }
        writer.end()
    }

    /// How the model streamed (`StreamingStats`); nothing when no answer was timed.
    private func streaming(_ streaming: StreamingStats) {
        guard streaming.measured || streaming.latencyPerOutputToken.count > 0 else { return }
        writer.start("streaming")
        latency("interToken", streaming.interToken)
        latency("timePerOutputToken", streaming.timePerOutputToken)
        latency("latencyPerOutputToken", streaming.latencyPerOutputToken)
        latency("maxStall", streaming.maxStall)
        for length in StreamingStats.OutputLength.allCases {
            guard let stats = streaming.latencyByLength[length] else { continue }
            latency("byLength", stats, [("length", length.rawValue), ("tokens", length.range)])
        }
        for (region, stats) in streaming.latencyByRegion.sorted(by: { $0.key < $1.key }) {
            latency("byRegion", stats, [("region", region)])
        }
        for (url, stats) in streaming.latencyByBaseURL.sorted(by: { $0.key < $1.key }) {
            latency("byBaseURL", stats, [("url", url)])
        }
        writer.end()
    }

    /// The model's long-context numbers (`LongContextStats`); nothing without `length:` tags.
    private func longContext(_ stats: LongContextStats) {
        guard !stats.isEmpty else { return }
        writer.start("longContext")
        writer.attribute("effectiveLength", stats.effectiveLength?.description)
        writer.attribute("effectiveLengthTokens", stats.effectiveLength?.tokens)
        writer.attribute("margin", LongContextStats.margin)
        writer.attribute("floor", LongContextStats.floor)
        writer.attribute("promptTokens", stats.promptTokens)
        writer.attribute("cachedPromptTokens", stats.cachedPromptTokens)
        writer.attribute("cachedShare", stats.cachedShare)
        writer.attribute("cost", stats.cost)
        writer.attribute("costWithoutCache", stats.costWithoutCache)
        for length in stats.lengths {
            longContextBucket("byLength", stats.byLength[length] ?? .init()) {
                writer.attribute("length", length.description)
                writer.attribute("tokens", length.tokens)
            }
        }
        for depth in stats.byDepth.keys.sorted() {
            longContextBucket("byDepth", stats.byDepth[depth] ?? .init()) { writer.attribute("depth", depth) }
        }
        writer.end()
    }

    private func longContextBucket(_ name: String, _ bucket: LongContextStats.Bucket, key: () -> Void) {
        writer.start(name)
        key()
        writer.attribute("score", bucket.score)
        writer.attribute("asked", bucket.asked)
        writer.attribute("passed", bucket.passed)
        writer.attribute("unsupported", bucket.unsupported)
        writer.attribute("unsupportedReason", bucket.unsupportedReason)
        writer.attribute("meanPromptTokens", bucket.meanPromptTokens)
        writer.attribute("estimateOverReported", bucket.estimateRatio)
        writer.attribute("cachedPromptTokens", bucket.cachedPromptTokens)
        writer.attribute("meanCost", bucket.meanCost)
        latency("ttft", bucket.ttft)
        writer.end()
    }

    /// One model's numbers on one suite, with the blocks its kind has.
    private func suite(_ suite: SuiteSummary, currency: String?) {
        writer.start("suite")
        writer.attribute("id", suite.suite)
        writer.attribute("status", suite.isUnsupported ? "unsupported" : "asked")
        scores(suite.stats)
        spend(suite.spend, currency: currency)
        latency("latency", suite.latency)
        for (k, value) in suite.passAtK.sorted(by: { $0.key < $1.key }) {
            writer.empty("passAtK", [("k", String(k)), ("value", XMLWriter.number(value))])
        }
        if let metrics = suite.classification { classification(metrics) }
        if let metrics = suite.ocr {
            writer.start("ocr")
            writer.attribute("cer", metrics.cer)
            writer.attribute("wer", metrics.wer)
            writer.attribute("items", metrics.items)
            writer.attribute("charEdits", metrics.characterEdits)
            writer.attribute("refChars", metrics.referenceCharacters)
            writer.attribute("wordEdits", metrics.wordEdits)
            writer.attribute("refWords", metrics.referenceWords)
            writer.attribute("meanItemCer", metrics.meanItemCER)
            writer.end()
        }
        if let metrics = suite.tools { tools(metrics, spend: suite.spend) }
        if let metrics = suite.fields { fields(metrics, mode: suite.structuredOutput) }
        if let metrics = suite.agents { agents(metrics) }
        writer.end()
    }

    /// An agent suite's numbers, as summary.json's `agents` block gives them.
    private func agents(_ metrics: AgentMetrics) {
        writer.start("agents")
        writer.attribute("tasks", metrics.tasks)
        writer.attribute("solved", metrics.solved)
        writer.attribute("turns", metrics.turns)
        writer.attribute("turnsPassed", metrics.turnsPassed)
        writer.attribute("steps", metrics.steps)
        writer.attribute("calls", metrics.calls)
        writer.attribute("stepsPerSolved", metrics.stepsPerSolved)
        writer.attribute("tokensPerSolved", metrics.tokensPerSolved)
        writer.attribute("costPerSolved", metrics.costPerSolved)
        for (index, (reached, passed)) in zip(metrics.reachedByTurn, metrics.passedByTurn).enumerated() {
            writer.empty(
                "turn", [("index", String(index + 1)), ("reached", String(reached)), ("passed", String(passed))])
        }
        for (stop, count) in metrics.stops.sorted(by: { $0.key < $1.key }) {
            writer.empty("stop", [("reason", stop), ("count", String(count))])
        }
        writer.end()
    }

    /// A tools suite's numbers, as summary.json's `tools` block gives them.
    private func tools(_ metrics: ToolCallMetrics, spend: Spend) {
        writer.start("tools")
        writer.attribute("items", metrics.items)
        writer.attribute("passed", metrics.passed)
        writer.attribute("calls", metrics.calls)
        writer.attribute("answersWithoutCalls", metrics.answersWithoutCalls)
        writer.attribute("costPer1000", ToolCallMetrics.costPerThousand(spend, answered: metrics.items))
        for kind in ToolCallMismatch.Kind.allCases {
            writer.empty("mismatch", [("kind", kind.rawValue), ("count", String(metrics.mismatches[kind] ?? 0))])
        }
        if metrics.firstCall.count > 0 { latency("firstCall", metrics.firstCall) }
        writer.end()
    }

    /// An extraction suite's numbers, as summary.json's `fields` block gives them.
    private func fields(_ metrics: FieldMetrics, mode: StructuredOutputMode?) {
        writer.start("fields")
        writer.attribute("askedWith", mode?.rawValue)
        writer.attribute("items", metrics.items)
        writer.attribute("exact", metrics.exact)
        writer.attribute("jsonValid", metrics.jsonValid)
        writer.attribute("schemaValid", metrics.schemaValid)
        writer.attribute("withProse", metrics.withProse)
        writer.attribute("fieldAccuracy", metrics.fieldAccuracy)
        writer.attribute("microPrecision", metrics.precision)
        writer.attribute("microRecall", metrics.recall)
        writer.attribute("microF1", metrics.microF1)
        for name in metrics.fieldNames {
            guard let tally = metrics.fields[name] else { continue }
            writer.empty(
                "field",
                [
                    ("name", name), ("correct", String(tally.correct)), ("items", String(tally.items)),
                    ("tp", String(tally.truePositives)), ("fp", String(tally.falsePositives)),
                    ("fn", String(tally.falseNegatives)),
                ])
        }
        writer.end()
    }

    private func classification(_ metrics: ClassificationMetrics) {
        writer.start("classification")
        writer.attribute("n", metrics.n)
        writer.attribute("accuracy", metrics.accuracy)
        writer.attribute("macroF1", metrics.macroF1)
        for label in metrics.labels {
            guard let score = metrics.perLabel[label] else { continue }
            writer.start("label")
            writer.attribute("name", label)
            writer.attribute("precision", score.precision)
            writer.attribute("recall", score.recall)
            writer.attribute("f1", score.f1)
            writer.attribute("support", score.support)
            writer.end()
        }
        for truth in metrics.confusion.keys.sorted() {
            for (prediction, count) in (metrics.confusion[truth] ?? [:]).sorted(by: { $0.key < $1.key }) {
                writer.empty("confusion", [("truth", truth), ("prediction", prediction), ("count", String(count))])
            }
        }
        writer.end()
    }
}
