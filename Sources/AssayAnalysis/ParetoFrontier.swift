import AssayCore

/// The cost/quality Pareto frontier: the models no other model beats on both counts
/// (another at most as expensive and at least as good, and better on one of them).
///
/// Only costs that may be compared are: the frontier is drawn among models with a full (or
/// declared estimated) cost; a model costed on output tokens only is on it only when every
/// model is (its cost is not the bill; ranked apart, see `Rankings`).
public enum ParetoFrontier {
    public struct Point: Sendable, Hashable {
        public var model: String
        public var cost: Double
        public var score: Double
        public var basis: CostBasis

        public init(model: String, cost: Double, score: Double, basis: CostBasis = .full) {
            self.model = model
            self.cost = cost
            self.score = score
            self.basis = basis
        }

        /// A model's point from its numbers (over the run or one suite); nil when it has no
        /// score or its spend is unknown.
        init?(model: String, stats: ScoreStats, spend: Spend) {
            guard let score = stats.score, QualityPerDollar(correct: stats.passed, spend: spend) != .unknown else {
                return nil
            }
            self.init(model: model, cost: spend.cost, score: score, basis: spend.basis)
        }
    }

    /// The frontier's models, cheapest first.
    public static func frontier(_ points: [Point]) -> [String] {
        let comparable =
            points.contains { $0.basis != .outputOnly } ? points.filter { $0.basis != .outputOnly } : points
        let sorted = comparable.sorted { ($0.cost, -$0.score, $0.model) < ($1.cost, -$1.score, $1.model) }
        var frontier: [String] = []
        var best = -Double.infinity
        for point in sorted where point.score > best {
            frontier.append(point.model)
            best = point.score
        }
        return frontier
    }
}
