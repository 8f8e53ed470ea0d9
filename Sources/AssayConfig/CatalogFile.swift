import AssayCore

/// Loads `catalog/models.yaml`: endpoints, models and their prices.
///
/// ```yaml
/// prices: {currency: USD, date: 2026-11-23, source: "..."}   # defaults for every model
/// endpoints:
///   - name: unified
///     base_url: https://global-apis.com/v1        # or base_urls: [primary, fallback]
///     api_key_env: ASSAY_UNIFIED_API_KEY           # the variable's name, never a key
/// models:
///   - id: deepseek-v4-flash                        # as the API expects it
///     family: DeepSeek
///     endpoint: unified
///     aliases: [v4-flash]
///     capabilities: [text]
///     context_window: 128000
///     price: {input: 0.15, cached_input: 0.08, output: 0.25, source: "...", date: 2026-11-26}
///                                                  # per million tokens; input null = not quoted
/// ```
public enum CatalogFile {
    public static let defaultPath = "catalog/models.yaml"

    /// Loads the catalog at `path`; the default path falls back to the built-in catalog when
    /// no such file exists here (`source(for:)` says which).
    public static func load(_ path: String = defaultPath) throws(InputError) -> Catalog {
        switch source(for: path) {
        case .builtIn: return try read(YAMLFile.parse(BuiltInCatalog.yaml, path: BuiltInCatalog.name))
        case .file(let path): return try read(YAMLFile.load(path))
        }
    }

    public static func read(_ file: YAMLFile) throws(InputError) -> Catalog {
        let document = try file.decode(Document.self)
        var problems: [Diagnostic] = []
        let root = file.root
        problems += file.unknownKeys(
            in: root, allowed: Document.CodingKeys.allCases.map(\.rawValue), context: "the catalog")
        let endpoints = readEndpoints(document.endpoints, file: file, problems: &problems)
        problems += file.unknownKeys(
            in: root?["prices"], allowed: PriceDefaults.CodingKeys.allCases.map(\.rawValue), context: "prices")
        let rates = readExchangeRates(document.prices, file: file, problems: &problems)
        var models: [ModelSpec] = []
        var names: [String: String] = [:]  // lowercased id or alias -> model id
        for (index, entry) in document.models.enumerated() {
            let context = ModelContext(
                file: file, node: root?["models"]?.elements?[index], defaults: document.prices, rates: rates,
                endpoints: endpoints)
            if let model = readModel(entry, context, names: &names, problems: &problems) { models.append(model) }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return Catalog(endpoints: endpoints, models: models)
    }

    /// The catalog's endpoints, each checked: its kind, base URLs, key variable, a unique name.
    private static func readEndpoints(_ entries: [EndpointEntry], file: YAMLFile, problems: inout [Diagnostic])
        -> [Endpoint]
    {
        var endpoints: [Endpoint] = []
        for (index, entry) in entries.enumerated() {
            let node = file.root?["endpoints"]?.elements?[index]
            problems += file.unknownKeys(
                in: node, allowed: EndpointEntry.CodingKeys.allCases.map(\.rawValue), context: "an endpoint")
            let kind = EndpointKind(rawValue: entry.kind ?? "openai")
            if kind == nil {
                problems.append(
                    file.diagnostic(
                        at: node?["kind"],
                        "endpoint '\(entry.name)': unknown kind '\(entry.kind ?? "")'; expected one of: \(EndpointKind.allCases.map(\.rawValue).joined(separator: ", "))"
                    ))
            }
            let urls = entry.baseURLs ?? entry.baseURL.map { [$0] } ?? []
            if urls.isEmpty && kind == .openAI {
                problems.append(file.diagnostic(at: node, "endpoint '\(entry.name)' needs base_url or base_urls"))
            }
            for url in urls where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                problems.append(
                    file.diagnostic(
                        at: node, "endpoint '\(entry.name)': base URL '\(url)' must start with http:// or https://"))
            }
            if let variable = entry.apiKeyEnv, !isVariableName(variable) {
                problems.append(
                    file.diagnostic(
                        at: node?["api_key_env"],
                        "endpoint '\(entry.name)': api_key_env must name an environment variable (A-Z, 0-9, _), not hold a key"
                    ))
            }
            if endpoints.contains(where: { $0.name == entry.name }) {
                problems.append(file.diagnostic(at: node, "duplicate endpoint '\(entry.name)'"))
            }
            problems += file.unknownKeys(
                in: node?["limits"], allowed: LimitsEntry.CodingKeys.allCases.map(\.rawValue), context: "limits")
            endpoints.append(
                Endpoint(
                    name: entry.name, kind: kind ?? .openAI, baseURLs: urls.map(trimSlash), apiKeyEnv: entry.apiKeyEnv,
                    limits: entry.limits?.limits ?? EndpointLimits()))
        }
        return endpoints
    }

