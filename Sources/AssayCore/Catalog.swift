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

    public init(name: String, kind: EndpointKind = .openAI, baseURLs: [String], apiKeyEnv: String? = nil, limits: EndpointLimits = EndpointLimits()) {
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
    /// The id as the API expects it in the request's `model` field.
    public var id: String
    public var family: String
    public var endpoint: String
    public var aliases: [String]
    public var capabilities: Set<Capability>
    public var contextWindow: Int
    public var price: Price

    public init(
        id: String, family: String, endpoint: String, aliases: [String] = [], capabilities: Set<Capability> = [.text],
        contextWindow: Int, price: Price
    ) {
        self.id = id
        self.family = family
        self.endpoint = endpoint
        self.aliases = aliases
        self.capabilities = capabilities
        self.contextWindow = contextWindow
        self.price = price
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
            let best = names.map { candidate -> Int in
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
