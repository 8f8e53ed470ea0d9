/// What serves an endpoint's requests.
public enum EndpointKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An OpenAI-compatible chat-completions server.
    case openAI = "openai"
    /// Tesseract OCR on this machine: answers image requests with the text it reads (a $0 baseline).
    case tesseract
}

/// An endpoint: where requests go and which variable holds the key.
public struct Endpoint: Sendable, Hashable, Codable {
    public var name: String
    public var kind: EndpointKind
    /// Base URLs up to and including the version path (`https://host/v1`); the first is used
    /// first, the others are for failover.
    public var baseURLs: [String]
    /// The name of the environment variable that holds the API key, never the key itself.
    /// Nil for endpoints that need no key (a local server).
    public var apiKeyEnv: String?
    /// Concurrency, requests per minute and tokens per minute the endpoint allows.
    public var limits: EndpointLimits

    public init(
        name: String, kind: EndpointKind = .openAI, baseURLs: [String], apiKeyEnv: String? = nil,
        limits: EndpointLimits = EndpointLimits()
    ) {
        self.name = name
        self.kind = kind
        self.baseURLs = baseURLs
        self.apiKeyEnv = apiKeyEnv
        self.limits = limits
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, baseURLs, apiKeyEnv, limits
    }

    /// Manifests stored before endpoints had a kind read as OpenAI-compatible.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        kind = try container.decodeIfPresent(EndpointKind.self, forKey: .kind) ?? .openAI
        baseURLs = try container.decode([String].self, forKey: .baseURLs)
        apiKeyEnv = try container.decodeIfPresent(String.self, forKey: .apiKeyEnv)
        limits = try container.decodeIfPresent(EndpointLimits.self, forKey: .limits) ?? EndpointLimits()
    }
}

/// A model as the catalog describes it.
public struct ModelSpec: Sendable, Hashable, Codable {
    /// The catalog's id for the model: what plans, reports and the store name it by.
    public var id: String
    public var family: String
    public var endpoint: String
    public var aliases: [String]
    public var capabilities: Set<Capability>
    public var contextWindow: Int
    public var price: Price
    /// The id sent in the request's `model` field, when it is not `id`: one for every
    /// endpoint, or one per endpoint (a vendor's own endpoint knows `deepseek-chat`, a
    /// gateway `deepseek/deepseek-v4-flash`). Variants of one API model (a thinking and a
    /// plain one) share it and differ in `request`.
    public var apiID: String?
    public var apiIDs: [String: String]
    /// Extra JSON fields merged into every request body for this model (`enable_thinking`,
    /// `thinking: {type: enabled}`, `reasoning_effort`), under the plan's own overrides.
    public var request: [String: JSONValue]
    /// The tag of inline reasoning blocks in the answer's content (`think`: `<think>...</think>`),
    /// moved out of the answer into `reasoning`; nil when the model legitimately writes such tags.
    public var thinkTag: String?
    /// The least `max_tokens` the model is sent, whatever the suite asks: a reasoning model
    /// cut off at a suite's 16 tokens has not answered at all.
    public var maxTokensFloor: Int?

    public static let defaultThinkTag = "think"

    public init(
        id: String, family: String, endpoint: String, aliases: [String] = [], capabilities: Set<Capability> = [.text],
        contextWindow: Int, price: Price, apiID: String? = nil, apiIDs: [String: String] = [:],
        request: [String: JSONValue] = [:],
        thinkTag: String? = ModelSpec.defaultThinkTag, maxTokensFloor: Int? = nil
    ) {
        self.id = id
        self.family = family
        self.endpoint = endpoint
        self.aliases = aliases
        self.capabilities = capabilities
        self.contextWindow = contextWindow
        self.price = price
        self.apiID = apiID
        self.apiIDs = apiIDs
        self.request = request
        self.thinkTag = thinkTag
        self.maxTokensFloor = maxTokensFloor
    }

    /// The id the model is asked by on its endpoint.
    public var wireID: String { apiIDs[endpoint] ?? apiID ?? id }

