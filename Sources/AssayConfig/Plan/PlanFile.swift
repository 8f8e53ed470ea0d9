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
/// max_cache_age: 7d                # replay cached answers at most this old; older are asked again
/// max_cost: 5.00                   # stop sending new requests at this spend (catalog currency)
/// ramp_up: 10                      # seconds over which the first `concurrency` requests start
/// retry: {max_attempts: 4, base_delay: 0.5, max_delay: 30, item_deadline: 900, max_retry_after: 300}
/// timeouts: {connect: 10, first_token: 120, idle: 60, total: 600}      # seconds
/// limits:
///   endpoints: {unified: {concurrency: 32, requests_per_minute: 600, tokens_per_minute: 1000000, burst_seconds: 1}}
///   models: {deepseek-r1: 4}       # concurrency per model
/// fallbacks:                        # as routers do: fail over on errors, error rate or p99
///   deepseek-v4-flash: {model: qwen3-32b, on_error: true, error_rate: 0.2, p99_ms: 8000, window: 50, min_requests: 10}
/// request:                         # extra request fields by model, over the catalog's
///   qwen3-8b: {enable_thinking: false}
/// max_tokens_floor: {deepseek-r1: 4096}   # the least max_tokens a model is sent
/// load: {rate: 50, arrivals: poisson, duration: 60}   # open loop: requests/s; requests: N or duration: seconds
///                                  # arrivals: constant | poisson | burst:20/5s | ramp:10/s..100/s | replay:FILE
///                                  # (a burst, ramp or replay sets its own rate; a rate given must agree, or scales a replay)
/// catalog: catalog/models.yaml
/// store: .assay/assay.sqlite
/// reports: reports
/// endpoints:                       # base URL overrides by endpoint name
///   local: http://127.0.0.1:8080/v1
/// ```
public enum PlanFile {
    /// The plan a file describes (every key it does not set at its default), with every
    /// problem reported at its line.
    public static func load(_ path: String) throws(InputError) -> Plan {
        Plan.resolve([try layer(path)], file: path)
    }

    /// The keys a plan file sets, checked: unknown keys, and values out of range at their line.
    public static func layer(_ path: String) throws(InputError) -> PlanLayer {
        let file = try YAMLFile.load(path)
        let entry = try file.decode(Entry.self)
        var problems = unknownKeys(in: file)
        var layer = PlanLayer()
        layer.suites = entry.suites
        layer.models = entry.models
        layer.epochs = entry.epochs
        layer.concurrency = entry.concurrency
        layer.maxTokens = entry.generation?.maxTokens
        layer.temperature = entry.generation?.temperature
        layer.stream = entry.stream
        readCache(entry, file: file, into: &layer, problems: &problems)
        layer.maxCost = entry.maxCost
        layer.rampUp = entry.rampUp
        layer.retry.maxAttempts = entry.retry?.maxAttempts
        layer.retry.baseDelay = entry.retry?.baseDelay
        layer.retry.maxDelay = entry.retry?.maxDelay
        layer.retry.itemDeadline = entry.retry?.itemDeadline
        layer.retry.maxRetryAfter = entry.retry?.maxRetryAfter
        layer.timeouts.connect = entry.timeouts?.connect
        layer.timeouts.firstToken = entry.timeouts?.firstToken
        layer.timeouts.idle = entry.timeouts?.idle
        layer.timeouts.total = entry.timeouts?.total
        layer.endpointLimits = entry.limits?.endpoints?.mapValues(\.limits)
        layer.modelConcurrency = entry.limits?.models
        layer.fallbacks = entry.fallbacks?.mapValues {
            FallbackRule(
                model: $0.model, onError: $0.onError ?? true, errorRate: $0.errorRate, p99Ms: $0.p99Ms,
                window: $0.window ?? 50,
                minRequests: $0.minRequests)
        }
        if let requests = entry.request {
            layer.modelRequests = readRequests(requests, file: file, problems: &problems)
        }
        for (model, floor) in entry.maxTokensFloor ?? [:] where floor < 1 {
            problems.append(
                file.diagnostic(
                    at: file.root?["max_tokens_floor"]?[model], "max_tokens_floor of '\(model)' must be at least 1"))
        }
        layer.maxTokensFloors = entry.maxTokensFloor
        if let load = entry.load { layer.load = readLoad(load, file: file, problems: &problems) }
        layer.catalog = entry.catalog
        layer.store = entry.store
        layer.reports = entry.reports
        layer.baseURLs = entry.endpoints
        problems += Plan.resolve([layer], file: path).problems { key in file.node(at: key)?.line }.filter {
            !$0.message.hasPrefix("no ")
        }
        if !problems.isEmpty { throw InputError(problems) }
        return layer
    }

