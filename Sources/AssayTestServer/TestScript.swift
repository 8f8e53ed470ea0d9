/// What the test server answers: rules matched in order against each request, and a
/// default reply.
public struct TestScript: Sendable, Codable {
    public var rules: [Rule]
    public var defaultReply: Reply
    /// Faults drawn at random for each chat request, on top of the rules' replies.
    public var faults: FaultMix?
    /// Request and token rates the server enforces with 429s, when set.
    public var rateLimit: RateLimit?
    /// Latency spikes and error bursts on cue, by request number (the first that holds wins).
    public var episodes: [TestEpisode]
    /// Slower past a number of requests in flight, refusing past another, when set.
    public var load: Load?

    public init(
        rules: [Rule] = [], defaultReply: Reply = Reply(text: "ok"), faults: FaultMix? = nil,
        rateLimit: RateLimit? = nil, episodes: [TestEpisode] = [], load: Load? = nil
    ) {
        self.rules = rules
        self.defaultReply = defaultReply
        self.faults = faults
        self.rateLimit = rateLimit
        self.episodes = episodes
        self.load = load
    }

    /// Per-request probabilities of misbehaving, drawn from a seeded generator (the draws
    /// repeat run to run; which request gets which draw follows arrival order).
    public struct FaultMix: Sendable, Codable, Hashable {
        public var seed: UInt64
        /// 429 with Retry-After: `retryAfterSeconds`.
        public var rateLimited: Double
        public var retryAfterSeconds: Double
        public var internalError: Double
        public var badGateway: Double
        /// 503 with Retry-After.
        public var unavailable: Double
        /// The connection reset (RST) after the response head and one chunk.
        public var reset: Double
        /// No answer at all: the client's timeouts must act.
        public var hang: Double
        /// The body ends after the content, without the finish chunk and [DONE].
        public var cutStream: Double
        /// A chunk that is not JSON.
        public var malformedJSON: Double
        /// Chunks 100 ms apart: slow, but within the timeouts.
        public var slowTrickle: Double

        public init(
            seed: UInt64 = 1, rateLimited: Double = 0, retryAfterSeconds: Double = 1, internalError: Double = 0,
            badGateway: Double = 0,
            unavailable: Double = 0, reset: Double = 0, hang: Double = 0, cutStream: Double = 0,
            malformedJSON: Double = 0,
            slowTrickle: Double = 0
        ) {
            self.seed = seed
            self.rateLimited = rateLimited
            self.retryAfterSeconds = retryAfterSeconds
            self.internalError = internalError
            self.badGateway = badGateway
            self.unavailable = unavailable
            self.reset = reset
            self.hang = hang
            self.cutStream = cutStream
            self.malformedJSON = malformedJSON
            self.slowTrickle = slowTrickle
        }

        /// The fault a draw in [0, 1) picks, or nil for none.
        func pick(_ draw: Double) -> Fault? {
            var threshold = 0.0
            for (probability, fault) in [
                (rateLimited, Fault.rateLimited), (internalError, .internalError), (badGateway, .badGateway),
                (unavailable, .unavailable),
                (reset, .reset), (hang, .hang), (cutStream, .cutStream), (malformedJSON, .malformedChunk),
                (slowTrickle, .slowTrickle),
            ] {
                threshold += probability
                if draw < threshold { return fault }
            }
            return nil
        }
    }

    /// A reply for requests whose model and last user message match.
    public struct Rule: Sendable, Codable {
        /// Matches this model exactly; nil matches any.
        public var model: String?
        /// The last user message equals this text; nil matches any.
        public var promptEquals: String?
        /// The last user message contains this text; nil matches any.
        public var promptContains: String?
        /// The last user message carries this image URL (a data URL); nil matches any.
        public var imageEquals: String?
        /// The raw request body contains this text (a vendor field such as
        /// `"enable_thinking":true`); nil matches any.
        public var bodyContains: String?
        /// The request's prompt (every message's text) comes to at most this many tokens by
        /// Assay's estimate (`TokenEstimate`); nil matches any length. A rule that answers
        /// right only below a length: a model whose context falls short, on cue.
        public var maxPromptTokens: Int?
        /// The request's prompt (every message's text) has at most this many characters
        /// (Unicode scalars); nil matches any length.
        public var maxPromptChars: Int?
        /// The request is the Nth answer after the last user message (1: the first; an agent's
        /// later steps, after its calls and their results, count up); nil matches any.
        public var step: Int?
        public var reply: Reply

