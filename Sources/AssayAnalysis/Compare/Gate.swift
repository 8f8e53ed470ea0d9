import AssayCore
import Foundation

/// A gate policy's verdict on a comparison: each rule, passed or failed, with its numbers.
public enum Gate {
    public struct Verdict: Sendable {
        public var rule: String
        public var passed: Bool
        public var detail: String
    }

    /// Every rule's verdict. Throws (exit 2, bad input) when a rule would judge what it
    /// cannot: a cost rule over costs of different bases (a full cost against one of output
    /// tokens only), or timing and availability rules when every answer of the candidate was
    /// replayed from the response cache (no fresh timing). A verdict that refuses what it
    /// cannot compare is worth more than a pass that compares nothing.
    public static func evaluate(_ policy: GatePolicy, _ comparison: Comparison) throws(InputError) -> [Verdict] {
        let problems = incomparable(policy, comparison)
        guard problems.isEmpty else {
            throw InputError(problems.map { "the gate cannot judge this: " + $0 }.joined(separator: "\n"))
        }
        // One function a rule, each with a verdict for every check the policy sets, in report order.
        let rules: [(GatePolicy, Comparison) -> [Verdict]] = [
            requiredSuites, minScores, regressions, costIncrease, latencies, errorRate, weightedScore, availability,
        ]
        return rules.flatMap { $0(policy, comparison) }
    }

    /// Each required suite: the candidate has results for it.
    private static func requiredSuites(_ policy: GatePolicy, _ comparison: Comparison) -> [Verdict] {
        policy.requiredSuites.map { suite in
            let present = comparison.candidateScores[suite] != nil
            return Verdict(
                rule: "required suite \(suite)", passed: present,
                detail: present
                    ? "\(comparison.candidate) has results for \(suite)"
                    : "\(comparison.candidate) has no results for \(suite)")
        }
    }

    /// The minimum scores: per suite scored (or `*`), per tag, then each named suite with no results.
    private static func minScores(_ policy: GatePolicy, _ comparison: Comparison) -> [Verdict] {
        let pct = Format.percent
        var verdicts: [Verdict] = []
        for suite in comparison.candidateScores.keys.sorted() {
            guard let minimum = policy.minScore[suite] ?? policy.minScore["*"],
                let score = comparison.candidateScores[suite]
            else { continue }
            verdicts.append(
                Verdict(
                    rule: "min score \(suite)", passed: score >= minimum,
                    detail: "\(suite): \(pct(score)) against a minimum of \(pct(minimum))"))
        }
        for (tag, minimum) in policy.minScoreByTag.sorted(by: { $0.key < $1.key }) {
            let slice = comparison.candidateTagScores[tag]
            verdicts.append(
                Verdict(
                    rule: "min score tag \(tag)", passed: slice.map { $0.score >= minimum } ?? false,
                    detail: slice.map {
                        "items tagged \(tag): \(pct($0.score)) over \($0.n) against a minimum of \(pct(minimum))"
                    }
                        ?? "no item of \(comparison.candidate) is tagged \(tag)"))
        }
        for suite in policy.minScore.keys.sorted() where suite != "*" && comparison.candidateScores[suite] == nil {
            verdicts.append(Verdict(rule: "min score \(suite)", passed: false, detail: "\(suite): no results to score"))
        }
        return verdicts
    }

    /// With a regression tolerance: per suite, no drop beyond it that McNemar's test finds significant.
    private static func regressions(_ policy: GatePolicy, _ comparison: Comparison) -> [Verdict] {
        guard let tolerance = policy.regressionTolerance else { return [] }
        let pct = Format.percent
        return comparison.suites.map { suite in
            let significant = suite.mcnemarP < policy.alpha
            let regressed = suite.difference < -tolerance && significant
            let interval =
                suite.interval.map {
                    String(format: " (95%% CI %+.1f to %+.1f points)", $0.lower * 100, $0.upper * 100)
                } ?? ""
            let detail = String(
                format: "%@: %@ -> %@, %+.1f points%@, %d fixed / %d broken, McNemar p = %.4g %@ %.2g",
                suite.suite, pct(suite.baseScore), pct(suite.candidateScore), suite.difference * 100, interval,
                suite.fixed, suite.broken,
                suite.mcnemarP, significant ? "<" : ">=", policy.alpha)
            return Verdict(rule: "no significant regression on \(suite.suite)", passed: !regressed, detail: detail)
        }
    }

    private static func costIncrease(_ policy: GatePolicy, _ comparison: Comparison) -> [Verdict] {
        guard let limit = policy.maxCostIncreasePercent else { return [] }
        let money = Format.money
        // With a traffic mix, the cost of a thousand requests in that mix (an eval whose
        // cheap suites hold most items hides a rise on the traffic that matters); else the
        // cost of the paired items.
        let (what, base, candidate) =
            comparison.weighted.map {
                (
                    "cost per 1k requests weighted by \($0.candidate.source)", $0.base.costPerThousand,
                    $0.candidate.costPerThousand
                )
            }
            ?? ("cost", comparison.baseStats.cost, comparison.candidateStats.cost)
        let change = Comparison.percentChange(from: base, to: candidate)
        let changeText =
            change.map { $0.isInfinite ? "from $0" : String(format: "%+.1f%%", $0) } ?? "no cost on either side"
        let basis = comparison.baseStats.basis.combined(with: comparison.candidateStats.basis)
        return [
            Verdict(
                rule: "cost increase", passed: change.map { $0 <= limit } ?? true,
                detail: "\(what) \(money(base)) -> \(money(candidate)) (\(changeText)) against a limit of "
                    + String(format: "+%.1f%%", limit)
                    + (basis == .full ? "" : "; cost basis: \(basis.explanation)"))
        ]
    }