    /// `prices.exchange_rates`: US dollars per unit of each currency, each above 0.
    private static func readExchangeRates(_ defaults: PriceDefaults?, file: YAMLFile, problems: inout [Diagnostic])
        -> [String: Price.ExchangeRate]
    {
        var rates: [String: Price.ExchangeRate] = [:]
        for (currency, rate) in defaults?.exchangeRates ?? [:] {
            let node = file.root?["prices"]?["exchange_rates"]?[currency]
            problems += file.unknownKeys(
                in: node, allowed: RateEntry.CodingKeys.allCases.map(\.rawValue), context: "an exchange rate")
            guard rate.usd.isFinite, rate.usd > 0 else {
                problems.append(
                    file.diagnostic(
                        at: node,
                        "exchange rate for \(currency): usd must be a number above 0 (US dollars per \(currency))"))
                continue
            }
            rates[currency] = Price.ExchangeRate(usdPerUnit: rate.usd, date: rate.date, source: rate.source)
        }
        return rates
    }

    /// What a model entry is read against: its node, the price defaults, the rates, the endpoints.
    private struct ModelContext {
        var file: YAMLFile
        var node: YAMLNode?
        var defaults: PriceDefaults?
        var rates: [String: Price.ExchangeRate]
        var endpoints: [Endpoint]

        func diagnostic(at node: YAMLNode?, _ message: String) -> Diagnostic { file.diagnostic(at: node, message) }
        func hasEndpoint(_ name: String) -> Bool { endpoints.contains { $0.name == name } }
    }

    /// One model entry; nil when its price has no date or source (nothing after that is checked).
    /// `names` holds the ids and aliases of the models before it, lowercased.
    private static func readModel(
        _ entry: ModelEntry, _ context: ModelContext, names: inout [String: String], problems: inout [Diagnostic]
    ) -> ModelSpec? {
        let file = context.file, node = context.node
        problems += file.unknownKeys(
            in: node, allowed: ModelEntry.CodingKeys.allCases.map(\.rawValue), context: "a model")
        problems += file.unknownKeys(
            in: node?["price"], allowed: PriceEntry.CodingKeys.allCases.map(\.rawValue), context: "a price")
        if !context.hasEndpoint(entry.endpoint) {
            problems.append(
                context.diagnostic(
                    at: node?["endpoint"],
                    "model '\(entry.id)' names endpoint '\(entry.endpoint)', which is not in endpoints (\(context.endpoints.map(\.name).joined(separator: ", ")))"
                ))
        }
        claimNames(of: entry, context, names: &names, problems: &problems)
        guard let price = readPrice(of: entry, context, problems: &problems) else { return nil }
        let capabilities = Set(entry.capabilities ?? [.text])
        let (request, requestProblems) = Self.requestProblems(
            entry.request, node: node?["request"], file: file, owner: "model '\(entry.id)'")
        problems += requestProblems
        let (apiID, apiIDs) = readAPIID(of: entry, context, problems: &problems)
        let thinkTag = readThinkTag(of: entry, context, problems: &problems)
        if let floor = entry.maxTokensFloor, floor < 1 {
            problems.append(
                context.diagnostic(
                    at: node?["max_tokens_floor"], "model '\(entry.id)': max_tokens_floor must be at least 1"))
        }
        return ModelSpec(
            id: entry.id, family: entry.family, endpoint: entry.endpoint, aliases: entry.aliases ?? [],
            capabilities: capabilities,
            contextWindow: entry.contextWindow ?? context.defaults?.contextWindow ?? 128_000,
            price: price, apiID: apiID, apiIDs: apiIDs, request: request, thinkTag: thinkTag,
            maxTokensFloor: entry.maxTokensFloor)
    }