        public init(
            model: String? = nil, promptEquals: String? = nil, promptContains: String? = nil,
            imageEquals: String? = nil,
            bodyContains: String? = nil, maxPromptTokens: Int? = nil, maxPromptChars: Int? = nil, step: Int? = nil,
            reply: Reply
        ) {
            self.step = step
            self.maxPromptTokens = maxPromptTokens
            self.maxPromptChars = maxPromptChars
            self.model = model
            self.promptEquals = promptEquals
            self.promptContains = promptContains
            self.imageEquals = imageEquals
            self.bodyContains = bodyContains
            self.reply = reply
        }

        func matches(
            model: String, prompt: String, images: [String], body: String = "", promptTokens: Int = 0,
            promptChars: Int = 0, step: Int = 1
        ) -> Bool {
            if let wanted = self.model, wanted != model { return false }
            if let wanted = self.step, wanted != step { return false }
            if let maxPromptTokens, promptTokens > maxPromptTokens { return false }
            if let maxPromptChars, promptChars > maxPromptChars { return false }
            if let bodyContains, !body.contains(bodyContains) { return false }
            if let promptEquals, promptEquals != prompt { return false }
            if let promptContains, !prompt.contains(promptContains) { return false }
            if let imageEquals, !images.contains(imageEquals) { return false }
            return true
        }
    }

    /// How to answer: the text, its pacing and its usage.
    public struct Reply: Sendable, Codable {
        public var text: String
        /// Streamed before the answer, a word per chunk, as `delta.reasoning_content` (or, with
        /// `inlineThink`, inside `<think>...</think>` in the content), when set.
        public var reasoning: String?
        /// Reasoning goes in the content, in a `<think>` block, as R1 distills write it.
        public var inlineThink: Bool
        /// Milliseconds from the end of the request to the first token of any kind: the
        /// first reasoning word, or the first answer word when there is no reasoning.
        public var ttftMs: Double
        /// Milliseconds between chunks. Reasoning and answer are streamed a word per chunk.
        public var chunkDelayMs: Double
        /// Usage to report; nil counts words (prompt words, answer chunks).
        public var usage: ScriptedUsage?
        /// Send no usage chunk at all, as some servers do.
        public var omitUsage: Bool
        public var finishReason: String
        /// Answer with this HTTP status and an error body instead.
        public var status: Int?
        /// Misbehave this way.
        public var fault: Fault?
        /// Headers sent with the answer (a hostile `x-ratelimit-limit-requests`, say), after
        /// any the server's own rate limit adds.
        public var headers: [String: String]
        /// Function calls made after the text, each streamed as vendors do: a first fragment
        /// with its index, id and name, then its arguments in pieces of a few characters.
        public var toolCalls: [ScriptedToolCall]

        public init(
            text: String, reasoning: String? = nil, inlineThink: Bool = false, ttftMs: Double = 0,
            chunkDelayMs: Double = 0,
            usage: ScriptedUsage? = nil, omitUsage: Bool = false, finishReason: String = "stop", status: Int? = nil,
            fault: Fault? = nil,
            headers: [String: String] = [:], toolCalls: [ScriptedToolCall] = []
        ) {
            self.toolCalls = toolCalls
            self.text = text
            self.reasoning = reasoning
            self.inlineThink = inlineThink
            self.ttftMs = ttftMs
            self.chunkDelayMs = chunkDelayMs
            self.usage = usage
            self.omitUsage = omitUsage
            self.finishReason = finishReason
            self.status = status
            self.fault = fault
            self.headers = headers
        }

