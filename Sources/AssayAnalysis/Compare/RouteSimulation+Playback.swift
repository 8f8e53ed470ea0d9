import AssayCore
import Foundation

extension RouteSimulation {
    /// The simulation a playback ended with, its statistics by suite and overall.
    init(_ playback: Playback, manifest: RunManifest, traffic: TrafficMix?) {
        let suiteOrder = manifest.suites.map(\.id)
        let asked = playback.simulated.values.filter(\.status.isAsked)
        let attempts = playback.attempts
        self.init(
            policy: playback.policy.name, rules: playback.policy.rules,
            side: Side(
                label: playback.policy.name, records: playback.simulated, suites: suiteOrder,
                attempts: attempts.attempts > 0 ? attempts : nil),
            ruleCounts: playback.ruleCounts, fallbackCounts: playback.fallbackCounts, unrouted: playback.unrouted,
            firings: playback.firings,
            suites: suiteOrder.compactMap { suite in SuiteStats(suite: suite, asked.filter { $0.suite == suite }) },
            overall: SuiteStats(suite: "all", asked)
                ?? SuiteStats(suite: "all", n: 0, costPerThousand: 0, latency: .empty),
            weighted: traffic.map { WeightedStats.compute(asked, mix: $0) })
    }

    /// A routing policy played over stored results, item by item: the counts, the windows,
    /// the firings and the attempts so far, and each item's ending.
    struct Playback {
        let policy: RoutingPolicy
        let results: [String: [ItemKey: ItemRecord]]
        var missing = Set<String>()
        var ruleCounts: [String: Int] = [:]
        var fallbackCounts: [String: Int] = [:]
        var unrouted = 0
        var simulated: [ItemKey: ItemRecord] = [:]
        var windows: [String: FailoverWindow] = [:]
        var firings: [String: RouteSimulation.Firing] = [:]
        /// The requests the policy would have sent, as the run's attempts for them went.
        var attempts = AttemptTally()

        init(policy: RoutingPolicy, results: [String: [ItemKey: ItemRecord]]) {
            self.policy = policy
            self.results = results
            for rule in policy.rules {
                if let window = rule.fallback?.window { windows[rule.name] = FailoverWindow(rule: window) }
            }
        }

        /// Each item with the rule that takes it (items no rule takes are counted as unrouted),
        /// in key order; where a rule has a window, in the order the run sent the rule's model
        /// its requests (items without a send time last, by key).
        mutating func route(_ items: [ItemKey: ItemRecord]) -> [(key: ItemKey, rule: RoutingPolicy.Rule)] {
            var routed: [(key: ItemKey, rule: RoutingPolicy.Rule, sentAt: Date?)] = []
            for key in items.keys.sorted() {
                guard let item = items[key] else { continue }
                guard
                    let rule = policy.rules.first(where: {
                        $0.match.matches(suite: item.suite, kind: item.kind, tags: item.tags, prompt: item.prompt)
                    })
                else {
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
            return routed.map { ($0.key, $0.rule) }
        }

        /// Serves one item under its rule: to the fallback unasked while the rule's window is
        /// open, else to the primary, and on to the fallback when a trigger fires.
        mutating func play(_ key: ItemKey, _ rule: RoutingPolicy.Rule) {
            guard let primary = results[rule.model]?[key] else {
                missing.insert(
                    "model \(rule.model) (rule '\(rule.name)') has no results for suite \(key.suite) in this run: add the model to the run"
                )
                return
            }
            ruleCounts[rule.name, default: 0] += 1
            if let fallback = rule.fallback, let window = windows[rule.name], let reason = window.reason {
                divert(key, rule, to: fallback, reason: reason, afterAnswers: window.seen)
            } else {
                ask(primary, key, rule)
            }
        }

        /// The window is open: the item goes to the fallback, the primary is not asked.
        mutating func divert(
            _ key: ItemKey, _ rule: RoutingPolicy.Rule, to fallback: RoutingPolicy.Fallback, reason: String,
            afterAnswers: Int
        ) {
            guard let second = fallbackRecord(key, rule, fallback) else { return }
            firings[
                rule.name,
                default: RouteSimulation.Firing(firstItem: key, afterAnswers: afterAnswers, reason: reason, items: 0)
            ].items += 1
            simulated[key] = second.takenUnderPolicy(clearingOutcome: false)
        }

        /// The primary is asked; its ending feeds the rule's window, and a trigger sends the
        /// item on to the fallback.
        mutating func ask(_ primary: ItemRecord, _ key: ItemKey, _ rule: RoutingPolicy.Rule) {
            sent(primary)
            let first = primary.takenUnderPolicy(clearingOutcome: true)
            windows[rule.name]?.record(
                failed: first.status == .error, latencyMs: first.status == .error ? nil : first.latencyMs)
            guard let fallback = rule.fallback, let trigger = RouteSimulation.trigger(fallback, first) else {
                simulated[key] = first
                return
            }
            guard let second = fallbackRecord(key, rule, fallback) else { return }
            let waited = trigger == .latency ? fallback.latencyOverMs : primary.latencyMs
            simulated[key] = primary.followed(by: second, waitedMs: waited)
        }

        /// The fallback's record of the item, counted as sent; nil (and a problem) when the
        /// run has none.
        mutating func fallbackRecord(_ key: ItemKey, _ rule: RoutingPolicy.Rule, _ fallback: RoutingPolicy.Fallback)
            -> ItemRecord?
        {
            guard let second = results[fallback.model]?[key] else {
                missing.insert(
                    "fallback model \(fallback.model) (rule '\(rule.name)') has no results for suite \(key.suite) in this run: add the model to the run"
                )
                return nil
            }
            fallbackCounts[rule.name, default: 0] += 1
            sent(second)
            return second
        }

        mutating func sent(_ record: ItemRecord) {
            attempts.attempts += record.attempts
            attempts.succeeded += record.succeededAttempts
        }
    }
}

extension ItemRecord {
    /// The record as a policy sees it: a model that could not take the item (unsupported, or
    /// the run's own fallback answered for it) failed its request, scoring 0. `clearingOutcome`:
    /// a primary's outcome goes with it (a fallback's stays, as `route simulate` always kept it).
    func takenUnderPolicy(clearingOutcome: Bool) -> ItemRecord {
        guard status == .fellBack || status == .unsupported else { return self }
        var failed = self
        failed.status = .error
        if clearingOutcome { failed.outcome = nil }
        failed.score = 0
        return failed
    }

    /// The fallback's answer after this primary's request: both requests paid (a failed one
    /// costs nothing; an answered one in full, even when the router gave up waiting for it),
    /// and waited for in turn (`waitedMs` for the primary: its latency, or the limit).
    func followed(by second: ItemRecord, waitedMs waited: Double?) -> ItemRecord {
        var final = second
        let firstCost = status == .graded ? cost : 0
        final.cost = firstCost.flatMap { first in second.cost.map { first + $0 } }
        final.costBasis = costBasis.combined(with: second.costBasis)
        final.tokens = (status == .graded ? tokens : 0).flatMap { first in second.tokens.map { first + $0 } }
        final.latencyMs = (waited ?? 0) + (second.latencyMs ?? 0)
        final.ttftMs = second.ttftMs.map { (waited ?? 0) + $0 }
        return final.takenUnderPolicy(clearingOutcome: false)
    }
}