    /// Records the model's id and aliases in `names`, reporting one another model already uses.
    private static func claimNames(
        of entry: ModelEntry, _ context: ModelContext, names: inout [String: String], problems: inout [Diagnostic]
    ) {
        var own = Set<String>()
        for name in [entry.id] + (entry.aliases ?? []) where own.insert(name.lowercased()).inserted {
            if let owner = names[name.lowercased()] {
                problems.append(
                    context.diagnostic(
                        at: context.node, "'\(name)' of model '\(entry.id)' is already used by model '\(owner)'"))
            }
            names[name.lowercased()] = entry.id
        }
    }

    /// The model's price with the defaults under `prices`; nil when it has no date or source.
    private static func readPrice(of entry: ModelEntry, _ context: ModelContext, problems: inout [Diagnostic]) -> Price?
    {
        let node = context.node, defaults = context.defaults
        let output = entry.price.output
        if [output, entry.price.input ?? 0, entry.price.cachedInput ?? 0, entry.price.reasoning ?? 0].contains(where: {
            !$0.isFinite || $0 < 0
        }) {
            problems.append(
                context.diagnostic(at: node?["price"], "model '\(entry.id)': a price must be a number, not negative"))
        }
        guard let date = entry.price.date ?? defaults?.date, let source = entry.price.source ?? defaults?.source else {
            problems.append(
                context.diagnostic(
                    at: node?["price"],
                    "model '\(entry.id)': the price needs a date and a source (or set them under 'prices')"))
            return nil
        }
        let currency = entry.price.currency ?? defaults?.currency ?? "USD"
        if currency != "USD" && context.rates[currency] == nil {
            problems.append(
                context.diagnostic(
                    at: node?["price"]?["currency"] ?? node?["price"],
                    "model '\(entry.id)': a price in \(currency) needs a rate under prices.exchange_rates (\(currency): {usd: ..., date: ..., source: ...})"
                ))
        }
        var offPeak: Price.Window?
        if let window = entry.price.offPeak { offPeak = readOffPeak(window, of: entry, context, problems: &problems) }
        return Price(
            inputPerMillion: entry.price.input, cachedInputPerMillion: entry.price.cachedInput,
            outputPerMillion: output,
            currency: currency, date: date, source: source,
            exchangeRate: currency == "USD" ? nil : context.rates[currency], offPeak: offPeak,
            reasoningPerMillion: entry.price.reasoning)
    }

    /// The price's `off_peak` window: two different HH:MM times, prices not negative.
    private static func readOffPeak(
        _ window: WindowEntry, of entry: ModelEntry, _ context: ModelContext, problems: inout [Diagnostic]
    ) -> Price.Window {
        let windowNode = context.node?["price"]?["off_peak"]
        problems += context.file.unknownKeys(
            in: windowNode, allowed: WindowEntry.CodingKeys.allCases.map(\.rawValue), context: "an off-peak window")
        let from = minuteOfDay(window.from), to = minuteOfDay(window.to)
        if from == nil || to == nil || from == to {
            problems.append(
                context.diagnostic(
                    at: windowNode, "model '\(entry.id)': off_peak needs from and to as different HH:MM times (UTC)"))
        }
        if [window.input, window.cachedInput, window.output].contains(where: {
            $0.map { !$0.isFinite || $0 < 0 } ?? false
        }) {
            problems.append(
                context.diagnostic(
                    at: windowNode, "model '\(entry.id)': an off-peak price must be a number, not negative"))
        }
        if window.input != nil && entry.price.input == nil {
            problems.append(
                context.diagnostic(
                    at: windowNode, "model '\(entry.id)': an off-peak input price needs a regular input price"))
        }
        return Price.Window(
            fromMinute: from ?? 0, toMinute: to ?? 0, inputPerMillion: window.input,
            cachedInputPerMillion: window.cachedInput,
            outputPerMillion: window.output)
    }

