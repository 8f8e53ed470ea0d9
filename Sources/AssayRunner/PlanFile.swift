import AssayConfig
import AssayCore

/// Reads `plans/*.yaml`.
///
/// ```yaml
/// suites: [evalsets/smoke-sentiment]
/// models: [gemma3-270m]
/// epochs: 1
/// concurrency: 2                   # items in flight at once
/// generation: {max_tokens: 16, temperature: 0}
/// stream: true
/// cache: true                      # true | false | refresh
/// max_cost: 5.00                   # stop sending new requests at this spend (catalog currency)
/// ramp_up: 10                      # seconds over which the first `concurrency` requests start
/// retry: {max_attempts: 4, base_delay: 0.5, max_delay: 30, item_deadline: 900, max_retry_after: 300}
/// timeouts: {connect: 10, first_token: 120, idle: 60, total: 600}      # seconds
/// limits:
///   endpoints: {unified: {concurrency: 32, requests_per_minute: 600, tokens_per_minute: 1000000}}
///   models: {deepseek-r1: 4}       # concurrency per model
/// fallbacks:                        # as routers do: fail over on errors, error rate or p99
///   deepseek-v4-flash: {model: qwen3-32b, on_error: true, error_rate: 0.2, p99_ms: 8000, window: 50}
/// catalog: catalog/models.yaml
/// store: .assay/assay.sqlite
/// reports: reports
/// endpoints:                       # base URL overrides by endpoint name
///   local: http://127.0.0.1:8080/v1
/// ```
public enum PlanFile {
    public static func load(_ path: String) throws(InputError) -> Plan {
        let file = try YAMLFile.load(path)
        let entry = try file.decode(Entry.self)
        var problems = file.unknownKeys(in: file.root, allowed: Entry.CodingKeys.allCases.map(\.rawValue), context: "a plan")
        problems += file.unknownKeys(in: file.root?["generation"], allowed: ["max_tokens", "temperature"], context: "generation")
        problems += file.unknownKeys(in: file.root?["retry"], allowed: RetryEntry.CodingKeys.allCases.map(\.rawValue), context: "retry")
        problems += file.unknownKeys(in: file.root?["timeouts"], allowed: TimeoutsEntry.CodingKeys.allCases.map(\.rawValue), context: "timeouts")
        problems += file.unknownKeys(in: file.root?["limits"], allowed: ["endpoints", "models"], context: "limits")
        for (name, _) in file.root?["limits"]?["endpoints"]?.keys ?? [] {
            problems += file.unknownKeys(
                in: file.root?["limits"]?["endpoints"]?[name], allowed: LimitsEntry.CodingKeys.allCases.map(\.rawValue), context: "limits of '\(name)'")
        }
        for (name, _) in file.root?["fallbacks"]?.keys ?? [] {
            problems += file.unknownKeys(
                in: file.root?["fallbacks"]?[name], allowed: FallbackEntry.CodingKeys.allCases.map(\.rawValue), context: "fallback of '\(name)'")
        }
        var plan = Plan(file: path)
        if let suites = entry.suites { plan.suites = suites }
        if let models = entry.models { plan.models = models }
        if let epochs = entry.epochs { plan.epochs = epochs }
        if let concurrency = entry.concurrency { plan.concurrency = concurrency }
        if let generation = entry.generation {
            plan.settings.generation = Generation(maxTokens: generation.maxTokens, temperature: generation.temperature)
        }
        if let stream = entry.stream { plan.settings.stream = stream }
        if let cache = entry.cache {
            switch cache {
            case .bool(true): plan.settings.cache = .use
            case .bool(false): plan.settings.cache = .off
            case .string("refresh"): plan.settings.cache = .refresh
            default: problems.append(file.diagnostic(at: file.root?["cache"], "cache must be true, false or refresh"))
            }
        }
        plan.settings.maxCost = entry.maxCost
        plan.settings.rampUp = entry.rampUp
        if let retry = entry.retry {
            var policy = RetryPolicy()
            if let value = retry.maxAttempts { policy.maxAttempts = value }
            if let value = retry.baseDelay { policy.baseDelay = value }
            if let value = retry.maxDelay { policy.maxDelay = value }
            if let value = retry.itemDeadline { policy.itemDeadline = value }
            if let value = retry.maxRetryAfter { policy.maxRetryAfter = value }
            plan.settings.retry = policy
        }
        if let timeouts = entry.timeouts {
            var value = RequestTimeouts()
            if let connect = timeouts.connect { value.connect = connect }
            if let firstToken = timeouts.firstToken { value.firstToken = firstToken }
            if let idle = timeouts.idle { value.idle = idle }
            if let total = timeouts.total { value.total = total }
            plan.settings.timeouts = value
        }
        if let limits = entry.limits {
            plan.settings.endpointLimits = (limits.endpoints ?? [:]).mapValues {
                EndpointLimits(concurrency: $0.concurrency, requestsPerMinute: $0.requestsPerMinute, tokensPerMinute: $0.tokensPerMinute)
            }
            plan.settings.modelConcurrency = limits.models ?? [:]
        }
        if let fallbacks = entry.fallbacks {
            plan.settings.fallbacks = fallbacks.mapValues {
                FallbackRule(model: $0.model, onError: $0.onError ?? true, errorRate: $0.errorRate, p99Ms: $0.p99Ms, window: $0.window ?? 50)
            }
        }
        if let catalog = entry.catalog { plan.catalog = catalog }
        if let store = entry.store { plan.store = store }
        if let reports = entry.reports { plan.reports = reports }
        if let endpoints = entry.endpoints { plan.baseURLs = endpoints }
        problems += plan.problems { key in file.node(at: key)?.line }.filter { !$0.message.hasPrefix("no ") }
        if !problems.isEmpty { throw InputError(problems) }
        return plan
    }

