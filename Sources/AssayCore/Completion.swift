/// What a model answered to one request, and what it took.
public struct Completion: Sendable, Hashable, Codable {
    /// The answer text (content deltas joined).
    public var text: String
    /// The function calls the model made (`tool_calls`), in the order of their `index`; nil
    /// when it made none.
    public var toolCalls: [ToolCall]?
    /// Reasoning deltas (`reasoning_content` or `reasoning`), kept apart from the answer.
    public var reasoning: String?
    public var finishReason: String?
    /// Token counts as the server reported them; nil when it sent none.
    public var usage: Usage?
    public var timing: Timing
    /// The base URL that served the request.
    public var servedBy: String
    /// The rate-limit headers the answer came with, for the endpoint's gate; not stored.
    public var rateLimits: RateLimitHeaders?

    enum CodingKeys: String, CodingKey {
        case text, toolCalls, reasoning, finishReason, usage, timing, servedBy
    }

    public init(
        text: String, toolCalls: [ToolCall]? = nil, reasoning: String? = nil, finishReason: String?, usage: Usage?,
        timing: Timing, servedBy: String
    ) {
        self.text = text
        self.toolCalls = toolCalls
        self.reasoning = reasoning
        self.finishReason = finishReason
        self.usage = usage
        self.timing = timing
        self.servedBy = servedBy
    }
}

/// Token counts from the server's `usage` object.
public struct Usage: Sendable, Hashable, Codable {
    /// Every prompt token, read from the vendor's cache or not.
    public var promptTokens: Int
    /// Billed output tokens; includes reasoning tokens.
    public var completionTokens: Int
    /// The part of `completionTokens` spent on reasoning, when the server says.
    public var reasoningTokens: Int?
    /// The part of `promptTokens` read from the vendor's prompt cache (billed at the cached
    /// input price), when the server says: `usage.prompt_tokens_details.cached_tokens`, or
    /// DeepSeek's `prompt_cache_hit_tokens`.
    public var cachedPromptTokens: Int?

    public init(promptTokens: Int, completionTokens: Int, reasoningTokens: Int? = nil, cachedPromptTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.reasoningTokens = reasoningTokens
        self.cachedPromptTokens = cachedPromptTokens
    }
}

extension Usage {
    /// Two requests' counts together (an agent's steps); an optional count is known when
    /// either side knows it.
    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        func sum(_ a: Int?, _ b: Int?) -> Int? { a == nil && b == nil ? nil : (a ?? 0) + (b ?? 0) }
        return Usage(
            promptTokens: lhs.promptTokens + rhs.promptTokens,
            completionTokens: lhs.completionTokens + rhs.completionTokens,
            reasoningTokens: sum(lhs.reasoningTokens, rhs.reasoningTokens),
            cachedPromptTokens: sum(lhs.cachedPromptTokens, rhs.cachedPromptTokens))
    }
}

/// Times measured on a monotonic clock from the moment the request had been written to the
/// connection (so neither connection setup nor the wait for a free connection counts), in
/// milliseconds; each chunk is timed on the event loop as it arrives.
public struct Timing: Sendable, Hashable, Codable {
    /// To the first chunk with non-empty answer content; nil when there was none (an empty
    /// answer), and for a non-streamed request (which has no first token to time).
    public var ttftMs: Double?
    /// To the first reasoning delta, for models that think before answering.
    public var firstReasoningMs: Double?
    /// To the last content chunk (streamed) or the end of the body (not streamed).
    public var latencyMs: Double
    /// Answer chunks (streamed answers only): the SSE events that carried answer text or a
    /// call, usually a token each.
    public var answerChunks: Int?
    /// Inter-token latency: the mean time between answer chunks, from the first to the last
    /// over the chunks less one, as GenAI-Perf and llmperf define it per request; nil
    /// with fewer than two chunks or unstreamed.
    public var interTokenMs: Double?
    /// The longest wait between two answer chunks: a stall the mean hides.
    public var maxStallMs: Double?

    public init(
        ttftMs: Double?, firstReasoningMs: Double? = nil, latencyMs: Double, answerChunks: Int? = nil,
        interTokenMs: Double? = nil, maxStallMs: Double? = nil
    ) {
        self.ttftMs = ttftMs
        self.firstReasoningMs = firstReasoningMs
        self.latencyMs = latencyMs
        self.answerChunks = answerChunks
        self.interTokenMs = interTokenMs
        self.maxStallMs = maxStallMs
    }

    /// Time per output token after the first (TPOT): the time from the first answer token to
    /// the last, over the completion tokens less one; nil without a first token or with
    /// fewer than two tokens. Unlike the inter-token latency it counts tokens, not chunks,
    /// so a server that flushes several tokens per chunk is not made to look slower.
    public func timePerOutputTokenMs(completionTokens: Int?) -> Double? {
        guard let ttftMs, let tokens = completionTokens, tokens > 1, latencyMs >= ttftMs else { return nil }
        return (latencyMs - ttftMs) / Double(tokens - 1)
    }
}