    /// The model's `api_id`: one id for every endpoint, or a mapping endpoint -> id.
    private static func readAPIID(of entry: ModelEntry, _ context: ModelContext, problems: inout [Diagnostic]) -> (
        String?, [String: String]
    ) {
        let node = context.node
        var apiIDs: [String: String] = [:]
        switch entry.apiID {
        case .string(let id)?: return (id, [:])
        case .object(let map)?:
            for (endpoint, id) in map {
                guard let id = id.stringValue else {
                    problems.append(
                        context.diagnostic(
                            at: node?["api_id"]?[endpoint],
                            "model '\(entry.id)': api_id for endpoint '\(endpoint)' must be text"))
                    continue
                }
                if !context.hasEndpoint(endpoint) {
                    problems.append(
                        context.diagnostic(
                            at: node?["api_id"],
                            "model '\(entry.id)': api_id names endpoint '\(endpoint)', which is not in endpoints"))
                }
                apiIDs[endpoint] = id
            }
        case nil, .null?: break
        case let other?:
            problems.append(
                context.diagnostic(
                    at: node?["api_id"],
                    "model '\(entry.id)': api_id must be the id as the API knows it, or a mapping endpoint: id, not \(other.templateText)"
                ))
        }
        return (nil, apiIDs)
    }

