/// How a run asks: what a plan and the flags decided beyond suites and models. Kept in the
/// run manifest, so that `assay run --resume` continues a run as it was started.
public struct RunSettings: Sendable, Hashable, Codable {
    public var generation: Generation
    public var stream: Bool
    public var cache: CacheMode
    /// Stop sending new requests when the spend (plus what is in flight) reaches this, in the
    /// catalog's currency; nil for no cap.
    public var maxCost: Double?
    /// Seconds over which the first `concurrency` requests start, evenly spaced, instead of
    /// all at once; nil or 0 for all at once. Later requests start as earlier ones finish,
    /// so the spacing lasts: an endpoint sees a steady stream, not waves of bursts.
    public var rampUp: Double?
    public var retry: RetryPolicy
    public var timeouts: RequestTimeouts
    /// Limits by endpoint name (overriding the catalog's) and by model id.
    public var endpointLimits: [String: EndpointLimits]
    public var modelConcurrency: [String: Int]
    /// Fallback rules by primary model id.
    public var fallbacks: [String: FallbackRule]
    /// Extra request fields by model id, over the catalog's `request:` (a plan's `request:`);
    /// nil in runs stored before.
    public var modelRequests: [String: [String: JSONValue]]?
    /// The least `max_tokens` by model id, over the catalog's `max_tokens_floor`.
    public var maxTokensFloors: [String: Int]?
    /// An open-loop load (`--rate`): requests start on a schedule, not as slots free up.
    public var load: LoadProfile?
    /// Route each case to one model, as production does (`--route`); nil asks every model
    /// every case.
    public var routing: RoutingPolicy?
    /// This run holds one static shard of the plan's items (`--shard K/N`); nil for all.
    public var shard: Shard?
    /// Seconds a cached answer may be replayed for (`--max-cache-age 7d`): an older one is
    /// asked again (and the cache refreshed); nil replays any age.
    public var maxCacheAge: Double?
    /// Where this process's client stands (`--client-region eu-west`): stored with each
    /// result, so that latency can be split by where it was measured from. A joining worker
    /// gives its own.
    public var clientRegion: String?
    /// Send this many requests in a closed loop (a sweep's level, its warm-up): the plan's
    /// items again, as further epochs, until there are enough; nil for one pass. An open
    /// loop counts its own (`load`).
    public var requests: Int?

    public init(
        generation: Generation = Generation(), stream: Bool = true, cache: CacheMode = .use, maxCost: Double? = nil,
        rampUp: Double? = nil,
        retry: RetryPolicy = RetryPolicy(), timeouts: RequestTimeouts = RequestTimeouts(),
        endpointLimits: [String: EndpointLimits] = [:],
        modelConcurrency: [String: Int] = [:], fallbacks: [String: FallbackRule] = [:]
    ) {
        self.generation = generation
        self.stream = stream
        self.cache = cache
        self.maxCost = maxCost
        self.rampUp = rampUp
        self.retry = retry
        self.timeouts = timeouts
        self.endpointLimits = endpointLimits
        self.modelConcurrency = modelConcurrency
        self.fallbacks = fallbacks
    }
}

/// The response cache, per run.
public enum CacheMode: String, Sendable, Hashable, Codable {
    /// Answer identical requests from the store, and store new answers.
    case use
    /// Send every request and overwrite the stored answers (`--refresh`).
    case refresh
    /// Neither read nor write the cache (`--no-cache`).
    case off
}

/// What a request may wait for, in seconds.
public struct RequestTimeouts: Sendable, Hashable, Codable {
    public var connect: Double
    /// From sending to the first token (answer or reasoning) of a streamed answer.
    public var firstToken: Double
    /// Between two chunks.
    public var idle: Double
    /// The whole exchange.
    public var total: Double

    public init(connect: Double = 10, firstToken: Double = 120, idle: Double = 60, total: Double = 600) {
        self.connect = connect
        self.firstToken = firstToken
        self.idle = idle
        self.total = total
    }
}

