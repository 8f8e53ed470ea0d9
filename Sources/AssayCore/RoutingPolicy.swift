/// How production traffic is routed (`routing/*.yaml`): ordered rules, the first that
/// matches an item sends it to a model, with an optional fallback and its triggers.
public struct RoutingPolicy: Sendable, Hashable, Codable {
    public var name: String
    public var rules: [Rule]

    public init(name: String, rules: [Rule]) {
        self.name = name
        self.rules = rules
    }

    public struct Rule: Sendable, Hashable, Codable {
        /// A name for the reports: the policy file's `name:` of the rule, or "rule N".
        public var name: String
        public var match: Match
        /// The model id (resolved from the catalog when the policy is loaded).
        public var model: String
        public var fallback: Fallback?

        public init(name: String, match: Match = Match(), model: String, fallback: Fallback? = nil) {
            self.name = name
            self.match = match
            self.model = model
            self.fallback = fallback
        }
    }

    /// Which items a rule takes: all of the given conditions must hold; within one, any value.
    /// An empty match takes every item.
    public struct Match: Sendable, Hashable, Codable {
        public var suites: [String]?
        public var kinds: [SuiteKind]?
        /// The item has at least one of these tags.
        public var tags: [String]?

        public init(suites: [String]? = nil, kinds: [SuiteKind]? = nil, tags: [String]? = nil) {
            self.suites = suites
            self.kinds = kinds
            self.tags = tags
        }

        public func matches(suite: String, kind: SuiteKind?, tags itemTags: [String]) -> Bool {
            if let suites, !suites.contains(suite) { return false }
            if let kinds, !kinds.contains(where: { $0 == kind }) { return false }
            if let tags, !tags.contains(where: itemTags.contains) { return false }
            return true
        }
    }

    /// When a routed item goes on to another model: its request failed, its answer was
    /// invalid (no label, no number, no code), or it took longer than a limit.
    public struct Fallback: Sendable, Hashable, Codable {
        public var model: String
        public var onError: Bool
        public var onInvalid: Bool
        public var latencyOverMs: Double?

        public init(model: String, onError: Bool = true, onInvalid: Bool = false, latencyOverMs: Double? = nil) {
            self.model = model
            self.onError = onError
            self.onInvalid = onInvalid
            self.latencyOverMs = latencyOverMs
        }
    }
}
