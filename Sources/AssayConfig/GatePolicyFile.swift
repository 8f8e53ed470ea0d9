import AssayCore

/// Reads `gates/*.yaml`.
///
/// ```yaml
/// alpha: 0.05                         # significance level of the regression test
/// required_suites: [zh-sentiment, multistep-math]
/// min_score: {zh-sentiment: 0.85, "*": 0.5}
/// regression_tolerance: 0.02          # a significant drop of more than 2 points fails
/// max_cost_increase_percent: 10
/// max_p99_ms: 8000
/// max_ttft_p99_ms: 1500              # also max_p50_ms, max_p95_ms, max_ttft_p50_ms, max_ttft_p95_ms
/// max_itl_p99_ms: 60                 # inter-token latency; also max_itl_p50_ms, max_tpot_p50_ms, max_tpot_p99_ms
/// max_error_rate: 0.02
/// min_availability: 0.999           # attempts (retries included) that got a whole answer
/// traffic:                           # the production mix (see TrafficMixFile); cost judged on it
///   - {name: classification, match: {kind: classification}, weight: 80}
///   - {name: math, match: {kind: math}, weight: 20}
/// min_weighted_score: 0.8            # the score on that mix
/// assume_input_ratio: 0.6            # input at 0.6 x output where no input price is quoted
/// min_score_by_tag: {zh: 0.85}       # the score on items tagged zh, across suites
/// ```
public enum GatePolicyFile {
    /// The policy in `path`, every problem reported at its line, all at once.
    public static func load(_ path: String) throws(InputError) -> GatePolicy {
        let file = try YAMLFile.load(path)
        let entry = try file.decode(Entry.self)
        var problems = file.unknownKeys(
            in: file.root, allowed: Entry.CodingKeys.allCases.map(\.rawValue), context: "a gate policy")
        var policy = GatePolicy()
        readScores(entry, file: file, into: &policy, problems: &problems)
        readCostAndService(entry, file: file, into: &policy, problems: &problems)
        policy.percentileLimits = percentileLimits(entry, file: file, problems: &problems)
        if !problems.isEmpty { throw InputError(problems) }
        return policy
    }

    /// What the candidate must score: alpha, required suites, minimums (by suite, by tag, on
    /// the traffic mix) and the regression tolerance.
    private static func readScores(
        _ entry: Entry, file: YAMLFile, into policy: inout GatePolicy, problems: inout [Diagnostic]
    ) {
        if let alpha = entry.alpha {
            if !(alpha > 0 && alpha < 1) {
                problems.append(file.diagnostic(at: file.root?["alpha"], "alpha must be between 0 and 1"))
            }
            policy.alpha = alpha
        }
        policy.requiredSuites = entry.requiredSuites ?? []
        policy.regressionTolerance = entry.regressionTolerance ?? 0
        policy.minScore = entry.minScore ?? [:]
        for (suite, score) in policy.minScore {
            checkShare(score, file.root?["min_score"]?[suite], "min_score of '\(suite)'", file, &problems)
        }
        policy.minScoreByTag = entry.minScoreByTag ?? [:]
        for (tag, score) in policy.minScoreByTag {
            checkShare(score, file.root?["min_score_by_tag"]?[tag], "min_score_by_tag of '\(tag)'", file, &problems)
        }
        policy.traffic = TrafficMixFile.mix(in: file, problems: &problems)
        policy.minWeightedScore = entry.minWeightedScore
        if let score = entry.minWeightedScore {
            checkShare(score, file.root?["min_weighted_score"], "min_weighted_score", file, &problems)
            if policy.traffic == nil {
                problems.append(
                    file.diagnostic(
                        at: file.root?["min_weighted_score"], "min_weighted_score needs 'traffic:', the mix to weigh by"
                    ))
            }
        }
    }

    /// What the candidate may cost and how it must serve: the cost increase (and the input
    /// price assumed where none is quoted), p99, error rate and availability.
    private static func readCostAndService(
        _ entry: Entry, file: YAMLFile, into policy: inout GatePolicy, problems: inout [Diagnostic]
    ) {
        policy.maxCostIncreasePercent = entry.maxCostIncreasePercent
        if let ratio = entry.assumeInputRatio {
            if !(ratio.isFinite && ratio >= 0 && ratio <= 100) {
                problems.append(
                    file.diagnostic(
                        at: file.root?["assume_input_ratio"],
                        "assume_input_ratio must be from 0 to 100 (input price = ratio x output price)"))
            }
            policy.assumeInputRatio = ratio
        }
        policy.maxP99Ms = entry.maxP99Ms
        policy.maxErrorRate = entry.maxErrorRate
        if let rate = entry.maxErrorRate {
            checkShare(rate, file.root?["max_error_rate"], "max_error_rate", file, &problems)
        }
        policy.minAvailability = entry.minAvailability
        if let share = entry.minAvailability {
            checkShare(share, file.root?["min_availability"], "min_availability", file, &problems, "(0.999 is 99.9%)")
        }
    }

