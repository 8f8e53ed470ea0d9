import AssayCore

/// One model's numbers in a run.
public struct ModelSummary: Sendable {
    /// The row's name: the model id, or "fallback (for primary)" for a fallback's answers.
    public var model: String
    /// For a fallback's row: the model it stood in for.
    public var fallbackFor: String?
    public var family: String?
    public var price: Price?
    public var overall: ScoreStats
    public var spend: Spend
    public var latency: LatencyStats
    /// Time to the first *answer* token (after any reasoning).
    public var ttft: LatencyStats
    /// Time to the first token of any kind: reasoning or answer.
    public var firstToken: LatencyStats
    /// Thinking time: from the first reasoning token to the first answer token, over the
    /// answers that had both.
    public var thinking: LatencyStats
    /// Output tokens per second after the first token: (completion tokens - 1, reasoning
    /// included) over the time from the first token of any kind to the last, summed over
    /// streamed answers. (Timed from the first answer token instead, a thinking model's
    /// reasoning tokens would be counted in a fraction of the time they took.)
    public var outputTokensPerSecond: Double?
    /// Inter-token latency, time per output token, latency by answer length, region and
    /// base URL (`StreamingStats`).
    public var streaming: StreamingStats
    /// Score, prompt tokens, TTFT and cost by nominal length and depth, and the effective
    /// context length (`LongContextStats`); empty without `length:` tags.
    public var longContext = LongContextStats()
    public var errorKinds: [String: Int]
    public var suites: [SuiteSummary]

    /// Correct answers per dollar over the whole run.
    public var qualityPerDollar: QualityPerDollar { QualityPerDollar(correct: overall.passed, spend: spend) }

    /// What one correct answer cost; nil when none was correct or the spend is unknown.
    public var costPerCorrect: Double? {
        guard overall.passed > 0, qualityPerDollar != .unknown else { return nil }
        return spend.cost / Double(overall.passed)
    }

    struct Builder {
        let model: String
        let catalogID: String
        let fallbackFor: String?
        let suiteRefs: [String: SuiteRef]
        var overall = ScoreStats()
        var spend = Spend()
        var latency = LatencyRecorder()
        var ttft = LatencyRecorder()
        var firstToken = LatencyRecorder()
        var thinking = LatencyRecorder()
        var streaming = StreamingStats.Builder()
        var longContext: LongContextStats.Builder
        var generatedTokens = 0
        var generationSeconds = 0.0
        var errorKinds: [String: Int] = [:]
        var suites: [String: SuiteSummary.Builder] = [:]

        init(
            model: String, catalogID: String, fallbackFor: String?, suites: [String: SuiteRef], family: String? = nil
        ) {
            self.longContext = LongContextStats.Builder(family: family)
            self.model = model
            self.catalogID = catalogID
            self.fallbackFor = fallbackFor
            self.suiteRefs = suites
        }

        mutating func add(_ result: ItemResult) {
            overall.add(result)
            spend.add(result)
            longContext.add(result)
            let ref = suiteRefs[result.suiteID]
            suites[
                result.suiteID,
                default: SuiteSummary.Builder(suite: result.suiteID, kind: ref?.kind, labels: ref?.labels)
            ].add(result)
            if let kind = result.errorKind { errorKinds[kind.rawValue, default: 0] += 1 }
            // An answer replayed from the response cache carries the timing of the request that
            // first asked it: it measures nothing now, so no latency or TTFT figure counts it.
            guard result.status == .graded, !result.cached, let timing = result.timing else { return }
            latency.record(milliseconds: timing.latencyMs)
            streaming.add(timing, of: result)
            if let ttftMs = timing.ttftMs { ttft.record(milliseconds: ttftMs) }
            if let reasoningMs = timing.firstReasoningMs, let ttftMs = timing.ttftMs, ttftMs >= reasoningMs {
                thinking.record(milliseconds: ttftMs - reasoningMs)
            }
            if let first = [timing.ttftMs, timing.firstReasoningMs].compactMap({ $0 }).min() {
                firstToken.record(milliseconds: first)
                if let tokens = result.usage?.completionTokens, tokens > 1, timing.latencyMs > first {
                    generatedTokens += tokens - 1
                    generationSeconds += (timing.latencyMs - first) / 1000
                }
            }
        }

        func summary(family: String?, price: Price?, suiteOrder: [String]) -> ModelSummary {
            let order = suiteOrder + suites.keys.filter { !suiteOrder.contains($0) }.sorted()
            return ModelSummary(
                model: model, fallbackFor: fallbackFor, family: family, price: price, overall: overall, spend: spend,
                latency: latency.stats,
                ttft: ttft.stats, firstToken: firstToken.stats, thinking: thinking.stats,
                outputTokensPerSecond: generationSeconds > 0 ? Double(generatedTokens) / generationSeconds : nil,
                streaming: streaming.stats,
                longContext: longContext.finished(price: price),
                errorKinds: errorKinds, suites: order.compactMap { suites[$0]?.summary })
        }
    }
}
