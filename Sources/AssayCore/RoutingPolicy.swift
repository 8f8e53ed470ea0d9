import Foundation
import Synchronization

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
        /// The prompt (the user's message), lower-cased, contains at least one of these,
        /// lower-cased: seed 003's "prove", "calculate", "step by step", ...
        public var promptContains: [String]?
        /// The prompt matches this regular expression (ICU syntax, anywhere in the text):
        /// refused when it can backtrack catastrophically, and matched under a time limit
        /// (`BoundedRegex`).
        public var promptRegex: String?
        /// The prompt's letters are of this script: `han` (Chinese only: seed 000's "pure
        /// Chinese text"), `latin` (no Han at all), or `mixed`.
        public var script: Script?
        /// The case carries an image (true) or none (false).
        public var hasImage: Bool?

        public enum Script: String, Sendable, Hashable, Codable, CaseIterable {
            case han, latin, mixed

            /// The script of `text`'s letters; nil when it has none.
            public static func of(_ text: String) -> Script? {
                var han = false, other = false
                for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
                    if scalar.properties.isIdeographic { han = true } else { other = true }
                    if han && other { return .mixed }
                }
                return han ? .han : other ? .latin : nil
            }
        }

        /// Each pattern compiled once, not once per item a simulation matches.
        private static let regexes = Mutex<[String: NSRegularExpression]>([:])

        static func compiled(_ pattern: String) -> NSRegularExpression? {
            regexes.withLock { cache in
                if let regex = cache[pattern] { return regex }
                // A policy built in code, not loaded (the loader refuses these with file:line).
                guard BoundedRegex.hazard(in: pattern) == nil, let regex = try? NSRegularExpression(pattern: pattern)
                else { return nil }
                cache[pattern] = regex
                return regex
            }
        }

        public init(
            suites: [String]? = nil, kinds: [SuiteKind]? = nil, tags: [String]? = nil, promptContains: [String]? = nil,
            promptRegex: String? = nil,
            script: Script? = nil, hasImage: Bool? = nil
        ) {
            self.suites = suites
            self.kinds = kinds
            self.tags = tags
            self.promptContains = promptContains
            self.promptRegex = promptRegex
            self.script = script
            self.hasImage = hasImage
        }

        /// Whether the rule takes an item; `prompt` is the user's message (nil when the store
        /// did not keep it: a prompt condition then does not match), `hasImage` whether the
        /// case sends an image.
        public func matches(
            suite: String, kind: SuiteKind?, tags itemTags: [String], prompt: String? = nil,
            hasImage itemHasImage: Bool = false
        ) -> Bool {
            if let suites, !suites.contains(suite) { return false }
            if let kinds, !kinds.contains(where: { $0 == kind }) { return false }
            if let tags, !tags.contains(where: itemTags.contains) { return false }
            if let hasImage, hasImage != itemHasImage { return false }
            guard promptContains != nil || promptRegex != nil || script != nil else { return true }
            guard let prompt else { return false }
            if let words = promptContains {
                let lowered = prompt.lowercased()
                if !words.contains(where: { lowered.contains($0.lowercased()) }) { return false }
            }
            if let promptRegex {
                guard let regex = Self.compiled(promptRegex), BoundedRegex.matches(regex, in: prompt) else {
                    return false
                }
            }
            if let script, Script.of(prompt) != script { return false }
            return true
        }
    }

    /// When a routed item goes on to another model: its request failed, its answer was
    /// invalid (no label, no number, no code), ambiguous (two labels named), off the labels
    /// (not one of the declared labels, as a confident classifier answers: "positive", not
    /// "probably positive, though..."), or it took longer than a limit.
    public struct Fallback: Sendable, Hashable, Codable {
        public var model: String
        public var onError: Bool
        public var onInvalid: Bool
        public var onAmbiguous = false
        public var onOffLabel = false
        public var latencyOverMs: Double?
        /// Fail over whole stretches of traffic, not items: while the primary's error rate or
        /// p99 over its last answers is past a limit (`FailoverWindow`, as a live run's
        /// `fallbacks:` does), its items go to the fallback unasked.
        public var window: FailoverWindow.Rule?

        public init(
            model: String, onError: Bool = true, onInvalid: Bool = false, latencyOverMs: Double? = nil,
            window: FailoverWindow.Rule? = nil
        ) {
            self.model = model
            self.onError = onError
            self.onInvalid = onInvalid
            self.latencyOverMs = latencyOverMs
            self.window = window
        }
    }
}