    struct Entry: Decodable {
        var suites: [String]?
        var models: [String]?
        var epochs: Int?
        var concurrency: Int?
        var generation: GenerationEntry?
        var stream: Bool?
        var cache: JSONValue?
        var maxCost: Double?
        var rampUp: Double?
        var retry: RetryEntry?
        var timeouts: TimeoutsEntry?
        var limits: LimitsSection?
        var fallbacks: [String: FallbackEntry]?
        var catalog: String?
        var store: String?
        var reports: String?
        var endpoints: [String: String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case suites, models, epochs, concurrency, generation, stream, cache, retry, timeouts, limits, fallbacks, catalog, store, reports,
                endpoints
            case maxCost = "max_cost"
            case rampUp = "ramp_up"
        }
    }

    struct GenerationEntry: Decodable {
        var maxTokens: Int?
        var temperature: Double?

        enum CodingKeys: String, CodingKey {
            case maxTokens = "max_tokens"
            case temperature
        }
    }

    struct RetryEntry: Decodable {
        var maxAttempts: Int?
        var baseDelay: Double?
        var maxDelay: Double?
        var itemDeadline: Double?
        var maxRetryAfter: Double?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxAttempts = "max_attempts"
            case baseDelay = "base_delay"
            case maxDelay = "max_delay"
            case itemDeadline = "item_deadline"
            case maxRetryAfter = "max_retry_after"
        }
    }

    struct TimeoutsEntry: Decodable {
        var connect: Double?
        var firstToken: Double?
        var idle: Double?
        var total: Double?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case connect, idle, total
            case firstToken = "first_token"
        }
    }

    struct LimitsSection: Decodable {
        var endpoints: [String: LimitsEntry]?
        var models: [String: Int]?
    }

    struct LimitsEntry: Decodable {
        var concurrency: Int?
        var requestsPerMinute: Double?
        var tokensPerMinute: Double?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case concurrency
            case requestsPerMinute = "requests_per_minute"
            case tokensPerMinute = "tokens_per_minute"
        }
    }

    struct FallbackEntry: Decodable {
        var model: String
        var onError: Bool?
        var errorRate: Double?
        var p99Ms: Double?
        var window: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case model, window
            case onError = "on_error"
            case errorRate = "error_rate"
            case p99Ms = "p99_ms"
        }
    }
}