    /// A share must be from 0 to 1: "NAME must be from 0 to 1" at its line otherwise.
    private static func checkShare(
        _ value: Double, _ node: YAMLNode?, _ name: String, _ file: YAMLFile, _ problems: inout [Diagnostic],
        _ note: String = ""
    ) {
        guard !(0...1).contains(value) else { return }
        problems.append(file.diagnostic(at: node, "\(name) must be from 0 to 1" + (note.isEmpty ? "" : " " + note)))
    }

    /// `max_p50_ms`, `max_p95_ms` and the TTFT, ITL and TPOT limits, each a number of milliseconds above 0.
    private static func percentileLimits(_ entry: Entry, file: YAMLFile, problems: inout [Diagnostic])
        -> [GatePolicy.PercentileLimit]
    {
        let limits: [(GatePolicy.PercentileLimit.Measure, Int, Double?, String)] = [
            (.latency, 50, entry.maxP50Ms, "max_p50_ms"), (.latency, 95, entry.maxP95Ms, "max_p95_ms"),
            (.ttft, 50, entry.maxTTFTP50Ms, "max_ttft_p50_ms"),
            (.ttft, 95, entry.maxTTFTP95Ms, "max_ttft_p95_ms"), (.ttft, 99, entry.maxTTFTP99Ms, "max_ttft_p99_ms"),
            (.interToken, 50, entry.maxITLP50Ms, "max_itl_p50_ms"),
            (.interToken, 99, entry.maxITLP99Ms, "max_itl_p99_ms"),
            (.timePerOutputToken, 50, entry.maxTPOTP50Ms, "max_tpot_p50_ms"),
            (.timePerOutputToken, 99, entry.maxTPOTP99Ms, "max_tpot_p99_ms"),
        ]
        var found: [GatePolicy.PercentileLimit] = []
        for (measure, percentile, value, key) in limits {
            guard let value else { continue }
            if !(value > 0 && value.isFinite) {
                problems.append(file.diagnostic(at: file.root?[key], "\(key) must be a number of milliseconds above 0"))
            }
            found.append(GatePolicy.PercentileLimit(measure: measure, percentile: percentile, limitMs: value))
        }
        return found
    }

    struct Entry: Decodable {
        var alpha: Double?
        var requiredSuites: [String]?
        var minScore: [String: Double]?
        var regressionTolerance: Double?
        var maxCostIncreasePercent: Double?
        var maxP99Ms: Double?
        var maxErrorRate: Double?
        var minAvailability: Double?
        var minWeightedScore: Double?
        var traffic: JSONValue?
        var maxP50Ms: Double?
        var maxP95Ms: Double?
        var maxTTFTP50Ms: Double?
        var maxTTFTP95Ms: Double?
        var maxTTFTP99Ms: Double?
        var maxITLP50Ms: Double?
        var maxITLP99Ms: Double?
        var maxTPOTP50Ms: Double?
        var maxTPOTP99Ms: Double?
        var assumeInputRatio: Double?
        var minScoreByTag: [String: Double]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case alpha
            case requiredSuites = "required_suites"
            case minScore = "min_score"
            case regressionTolerance = "regression_tolerance"
            case maxCostIncreasePercent = "max_cost_increase_percent"
            case maxP99Ms = "max_p99_ms"
            case maxErrorRate = "max_error_rate"
            case minAvailability = "min_availability"
            case minWeightedScore = "min_weighted_score"
            case traffic
            case maxP50Ms = "max_p50_ms"
            case maxP95Ms = "max_p95_ms"
            case maxTTFTP50Ms = "max_ttft_p50_ms"
            case maxTTFTP95Ms = "max_ttft_p95_ms"
            case maxTTFTP99Ms = "max_ttft_p99_ms"
            case maxITLP50Ms = "max_itl_p50_ms"
            case maxITLP99Ms = "max_itl_p99_ms"
            case maxTPOTP50Ms = "max_tpot_p50_ms"
            case maxTPOTP99Ms = "max_tpot_p99_ms"
            case assumeInputRatio = "assume_input_ratio"
            case minScoreByTag = "min_score_by_tag"
        }
    }
}