    enum CodingKeys: String, CodingKey {
        case id, family, endpoint, aliases, capabilities, contextWindow, price, apiID, apiIDs, request, thinkTag,
            maxTokensFloor
        /// Written when inline reasoning is not split (`thinkTag` nil), so that a manifest
        /// stored before the field existed (no key) reads as the default tag.
        case noThinkTag
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let noThinkTag = try container.decodeIfPresent(Bool.self, forKey: .noThinkTag) ?? false
        self.init(
            id: try container.decode(String.self, forKey: .id),
            family: try container.decode(String.self, forKey: .family),
            endpoint: try container.decode(String.self, forKey: .endpoint),
            aliases: try container.decode([String].self, forKey: .aliases),
            capabilities: try container.decode(Set<Capability>.self, forKey: .capabilities),
            contextWindow: try container.decode(Int.self, forKey: .contextWindow),
            price: try container.decode(Price.self, forKey: .price),
            apiID: try container.decodeIfPresent(String.self, forKey: .apiID),
            apiIDs: try container.decodeIfPresent([String: String].self, forKey: .apiIDs) ?? [:],
            request: try container.decodeIfPresent([String: JSONValue].self, forKey: .request) ?? [:],
            thinkTag: noThinkTag
                ? nil : try container.decodeIfPresent(String.self, forKey: .thinkTag) ?? ModelSpec.defaultThinkTag,
            maxTokensFloor: try container.decodeIfPresent(Int.self, forKey: .maxTokensFloor))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(family, forKey: .family)
        try container.encode(endpoint, forKey: .endpoint)
        try container.encode(aliases, forKey: .aliases)
        // Sorted: a Set's order differs from process to process, and manifests written by
        // separate shards are compared as text (merge) and hashed (derived run ids).
        try container.encode(capabilities.sorted(), forKey: .capabilities)
        try container.encode(contextWindow, forKey: .contextWindow)
        try container.encode(price, forKey: .price)
        try container.encodeIfPresent(apiID, forKey: .apiID)
        if !apiIDs.isEmpty { try container.encode(apiIDs, forKey: .apiIDs) }
        if !request.isEmpty { try container.encode(request, forKey: .request) }
        if let thinkTag {
            try container.encode(thinkTag, forKey: .thinkTag)
        } else {
            try container.encode(true, forKey: .noThinkTag)
        }
        try container.encodeIfPresent(maxTokensFloor, forKey: .maxTokensFloor)
    }
}

/// The endpoints and models Assay may call, with their prices.
public struct Catalog: Sendable, Hashable, Codable {
    public var endpoints: [Endpoint]
    public var models: [ModelSpec]

    public init(endpoints: [Endpoint], models: [ModelSpec]) {
        self.endpoints = endpoints
        self.models = models
    }

    public func endpoint(named name: String) -> Endpoint? {
        endpoints.first { $0.name == name }
    }

    /// The model that `name` means: its id or one of its aliases, compared case-insensitively.
    public func model(named name: String) -> ModelSpec? {
        let wanted = name.lowercased()
        return models.first { $0.id.lowercased() == wanted }
            ?? models.first { $0.aliases.contains { $0.lowercased() == wanted } }
    }

    /// Resolves `name` or throws an error that names the closest known ids.
    public func resolve(_ name: String) throws(InputError) -> ModelSpec {
        if let model = model(named: name) { return model }
        let suggestions = closestIDs(to: name)
        var message = "unknown model '\(name)'"
        if !suggestions.isEmpty {
            message += "; did you mean \(suggestions.map { "'\($0)'" }.joined(separator: ", "))?"
        }
        message += " (`assay models` lists them all)"
        throw InputError(message)
    }

    /// Up to `limit` model ids whose id or alias is nearest to `name` by edit distance.
    public func closestIDs(to name: String, limit: Int = 3) -> [String] {
        let wanted = name.lowercased()
        let scored = models.map { model -> (id: String, distance: Int) in
            let names = [model.id] + model.aliases
            let best =
                names.map { candidate -> Int in
                    let lowered = candidate.lowercased()
                    // A name that contains what was typed (or the other way round) is a near miss.
                    if lowered.contains(wanted) || wanted.contains(lowered) {
                        return abs(lowered.count - wanted.count) / 4
                    }
                    return EditDistance.between(Array(wanted.unicodeScalars), Array(lowered.unicodeScalars))
                }.min() ?? Int.max
            return (model.id, best)
        }
        return scored.sorted { ($0.distance, $0.id) < ($1.distance, $1.id) }.prefix(limit).map(\.id)
    }
}