        enum CodingKeys: String, CodingKey {
            case text, reasoning, usage, status, fault, headers
            case inlineThink = "inline_think"
            case ttftMs = "ttft_ms"
            case chunkDelayMs = "chunk_delay_ms"
            case omitUsage = "omit_usage"
            case finishReason = "finish_reason"
            case toolCalls = "tool_calls"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                text: try container.decode(String.self, forKey: .text),
                reasoning: try container.decodeIfPresent(String.self, forKey: .reasoning),
                inlineThink: try container.decodeIfPresent(Bool.self, forKey: .inlineThink) ?? false,
                ttftMs: try container.decodeIfPresent(Double.self, forKey: .ttftMs) ?? 0,
                chunkDelayMs: try container.decodeIfPresent(Double.self, forKey: .chunkDelayMs) ?? 0,
                usage: try container.decodeIfPresent(ScriptedUsage.self, forKey: .usage),
                omitUsage: try container.decodeIfPresent(Bool.self, forKey: .omitUsage) ?? false,
                finishReason: try container.decodeIfPresent(String.self, forKey: .finishReason) ?? "stop",
                status: try container.decodeIfPresent(Int.self, forKey: .status),
                fault: try container.decodeIfPresent(Fault.self, forKey: .fault),
                headers: try container.decodeIfPresent([String: String].self, forKey: .headers) ?? [:],
                toolCalls: try container.decodeIfPresent([ScriptedToolCall].self, forKey: .toolCalls) ?? [])
        }
    }

    /// A function call a reply makes: the name as it goes on the wire, and its arguments as
    /// JSON text (sent as they are, valid or not).
    public struct ScriptedToolCall: Sendable, Codable, Hashable {
        public var name: String
        public var arguments: String

        public init(name: String, arguments: String) {
            self.name = name
            self.arguments = arguments
        }
    }

    /// Ways a server goes wrong.
    public enum Fault: String, Sendable, Codable, CaseIterable {
        /// End the body after the content, without the finish chunk and `[DONE]`.
        case cutStream = "cut_stream"
        /// Send a chunk that is not JSON.
        case malformedChunk = "malformed_chunk"
        /// Answer 400 with an error that quotes the request's Authorization header back,
        /// as a careless proxy does.
        case echoAuthorization = "echo_authorization"
        case rateLimited = "rate_limited"
        case internalError = "internal_error"
        case badGateway = "bad_gateway"
        case unavailable
        case reset
        case hang
        case slowTrickle = "slow_trickle"
    }

    public struct ScriptedUsage: Sendable, Codable, Hashable {
        public var promptTokens: Int
        public var completionTokens: Int
        public var reasoningTokens: Int?
        /// Prompt tokens read from the vendor's cache, sent as `prompt_tokens_details.cached_tokens`
        /// or, with `deepseekStyle`, as DeepSeek's `prompt_cache_hit_tokens`/`_miss_tokens`.
        public var cachedTokens: Int?
        public var deepseekStyle: Bool?

        public init(
            promptTokens: Int, completionTokens: Int, reasoningTokens: Int? = nil, cachedTokens: Int? = nil,
            deepseekStyle: Bool? = nil
        ) {
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
            self.reasoningTokens = reasoningTokens
            self.cachedTokens = cachedTokens
            self.deepseekStyle = deepseekStyle
        }

        /// Prompt and completion tokens: what a rate limit charges.
        var total: Int { promptTokens &+ completionTokens }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case reasoningTokens = "reasoning_tokens"
            case cachedTokens = "cached_tokens"
            case deepseekStyle = "deepseek_style"
        }
    }

    public enum CodingKeys: String, CodingKey {
        case rules
        case defaultReply = "default"
        case rateLimit = "rate_limit"
        case episodes, load
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            rules: try container.decodeIfPresent([Rule].self, forKey: .rules) ?? [],
            defaultReply: try container.decodeIfPresent(Reply.self, forKey: .defaultReply) ?? Reply(text: "ok"),
            rateLimit: try container.decodeIfPresent(RateLimit.self, forKey: .rateLimit),
            episodes: try container.decodeIfPresent([TestEpisode].self, forKey: .episodes) ?? [],
            load: try container.decodeIfPresent(Load.self, forKey: .load))
    }

    public func reply(
        model: String, prompt: String, images: [String] = [], body: String = "", promptTokens: Int = 0,
        promptChars: Int = 0, step: Int = 1
    ) -> Reply {
        rules.first {
            $0.matches(
                model: model, prompt: prompt, images: images, body: body, promptTokens: promptTokens,
                promptChars: promptChars, step: step)
        }?.reply ?? defaultReply
    }
}

extension TestScript.Rule {
    enum CodingKeys: String, CodingKey {
        case model, reply
        case promptEquals = "prompt_equals"
        case promptContains = "prompt_contains"
        case imageEquals = "image_equals"
        case bodyContains = "body_contains"
        case maxPromptTokens = "max_prompt_tokens"
        case maxPromptChars = "max_prompt_chars"
        case step
    }
}