    /// The keys the plan and its sections hold that a plan does not know.
    private static func unknownKeys(in file: YAMLFile) -> [Diagnostic] {
        var problems = file.unknownKeys(
            in: file.root, allowed: Entry.CodingKeys.allCases.map(\.rawValue), context: "a plan")
        problems += file.unknownKeys(
            in: file.root?["generation"], allowed: ["max_tokens", "temperature"], context: "generation")
        problems += file.unknownKeys(
            in: file.root?["retry"], allowed: RetryEntry.CodingKeys.allCases.map(\.rawValue), context: "retry")
        problems += file.unknownKeys(
            in: file.root?["timeouts"], allowed: TimeoutsEntry.CodingKeys.allCases.map(\.rawValue), context: "timeouts")
        problems += file.unknownKeys(in: file.root?["limits"], allowed: ["endpoints", "models"], context: "limits")
        for (name, _) in file.root?["limits"]?["endpoints"]?.keys ?? [] {
            problems += file.unknownKeys(
                in: file.root?["limits"]?["endpoints"]?[name], allowed: LimitsEntry.CodingKeys.allCases.map(\.rawValue),
                context: "limits of '\(name)'")
        }
        for (name, _) in file.root?["fallbacks"]?.keys ?? [] {
            problems += file.unknownKeys(
                in: file.root?["fallbacks"]?[name], allowed: FallbackEntry.CodingKeys.allCases.map(\.rawValue),
                context: "fallback of '\(name)'")
        }
        return problems
    }

    /// `max_cache_age` (a duration) and `cache` (true, false or refresh).
    private static func readCache(
        _ entry: Entry, file: YAMLFile, into layer: inout PlanLayer, problems: inout [Diagnostic]
    ) {
        switch entry.maxCacheAge {
        case nil: break
        case .string(let text)? where LoadProfile.parseDuration(text) != nil:
            layer.maxCacheAge = LoadProfile.parseDuration(text)
        case .int(let seconds)? where seconds > 0: layer.maxCacheAge = Double(seconds)
        default:
            problems.append(
                file.diagnostic(
                    at: file.root?["max_cache_age"], "max_cache_age must be a duration such as 7d, 12h or 3600s"))
        }
        switch entry.cache {
        case nil: break
        case .bool(true)?: layer.cache = .use
        case .bool(false)?: layer.cache = .off
        case .string("refresh")?: layer.cache = .refresh
        default: problems.append(file.diagnostic(at: file.root?["cache"], "cache must be true, false or refresh"))
        }
    }

    /// `request:`: each model's extra request fields, checked as the catalog checks its own.
    private static func readRequests(_ requests: [String: JSONValue], file: YAMLFile, problems: inout [Diagnostic])
        -> [String: [String: JSONValue]]
    {
        var fields: [String: [String: JSONValue]] = [:]
        for (model, value) in requests {
            let (checked, found) = CatalogFile.requestProblems(
                value, node: file.root?["request"]?[model], file: file, owner: "model '\(model)'")
            problems += found
            fields[model] = checked
        }
        return fields
    }

    /// `load:`: an open-loop load profile; nil when it has no rate to run at.
    private static func readLoad(_ load: LoadEntry, file: YAMLFile, problems: inout [Diagnostic]) -> LoadProfile? {
        problems += file.unknownKeys(
            in: file.root?["load"], allowed: LoadEntry.CodingKeys.allCases.map(\.rawValue), context: "load")
        var arrivals = LoadProfile.Arrivals.constant
        if let text = load.arrivals {
            let node = file.root?["load"]?["arrivals"]
            do {
                if let read = try LoadProfile.Arrivals.read(text) {
                    arrivals = read
                } else {
                    problems.append(
                        file.diagnostic(at: node, "arrivals '\(text.prefix(80))' is not \(LoadProfile.Arrivals.forms)"))
                }
            } catch {
                problems += error.diagnostics
            }
        }
        if let rate = load.rate, let contradiction = arrivals.contradiction(rate: rate) {
            problems.append(
                file.diagnostic(
                    at: file.root?["load"]?["rate"], "rate: \(contradiction): leave the rate out or make them agree"))
        }
        guard let perSecond = load.rate ?? arrivals.ownPerSecond else {
            problems.append(
                file.diagnostic(
                    at: file.root?["load"],
                    "load needs a rate (requests per second, such as rate: 50) for \(arrivals) arrivals"))
            return nil
        }
        return LoadProfile(
            perSecond: perSecond, arrivals: arrivals, requests: load.requests, durationSeconds: load.duration,
            seed: load.seed ?? 1)
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
        var maxCacheAge: JSONValue?
        var retry: RetryEntry?
        var timeouts: TimeoutsEntry?
        var limits: LimitsSection?
        var fallbacks: [String: FallbackEntry]?
        var request: [String: JSONValue]?
        var maxTokensFloor: [String: Int]?
        var load: LoadEntry?
        var catalog: String?
        var store: String?
        var reports: String?
        var endpoints: [String: String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case suites, models, epochs, concurrency, generation, stream, cache, retry, timeouts, limits, fallbacks,
                catalog, store, reports,
                endpoints, request, load
            case maxCost = "max_cost"
            case maxTokensFloor = "max_tokens_floor"
            case rampUp = "ramp_up"
            case maxCacheAge = "max_cache_age"
        }
    }

    struct LoadEntry: Decodable {
        var rate: Double?
        var arrivals: String?
        var requests: Int?
        var duration: Double?
        var seed: UInt64?

        enum CodingKeys: String, CodingKey, CaseIterable { case rate, arrivals, requests, duration, seed }
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

    struct FallbackEntry: Decodable {
        var model: String
        var onError: Bool?
        var errorRate: Double?
        var p99Ms: Double?
        var window: Int?
        var minRequests: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case model, window
            case onError = "on_error"
            case errorRate = "error_rate"
            case p99Ms = "p99_ms"
            case minRequests = "min_requests"
        }
    }
}