/// When and how often a failed request is sent again.
///
/// Retried: 429 and 503 (after their Retry-After when they give one), other 5xx, 408 and
/// 409, connection failures, timeouts and broken streams. Never retried: any other 4xx
/// (a bad request stays bad) and configuration problems. The wait before attempt n+1 is
/// "full jitter": a uniform draw in [0, min(maxDelay, baseDelay x 2^n)].
public struct RetryPolicy: Sendable, Hashable, Codable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// No attempt starts after this many seconds from the item's first attempt.
    public var itemDeadline: Double
    /// The longest Retry-After honoured, in seconds: a server asking for a day's pause gets
    /// this much (and an item whose deadline comes first fails as rate limited).
    public var maxRetryAfter: Double

    public init(
        maxAttempts: Int = 4, baseDelay: Double = 0.5, maxDelay: Double = 30, itemDeadline: Double = 900,
        maxRetryAfter: Double = 300
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.itemDeadline = itemDeadline
        self.maxRetryAfter = maxRetryAfter
    }

    enum CodingKeys: String, CodingKey { case maxAttempts, baseDelay, maxDelay, itemDeadline, maxRetryAfter }

    /// Manifests written before `maxRetryAfter` existed read with its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            maxAttempts: try container.decode(Int.self, forKey: .maxAttempts),
            baseDelay: try container.decode(Double.self, forKey: .baseDelay),
            maxDelay: try container.decode(Double.self, forKey: .maxDelay),
            itemDeadline: try container.decode(Double.self, forKey: .itemDeadline),
            maxRetryAfter: try container.decodeIfPresent(Double.self, forKey: .maxRetryAfter) ?? 300)
    }

    public static func isRetryable(_ kind: ErrorKind, status: Int?) -> Bool {
        switch kind {
        case .rateLimited, .server, .timeout, .connection, .decode: true
        case .http: status == 408 || status == 409
        case .configuration, .grader, .budget: false
        }
    }

    /// The wait before the attempt after `attempt` (1-based), given a uniform draw in [0, 1).
    public func backoff(after attempt: Int, draw: Double) -> Double {
        let ceiling = min(maxDelay, baseDelay * pow2(attempt - 1))
        return ceiling * min(max(draw, 0), 1)
    }

    private func pow2(_ exponent: Int) -> Double {
        var value = 1.0
        for _ in 0..<max(0, min(exponent, 62)) { value *= 2 }
        return value
    }
}

/// Rate and concurrency limits of an endpoint (from the catalog, overridable by a plan).
public struct EndpointLimits: Sendable, Hashable, Codable {
    public var concurrency: Int?
    public var requestsPerMinute: Double?
    public var tokensPerMinute: Double?
    /// How much of the per-minute allowance may go at once, in seconds' worth (default 1):
    /// vendors enforce a minute's limit over shorter windows, so a minute's burst at the start
    /// (or after a pause) is a storm of 429s.
    public var burstSeconds: Double?

    public static let defaultBurstSeconds = 1.0

    public init(
        concurrency: Int? = nil, requestsPerMinute: Double? = nil, tokensPerMinute: Double? = nil,
        burstSeconds: Double? = nil
    ) {
        self.concurrency = concurrency
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.burstSeconds = burstSeconds
    }

    /// These limits, with `other`'s where it sets them.
    public func overridden(by other: EndpointLimits?) -> EndpointLimits {
        guard let other else { return self }
        return EndpointLimits(
            concurrency: other.concurrency ?? concurrency,
            requestsPerMinute: other.requestsPerMinute ?? requestsPerMinute,
            tokensPerMinute: other.tokensPerMinute ?? tokensPerMinute, burstSeconds: other.burstSeconds ?? burstSeconds)
    }
}

/// When a model's items go to another model instead, as routers do: when its requests keep
/// failing, when its error rate or its p99 latency over recent requests passes a threshold.
/// A fallback answer is recorded as the fallback model's, apart from its own items, and
/// never counts in the primary model's score.
public struct FallbackRule: Sendable, Hashable, Codable {
    public var model: String
    /// Send an item to the fallback when its request failed after all retries.
    public var onError: Bool
    /// Route to the fallback while the error rate over the last `window` requests is above this (0...1).
    public var errorRate: Double?
    /// Route to the fallback while the p99 latency over the last `window` requests is above this.
    public var p99Ms: Double?
    public var window: Int
    /// Answers to see before the window may fire; nil: 10, or the window when smaller.
    public var minRequests: Int?

    public init(
        model: String, onError: Bool = true, errorRate: Double? = nil, p99Ms: Double? = nil, window: Int = 50,
        minRequests: Int? = nil
    ) {
        self.model = model
        self.onError = onError
        self.errorRate = errorRate
        self.p99Ms = p99Ms
        self.window = window
        self.minRequests = minRequests
    }

    /// The window rule, as `FailoverWindow` applies it.
    public var windowRule: FailoverWindow.Rule {
        FailoverWindow.Rule(errorRateOver: errorRate, p99OverMs: p99Ms, window: window, minRequests: minRequests)
    }
}
