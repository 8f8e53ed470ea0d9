import AssayConfig
import AssayCore

/// Reads `plans/*.yaml`.
///
/// ```yaml
/// suites: [evalsets/smoke-sentiment]
/// models: [gemma3-270m]
/// epochs: 1
/// concurrency: 2
/// generation: {max_tokens: 16, temperature: 0}
/// stream: true
/// cache: true
/// catalog: catalog/models.yaml
/// store: .assay/assay.sqlite
/// reports: reports
/// endpoints:                      # base URL overrides by endpoint name
///   local: http://127.0.0.1:8080/v1
/// ```
public enum PlanFile {
    public static func load(_ path: String) throws(InputError) -> Plan {
        let file = try YAMLFile.load(path)
        let entry = try file.decode(Entry.self)
        let problems = file.unknownKeys(in: file.root, allowed: Entry.CodingKeys.allCases.map(\.rawValue), context: "a plan")
            + file.unknownKeys(in: file.root?["generation"], allowed: ["max_tokens", "temperature"], context: "generation")
        if !problems.isEmpty { throw InputError(problems) }
        var plan = Plan(file: path)
        if let suites = entry.suites { plan.suites = suites }
        if let models = entry.models { plan.models = models }
        if let epochs = entry.epochs { plan.epochs = epochs }
        if let concurrency = entry.concurrency { plan.concurrency = concurrency }
        if let generation = entry.generation {
            plan.generation = Generation(maxTokens: generation.maxTokens, temperature: generation.temperature)
        }
        if let stream = entry.stream { plan.stream = stream }
        if let cache = entry.cache { plan.useCache = cache }
        if let catalog = entry.catalog { plan.catalog = catalog }
        if let store = entry.store { plan.store = store }
        if let reports = entry.reports { plan.reports = reports }
        if let endpoints = entry.endpoints { plan.baseURLs = endpoints }
        let invalid = plan.problems().filter { !$0.message.hasPrefix("no ") }
        if !invalid.isEmpty { throw InputError(invalid) }
        return plan
    }

    struct Entry: Decodable {
        var suites: [String]?
        var models: [String]?
        var epochs: Int?
        var concurrency: Int?
        var generation: GenerationEntry?
        var stream: Bool?
        var cache: Bool?
        var catalog: String?
        var store: String?
        var reports: String?
        var endpoints: [String: String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case suites, models, epochs, concurrency, generation, stream, cache, catalog, store, reports, endpoints
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
}