    /// The model's inline reasoning tag: the default, a tag name, or none (false or null).
    private static func readThinkTag(of entry: ModelEntry, _ context: ModelContext, problems: inout [Diagnostic])
        -> String?
    {
        switch entry.thinkTag {
        case nil: return ModelSpec.defaultThinkTag
        case .null?, .bool(false)?: return nil
        case .string(let tag)?
        where !tag.isEmpty && tag.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }): return tag
        case let other?:
            problems.append(
                context.diagnostic(
                    at: context.node?["think_tag"],
                    "model '\(entry.id)': think_tag must be a tag name (think) or false, not \(other.templateText)"))
            return ModelSpec.defaultThinkTag
        }
    }

    /// Minutes after midnight of "HH:MM" (00:00 to 24:00); nil otherwise.
    static func minuteOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hours = Int(parts[0]),
            let minutes = Int(parts[1]),
            (0...24).contains(hours), (0..<60).contains(minutes), hours * 60 + minutes <= 1440
        else { return nil }
        return hours * 60 + minutes
    }

    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        // Upper case only: a pasted key (mixed case, dashes) is refused rather than taken for a name.
        return text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func trimSlash(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    struct Document: Decodable {
        var prices: PriceDefaults?
        var endpoints: [EndpointEntry]
        var models: [ModelEntry]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case prices, endpoints, models
        }
    }

    struct PriceDefaults: Decodable {
        var currency: String?
        var date: String?
        var source: String?
        var contextWindow: Int?
        /// US dollars per unit of each other currency a price is quoted in.
        var exchangeRates: [String: RateEntry]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case currency, date, source
            case contextWindow = "context_window"
            case exchangeRates = "exchange_rates"
        }
    }

    struct RateEntry: Decodable {
        var usd: Double
        var date: String
        var source: String

        enum CodingKeys: String, CodingKey, CaseIterable { case usd, date, source }
    }

    struct WindowEntry: Decodable {
        /// "HH:MM", UTC.
        var from: String
        var to: String
        var input: Double?
        var cachedInput: Double?
        var output: Double?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case from, to, input, output
            case cachedInput = "cached_input"
        }
    }

    struct EndpointEntry: Decodable {
        var name: String
        var kind: String?
        var limits: LimitsEntry?
        var baseURL: String?
        var baseURLs: [String]?
        var apiKeyEnv: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, kind, limits
            case baseURL = "base_url"
            case baseURLs = "base_urls"
            case apiKeyEnv = "api_key_env"
        }
    }

    struct ModelEntry: Decodable {
        var id: String
        var family: String
        var endpoint: String
        var aliases: [String]?
        var capabilities: [Capability]?
        var contextWindow: Int?
        var price: PriceEntry
        /// Where `assay prices import` reads this model's price: `{litellm: "<entry>"}`.
        var pricesFrom: [String: String]?
        /// The id sent on the wire: one string, or a mapping endpoint -> id.
        var apiID: JSONValue?
        /// Extra request-body fields: a mapping.
        var request: JSONValue?
        /// The inline reasoning tag: a name, or false/null for none.
        var thinkTag: JSONValue?
        var maxTokensFloor: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, family, endpoint, aliases, capabilities, price, request
            case contextWindow = "context_window"
            case pricesFrom = "prices_from"
            case apiID = "api_id"
            case thinkTag = "think_tag"
            case maxTokensFloor = "max_tokens_floor"
        }
    }

    /// The fields a model's `request:` may not set: Assay writes them itself.
    public static let reservedRequestFields: Set<String> = ["model", "messages", "stream", "stream_options"]

    /// Checks a `request:` mapping (a model's in the catalog, or a plan's override): a mapping
    /// whose keys Assay does not write itself. The problems, at `node`.
    public static func requestProblems(_ value: JSONValue?, node: YAMLNode?, file: YAMLFile, owner: String) -> (
        fields: [String: JSONValue], problems: [Diagnostic]
    ) {
        guard let value, !value.isNull else { return ([:], []) }
        guard let fields = value.objectValue else {
            return (
                [:],
                [
                    file.diagnostic(
                        at: node,
                        "\(owner): request must be a mapping of extra request fields (enable_thinking: false, thinking: {type: enabled}), not \(value.templateText)"
                    )
                ]
            )
        }
        let reserved = fields.keys.filter(reservedRequestFields.contains).sorted()
        guard reserved.isEmpty else {
            return (
                [:],
                [
                    file.diagnostic(
                        at: node,
                        "\(owner): request may not set \(reserved.joined(separator: ", ")): Assay writes those itself")
                ]
            )
        }
        return (fields, [])
    }

    struct PriceEntry: Decodable {
        var input: Double?
        var cachedInput: Double?
        var output: Double
        var reasoning: Double?
        var currency: String?
        var date: String?
        var source: String?
        var offPeak: WindowEntry?
        /// A price the user set by hand: `assay prices import` leaves it as it is.
        var pinned: Bool?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case input, output, reasoning, currency, date, source, pinned
            case cachedInput = "cached_input"
            case offPeak = "off_peak"
        }
    }
}

/// Rate and concurrency limits as a catalog's endpoint or a plan's `limits.endpoints` writes them.
public struct LimitsEntry: Decodable, Sendable {
    public var concurrency: Int?
    public var requestsPerMinute: Double?
    public var tokensPerMinute: Double?
    public var burstSeconds: Double?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case concurrency
        case requestsPerMinute = "requests_per_minute"
        case tokensPerMinute = "tokens_per_minute"
        case burstSeconds = "burst_seconds"
    }

    public var limits: EndpointLimits {
        EndpointLimits(
            concurrency: concurrency, requestsPerMinute: requestsPerMinute, tokensPerMinute: tokensPerMinute,
            burstSeconds: burstSeconds)
    }
}
