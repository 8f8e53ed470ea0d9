/// What a candidate must show against a baseline for a change to merge (`gates/*.yaml`).
/// Every rule is optional; a policy with none passes everything.
public struct GatePolicy: Sendable, Hashable, Codable {
    /// The significance level of the regression test (McNemar's exact test).
    public var alpha: Double
    /// Suites the candidate must have results for.
    public var requiredSuites: [String]
    /// The least score per suite ("*" for every suite not named).
    public var minScore: [String: Double]
    /// A drop in a suite's score fails when it is significant (p < alpha) and larger than
    /// this (0.02 is two points); nil turns the rule off.
    public var regressionTolerance: Double?
    /// The most the candidate's cost may rise over the baseline's, in percent.
    public var maxCostIncreasePercent: Double?
    /// The highest p99 end-to-end latency the candidate may have, in milliseconds.
    public var maxP99Ms: Double?
    /// The highest share of the candidate's items that may end with a failed request.
    public var maxErrorRate: Double?
    /// The least share of the candidate's attempts (every request sent, retries included)
    /// that may get a whole answer: 0.999 is "99.9% available".
    public var minAvailability: Double?
    /// The production mix (`traffic:`): with it, `max_cost_increase_percent` judges the cost
    /// of a request in this mix, and `min_weighted_score` the score in it.
    public var traffic: TrafficMix?
    /// The least score on the traffic mix.
    public var minWeightedScore: Double?
    /// The least score on the candidate's items that carry a case tag (`zh`, `difficulty:hard`),
    /// across suites: a slice the suites' own minimums would average away.
    public var minScoreByTag: [String: Double] = [:]
    /// The policy's stated assumption for models with no quoted input price: input priced
    /// at this ratio of the output price (`assume_input_ratio`; the flag overrides it), so
    /// that its cost rule can compare them with models costed in full.
    public var assumeInputRatio: Double?
    /// Limits on other percentiles of latency and of time to first token (SLAs are written
    /// in TTFT p99 as often as in latency), in milliseconds.
    public var percentileLimits: [PercentileLimit] = []

    public struct PercentileLimit: Sendable, Hashable, Codable {
        public enum Measure: String, Sendable, Hashable, Codable {
            case latency, ttft
            /// Inter-token latency and time per output token (`Timing`).
            case interToken, timePerOutputToken

            /// "latency", "TTFT", "ITL", "TPOT": how verdicts name it.
            public var title: String {
                switch self {
                case .latency: "latency"
                case .ttft: "TTFT"
                case .interToken: "ITL"
                case .timePerOutputToken: "TPOT"
                }
            }
        }
        public var measure: Measure
        /// 50, 95 or 99.
        public var percentile: Int
        public var limitMs: Double

        public init(measure: Measure, percentile: Int, limitMs: Double) {
            self.measure = measure
            self.percentile = percentile
            self.limitMs = limitMs
        }
    }

    public init(
        alpha: Double = 0.05, requiredSuites: [String] = [], minScore: [String: Double] = [:],
        regressionTolerance: Double? = 0,
        maxCostIncreasePercent: Double? = nil, maxP99Ms: Double? = nil, maxErrorRate: Double? = nil,
        minAvailability: Double? = nil,
        percentileLimits: [PercentileLimit] = []
    ) {
        self.minAvailability = minAvailability
        self.percentileLimits = percentileLimits
        self.alpha = alpha
        self.requiredSuites = requiredSuites
        self.minScore = minScore
        self.regressionTolerance = regressionTolerance
        self.maxCostIncreasePercent = maxCostIncreasePercent
        self.maxP99Ms = maxP99Ms
        self.maxErrorRate = maxErrorRate
    }
}
