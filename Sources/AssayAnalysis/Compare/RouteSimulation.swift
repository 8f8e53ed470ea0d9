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
        _ policy: RoutingPolicy, manifest: RunManifest, results: [String: [ItemKey: ItemRecord]], traffic: TrafficMix? = nil
    ) throws(InputError) -> RouteSimulation {
        var items: [ItemKey: ItemRecord] = [:]
        for records in results.values {
            for (key, record) in records where items[key] == nil { items[key] = record }
        }
        var missing = Set<String>()
        let storedSuites = Set(items.values.map(\.suite))
        for rule in policy.rules {
            for suite in rule.match.suites ?? [] where !storedSuites.contains(suite) {
                missing.insert("rule '\(rule.name)' routes suite \(suite), which has no results in this run: add the suite to the run")
            }
        }
        var ruleCounts: [String: Int] = [:]
        var fallbackCounts: [String: Int] = [:]
        var unrouted = 0
        var simulated: [ItemKey: ItemRecord] = [:]
        var windows: [String: FailoverWindow] = [:]
        for rule in policy.rules { if let window = rule.fallback?.window { windows[rule.name] = FailoverWindow(rule: window) } }
        var firings: [String: Firing] = [:]
        // The requests the policy would have sent, as the run's attempts for them went.
        var attempts = AttemptTally()
        func sent(_ record: ItemRecord) {
            attempts.attempts += record.attempts
            attempts.succeeded += record.succeededAttempts
        }
        // Each item with the rule that takes it, in the order the run sent the rule's model
        // its requests (items without a send time last, by key).
        var routed: [(key: ItemKey, rule: RoutingPolicy.Rule, sentAt: Date?)] = []
        for key in items.keys.sorted() {
            guard let item = items[key] else { continue }
            guard let rule = policy.rules.first(where: { $0.match.matches(suite: item.suite, kind: item.kind, tags: item.tags, prompt: item.prompt) }) else {
                unrouted += 1
                continue
            }
            routed.append((key, rule, results[rule.model]?[key]?.sentAt))
        }
        if !windows.isEmpty {
            routed.sort { lhs, rhs in
                let left = lhs.sentAt ?? .distantFuture, right = rhs.sentAt ?? .distantFuture
                return left != right ? left < right : lhs.key < rhs.key
            }
        }
        for (key, rule, _) in routed {
            guard let primary = results[rule.model]?[key] else {
                missing.insert("model \(rule.model) (rule '\(rule.name)') has no results for suite \(key.suite) in this run: add the model to the run")
                continue
            }
            ruleCounts[rule.name, default: 0] += 1
            if let fallback = rule.fallback, let window = windows[rule.name], let reason = window.reason {
                // The window is open: the item goes to the fallback, the primary is not asked.
                guard let second = results[fallback.model]?[key] else {
                    missing.insert("fallback model \(fallback.model) (rule '\(rule.name)') has no results for suite \(key.suite) in this run: add the model to the run")
                    continue
                }
                fallbackCounts[rule.name, default: 0] += 1
                firings[rule.name, default: Firing(firstItem: key, afterAnswers: window.seen, reason: reason, items: 0)].items += 1
                sent(second)
                var final = second
                if second.status == .fellBack || second.status == .unsupported { final.status = .error; final.score = 0 }
                simulated[key] = final
                continue
            }
            sent(primary)
            var final = primary
            if primary.status == .fellBack || primary.status == .unsupported {
                // The run's own fallback answered for it, or the model cannot take the item:
                // under this policy, the primary's request fails.
                final.status = .error
                final.outcome = nil
                final.score = 0
            }
            windows[rule.name]?.record(failed: final.status == .error, latencyMs: final.status == .error ? nil : final.latencyMs)
            if let fallback = rule.fallback, let trigger = trigger(fallback, final) {
                guard let second = results[fallback.model]?[key] else {
                    missing.insert("fallback model \(fallback.model) (rule '\(rule.name)') has no results for suite \(key.suite) in this run: add the model to the run")
                    continue
                }
                fallbackCounts[rule.name, default: 0] += 1
                sent(second)
                final = second
                // A failed request costs nothing; an answered one is paid in full, even when
                // the router gave up waiting for it.
                let firstCost = primary.status == .graded ? primary.cost : 0
                final.cost = firstCost.flatMap { first in second.cost.map { first + $0 } }
                final.costBasis = primary.costBasis.combined(with: second.costBasis)
                final.tokens = (primary.status == .graded ? primary.tokens : 0).flatMap { first in second.tokens.map { first + $0 } }
                let waited = trigger == .latency ? fallback.latencyOverMs : primary.latencyMs
                final.latencyMs = (waited ?? 0) + (second.latencyMs ?? 0)
                final.ttftMs = second.ttftMs.map { (waited ?? 0) + $0 }
                if second.status == .fellBack || second.status == .unsupported { final.status = .error; final.score = 0 }
            }
            simulated[key] = final
        }
        if !missing.isEmpty {
            throw InputError(
                missing.sorted().map { Diagnostic(file: "run \(manifest.id)", $0) })
        }
        let suiteOrder = manifest.suites.map(\.id)
        let asked = simulated.values.filter(\.status.isAsked)
        let suites = suiteOrder.compactMap { suite in SuiteStats(suite: suite, asked.filter { $0.suite == suite }) }
        return RouteSimulation(
            policy: policy.name, rules: policy.rules,
            side: Side(label: policy.name, records: simulated, suites: suiteOrder, attempts: attempts.attempts > 0 ? attempts : nil), ruleCounts: ruleCounts,
            fallbackCounts: fallbackCounts, unrouted: unrouted, firings: firings, suites: suites,
            overall: SuiteStats(suite: "all", asked) ?? SuiteStats(suite: "all", n: 0, costPerThousand: 0, latency: .empty),
            weighted: traffic.map { WeightedStats.compute(asked, mix: $0) })
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
