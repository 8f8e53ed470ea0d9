import AssayCore

/// A model's long-context numbers: its score, prompt tokens, TTFT and cost at each nominal
/// length (`length:` tags, written by `assay generate long-context`) and at each needle depth
/// (`depth:`), its effective context length, and how much of its prompts a vendor's prompt
/// cache served. Empty for a run with no `length:` tag.
public struct LongContextStats: Sendable {
    /// One length's or one depth's items.
    public struct Bucket: Sendable, Hashable {
        /// Items asked (graded or failed): what the score is over.
        public var asked = 0
        public var passed = 0
        /// Items not sent: past the model's context window, or lacking a capability.
        public var unsupported = 0
        /// The first reason an item was not sent ("prompt of about 8200 tokens ...").
        public var unsupportedReason: String?
        /// Answers whose usage the server reported, and the prompt tokens it reported for them.
        public var reported = 0
        public var reportedPromptTokens = 0
        /// The prompt tokens `TokenEstimate` gave the same answers' prompts.
        public var estimatedPromptTokens = 0
        public var cachedPromptTokens = 0
        /// Dollars over the answers with a known cost, and how many those were.
        public var cost = 0.0
        public var costed = 0
        /// Time to first token of the fresh answers.
        public var ttft = LatencyStats.empty

        public init() {}

        /// The share passed; nil when nothing was asked.
        public var score: Double? { asked > 0 ? Double(passed) / Double(asked) : nil }
        /// The mean prompt tokens the server reported; nil when it reported none.
        public var meanPromptTokens: Double? { reported > 0 ? Double(reportedPromptTokens) / Double(reported) : nil }
        /// The estimate over the reported figure (1.0: the rule was exact); nil when unknown.
        public var estimateRatio: Double? {
            reportedPromptTokens > 0 ? Double(estimatedPromptTokens) / Double(reportedPromptTokens) : nil
        }
        public var meanCost: Double? { costed > 0 ? cost / Double(costed) : nil }
    }

    public var byLength: [ContextLength: Bucket] = [:]
    public var byDepth: [Int: Bucket] = [:]
    /// Prompt tokens over every answered long-context item, and the part read from a cache.
    public var promptTokens = 0
    public var cachedPromptTokens = 0
    /// Dollars spent on long-context items, as billed (cached tokens at the cached price).
    public var cost = 0.0
    /// What the same items would have cost with no cached token (every prompt token at the
    /// input price); nil when the input price is not quoted.
    public var costWithoutCache: Double?

    /// Whether the run had any long-context item for this model.
    public var isEmpty: Bool { byLength.isEmpty }

    /// The lengths, shortest first.
    public var lengths: [ContextLength] { byLength.keys.sorted() }

    /// The share of prompt tokens read from the vendor's cache; nil when no prompt tokens were reported.
    public var cachedShare: Double? { promptTokens > 0 ? Double(cachedPromptTokens) / Double(promptTokens) : nil }

    /// A length counts as held when its score is at least the model's own score at its
    /// shortest length less this margin (10 percentage points)...
    public static let margin = 0.10
    /// ...and at least this floor (50%), whatever the shortest length scored.
    public static let floor = 0.50

    /// The effective context length: walking the lengths from the shortest, the last one whose
    /// score is within `margin` of the shortest length's score and at or above `floor`. The
    /// walk stops at the first length that fails, or that was never asked (every item past the
    /// window): a model is not credited with a length it was not tested at. Nil when even the
    /// shortest length fails. (RULER's threshold is one absolute score, Llama-2-7B's at 4K; a
    /// margin below the model's own short-context score separates a model that cannot do the
    /// task from one that loses it with length.)
    public var effectiveLength: ContextLength? {
        let lengths = self.lengths
        guard let first = lengths.first, let baseline = byLength[first]?.score else { return nil }
        let threshold = max(Self.floor, baseline - Self.margin)
        var held: ContextLength?
        for length in lengths {
            guard let score = byLength[length]?.score, score >= threshold - 1e-9 else { break }
            held = length
        }
        return held
    }

    struct Builder {
        var stats = LongContextStats()
        var lengthTTFT: [ContextLength: LatencyRecorder] = [:]
        var depthTTFT: [Int: LatencyRecorder] = [:]
        let estimate: TokenEstimate

        init(family: String?) {
            estimate = TokenEstimate.forFamily(family)
        }

        mutating func add(_ result: ItemResult) {
            guard let length = ContextLength.of(tags: result.tags) else { return }
            let depth = ContextLength.depth(tags: result.tags)
            var estimated: Int?
            if let usage = result.usage, usage.promptTokens > 0, let prompt = result.prompt {
                estimated = estimate.tokens(prompt)
            }
            update(&stats.byLength[length, default: Bucket()], result, estimated: estimated)
            if let depth { update(&stats.byDepth[depth, default: Bucket()], result, estimated: estimated) }
            if result.status == .graded, !result.cached, let ttftMs = result.timing?.ttftMs {
                lengthTTFT[length, default: LatencyRecorder()].record(milliseconds: ttftMs)
                if let depth { depthTTFT[depth, default: LatencyRecorder()].record(milliseconds: ttftMs) }
            }
            if let usage = result.usage {
                stats.promptTokens += usage.promptTokens
                stats.cachedPromptTokens += usage.cachedPromptTokens ?? 0
            }
            if let cost = result.cost?.amount { stats.cost += cost }
        }

        private func update(_ bucket: inout Bucket, _ result: ItemResult, estimated: Int?) {
            switch result.status {
            case .unsupported:
                bucket.unsupported += 1
                if bucket.unsupportedReason == nil { bucket.unsupportedReason = result.errorMessage }
                return
            case .graded, .error:
                bucket.asked += 1
                if result.status == .graded, result.grade?.outcome == .pass { bucket.passed += 1 }
            case .fellBack:
                return
            }
            if let usage = result.usage, usage.promptTokens > 0 {
                bucket.reported += 1
                bucket.reportedPromptTokens += usage.promptTokens
                bucket.estimatedPromptTokens += estimated ?? 0
                bucket.cachedPromptTokens += usage.cachedPromptTokens ?? 0
            }
            if let cost = result.cost?.amount {
                bucket.cost += cost
                bucket.costed += 1
            }
        }

        func finished(price: Price?) -> LongContextStats {
            var out = stats
            for (length, recorder) in lengthTTFT { out.byLength[length]?.ttft = recorder.stats }
            for (depth, recorder) in depthTTFT { out.byDepth[depth]?.ttft = recorder.stats }
            if let input = price?.inputPerMillion {
                let cached = price?.cachedInputPerMillion ?? input
                out.costWithoutCache = out.cost + Double(out.cachedPromptTokens) * (input - cached) / 1_000_000
            }
            return out
        }
    }
}
