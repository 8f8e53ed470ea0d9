import AssayCore
import Foundation

/// A routing policy played over a run's stored results, without a new request: each item
/// goes to the first rule that matches it, and to the rule's fallback when a trigger fires
/// (the primary's request failed, its answer was invalid, or it was slower than the limit).
///
/// A fallen-back item pays for both requests (a failed one costs nothing) and waits for
/// both in turn: the primary's whole latency, or the limit when the router gave up on a
/// slow primary. A primary that could not take the item (unsupported, or the run's own
/// fallback answered for it) counts as a failed request. Times are the run's: a policy
/// is simulated with the latencies measured when the run asked.
///
/// A fallback with a window (`error_rate_over`, `p99_over_ms`, `window`, `min_requests`)
/// fails over stretches of traffic, as routers do: items are played in the order the run
/// sent them (the primary's send time), the primary's answers fill a `FailoverWindow` (the
/// one a live run's `fallbacks:` use), and while it says so, the rule's items go to the
/// fallback unasked (its cost and latency only). When it first fired, and how often, is
/// reported per rule. As in a live run, a window that fired holds until new answers of the
/// primary move it: items it diverts are not asked of the primary.
public struct RouteSimulation: Sendable {
    public var policy: String
    /// The policy's rules, in order.
    public var rules: [RoutingPolicy.Rule]
    /// The simulated results, item by item: a side to compare.
    public var side: Side
    /// How many items each rule took, by rule name.
    public var ruleCounts: [String: Int]
    /// How many items each rule sent on to its fallback, by rule name.
    public var fallbackCounts: [String: Int]
    /// Items no rule matched (not served).
    public var unrouted: Int
    /// Windowed failovers that fired, by rule name: when first, why, and how many items went
    /// to the fallback unasked.
    public var firings: [String: Firing]

    public struct Firing: Sendable, Hashable {
        /// The first item diverted, and the answers of the primary seen before it.
        public var firstItem: ItemKey
        public var afterAnswers: Int
        public var reason: String
        public var items: Int
    }
    public var suites: [SuiteStats]
    /// Every routed item, all suites together.
    public var overall: SuiteStats
    /// The same, weighted by a traffic mix, when one was given.
    public var weighted: WeightedStats?

    /// What the policy would give on one suite: the mean score, the cost of a thousand
    /// items (requests) like these, and the latency a caller would see.
    public struct SuiteStats: Sendable {
        public var suite: String
        public var n: Int
        public var score: Double?
        public var costPerThousand: Double
        /// What the cost covers (the weakest basis of its items').
        public var costBasis = CostBasis.full
        /// Some of the cost covers output tokens only (an input price is not quoted).
        public var costOutputOnly: Bool { costBasis == .outputOnly }
        public var latency: LatencyStats

        init(suite: String, n: Int, score: Double? = nil, costPerThousand: Double, latency: LatencyStats) {
            self.suite = suite
            self.n = n
            self.score = score
            self.costPerThousand = costPerThousand
            self.latency = latency
        }

        /// Nil when no item of the suite was asked.
        init?(suite: String, _ records: [ItemRecord]) {
            guard !records.isEmpty else { return nil }
            var recorder = LatencyRecorder()
            for record in records { if let latency = record.latencyMs { recorder.record(milliseconds: latency) } }
            self.suite = suite
            n = records.count
            score = records.reduce(0) { $0 + $1.score } / Double(records.count)
            costPerThousand = records.reduce(0) { $0 + ($1.cost ?? 0) } / Double(records.count) * 1000
            costBasis = records.reduce(CostBasis.full) { $0.combined(with: $1.costBasis) }
            latency = recorder.stats
        }
    }

    public static func simulate(
        _ policy: RoutingPolicy, manifest: RunManifest, results: [String: [ItemKey: ItemRecord]],
        traffic: TrafficMix? = nil
    ) throws(InputError) -> RouteSimulation {
        let items = firstRecords(results)
        var playback = Playback(policy: policy, results: results)
        playback.missing = suitesWithoutResults(policy, stored: Set(items.values.map(\.suite)))
        for (key, rule) in playback.route(items) { playback.play(key, rule) }
        if !playback.missing.isEmpty {
            throw InputError(playback.missing.sorted().map { Diagnostic(file: "run \(manifest.id)", $0) })
        }
        return RouteSimulation(playback, manifest: manifest, traffic: traffic)
    }

    /// Each item once, as the first model's results that hold it have it.
    static func firstRecords(_ results: [String: [ItemKey: ItemRecord]]) -> [ItemKey: ItemRecord] {
        var items: [ItemKey: ItemRecord] = [:]
        for records in results.values {
            for (key, record) in records where items[key] == nil { items[key] = record }
        }
        return items
    }

    /// A problem for each suite a rule routes that the run has no results for.
    static func suitesWithoutResults(_ policy: RoutingPolicy, stored: Set<String>) -> Set<String> {
        var missing = Set<String>()
        for rule in policy.rules {
            for suite in rule.match.suites ?? [] where !stored.contains(suite) {
                missing.insert(
                    "rule '\(rule.name)' routes suite \(suite), which has no results in this run: add the suite to the run"
                )
            }
        }
        return missing
    }

    /// Another name for the policy, in the reports.
    public mutating func rename(_ name: String) {
        policy = name
        side.label = name
    }

    enum Trigger { case error, invalid, ambiguous, offLabel, latency }

    /// Why the item goes on to the fallback, if it does.
    static func trigger(_ fallback: RoutingPolicy.Fallback, _ primary: ItemRecord) -> Trigger? {
        if fallback.onError && primary.status == .error { return .error }
        if fallback.onInvalid && primary.outcome == .invalid { return .invalid }
        if fallback.onAmbiguous && primary.ambiguous { return .ambiguous }
        if fallback.onOffLabel && primary.offLabel { return .offLabel }
        if let limit = fallback.latencyOverMs, let latency = primary.latencyMs, latency > limit { return .latency }
        return nil
    }
}