    /// The p99 limit, then each percentile limit on latency or TTFT.
    private static func latencies(_ policy: GatePolicy, _ comparison: Comparison) -> [Verdict] {
        var verdicts: [Verdict] = []
        if let limit = policy.maxP99Ms {
            let p99 = comparison.candidateStats.latency.p99Ms
            verdicts.append(
                Verdict(
                    rule: "p99 latency", passed: (p99 ?? 0) <= limit,
                    detail: String(
                        format: "p99 %@ ms against a limit of %.0f ms", p99.map { String(format: "%.0f", $0) } ?? "-",
                        limit)))
        }
        for limit in policy.percentileLimits {
            let candidate = comparison.candidateStats
            let stats =
                switch limit.measure {
                case .latency: candidate.latency
                case .ttft: candidate.ttft
                case .interToken: candidate.interToken
                case .timePerOutputToken: candidate.timePerOutputToken
                }
            let value: Double? =
                switch limit.percentile {
                case 50: stats.p50Ms
                case 95: stats.p95Ms
                default: stats.p99Ms
                }
            let name = "\(limit.measure.title) p\(limit.percentile)"
            // No measurement (no streamed answer for TTFT) cannot show the limit is kept.
            verdicts.append(
                Verdict(
                    rule: name, passed: value.map { $0 <= limit.limitMs } ?? false,
                    detail: String(
                        format: "%@ %@ ms against a limit of %.0f ms", name,
                        value.map { String(format: "%.0f", $0) } ?? "not measured", limit.limitMs)))
        }
        return verdicts
    }

    private static func errorRate(_ policy: GatePolicy, _ comparison: Comparison) -> [Verdict] {
        guard let limit = policy.maxErrorRate else { return [] }
        let pct = Format.percent
        let rate = comparison.candidateStats.errorRate ?? 0
        return [
            Verdict(
                rule: "error rate", passed: rate <= limit,
                detail:
                    "\(comparison.candidateStats.errors) of \(comparison.candidateStats.n) requests failed (\(pct(rate))) against a limit of \(pct(limit))"
            )
        ]
    }

    private static func weightedScore(_ policy: GatePolicy, _ comparison: Comparison) -> [Verdict] {
        guard let minimum = policy.minWeightedScore else { return [] }
        let pct = Format.percent
        let score = comparison.weighted?.candidate.score
        return [
            Verdict(
                rule: "weighted score", passed: score.map { $0 >= minimum } ?? false,
                detail:
                    "\(comparison.candidate) on \(comparison.weighted?.candidate.source ?? "the traffic mix"): \(score.map(pct) ?? "no items in the mix") against a minimum of \(pct(minimum))"
            )
        ]
    }

    private static func availability(_ policy: GatePolicy, _ comparison: Comparison) -> [Verdict] {
        guard let minimum = policy.minAvailability else { return [] }
        // No attempt known (answers from the cache, a simulated policy) cannot show it.
        guard let tally = comparison.candidateAttempts, let availability = tally.availability else {
            let detail =
                "not measured: \(comparison.candidate) made no attempt this store knows of (answered from the cache, or stored before Assay kept attempts); run it with --no-cache"
            return [Verdict(rule: "availability", passed: false, detail: detail)]
        }
        let detail =
            "\(tally.succeeded) of \(tally.attempts) attempts succeeded (\(AttemptText.availability(tally))) against a minimum of "
            + String(format: "%.2f%%", minimum * 100)
        return [Verdict(rule: "availability", passed: availability >= minimum, detail: detail)]
    }

    /// Why the policy's rules cannot judge this comparison, one line a reason (none: they can).
    static func incomparable(_ policy: GatePolicy, _ comparison: Comparison) -> [String] {
        var problems: [String] = []
        let base = comparison.baseStats.basis, candidate = comparison.candidateStats.basis
        if policy.maxCostIncreasePercent != nil, !base.isComparable(with: candidate) {
            problems.append(
                "the cost rule cannot compare \(comparison.base)'s cost (cost basis: \(base.explanation)) with \(comparison.candidate)'s "
                    + "(cost basis: \(candidate.explanation)): a cost without input tokens is not the bill. Quote the missing input price "
                    + "in the catalog (`assay prices import litellm FILE`) and run again, or state an assumption with "
                    + "--assume-input-ratio R (input priced at R x the output price where none is quoted; every report then says so)"
            )
        }
        var timed: [String] = []
        if policy.maxP99Ms != nil { timed.append("p99 latency") }
        timed += policy.percentileLimits.map { "\($0.measure.title) p\($0.percentile)" }
        if policy.minAvailability != nil { timed.append("availability") }
        let stats = comparison.candidateStats
        if !timed.isEmpty, stats.latency.count == 0, stats.replayed > 0 {
            problems.append(
                "no fresh timing: every one of \(comparison.candidate)'s \(stats.replayed) answers was replayed from the response cache, "
                    + "so the rules \(timed.joined(separator: ", ")) have nothing to judge (a replayed answer's latency is the first "
                    + "request's); run it again with --no-cache (or --max-cache-age) to measure it")
        }
        return problems
    }
}
