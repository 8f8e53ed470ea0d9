/// The cost/quality Pareto frontier: the models no other model beats on both counts
/// (another at most as expensive and at least as good, and better on one of them).
public enum ParetoFrontier {
    public struct Point: Sendable, Hashable {
        public var model: String
        public var cost: Double
        public var score: Double

        public init(model: String, cost: Double, score: Double) {
            self.model = model
            self.cost = cost
            self.score = score
        }

        /// A model's point from its numbers (over the run or one suite); nil when it has no
        /// score or its spend is unknown.
        init?(model: String, stats: ScoreStats, spend: Spend) {
            guard let score = stats.score, QualityPerDollar(correct: stats.passed, spend: spend) != .unknown else { return nil }
            self.init(model: model, cost: spend.cost, score: score)
        }
    }

    /// The frontier's models, cheapest first.
    public static func frontier(_ points: [Point]) -> [String] {
        let sorted = points.sorted { ($0.cost, -$0.score, $0.model) < ($1.cost, -$1.score, $1.model) }
        var frontier: [String] = []
        var best = -Double.infinity
        for point in sorted where point.score > best {
            frontier.append(point.model)
            best = point.score
        }
        return frontier
    }
}
