import AssayCore

/// Quality per dollar: correct answers per dollar spent, over a model's whole run.
///
/// A model that cost nothing (a local model, a baseline) is `free`: it ranks above every
/// paid model when it got anything right, and below all of them when it got nothing right,
/// without a division by zero. When some answers' cost is unknown (no usage from a model
/// that is not free) and the rest cost nothing, the spend is unknown, and so is this.
public enum QualityPerDollar: Sendable, Hashable {
    case perDollar(Double)
    case free
    case unknown

    public init(correct: Int, spend: Spend) {
        self.init(correct: correct, cost: spend.cost, unknownCost: spend.unknownCost)
    }

    /// From a cost and the number of answers whose cost is unknown.
    public init(correct: Int, cost: Double, unknownCost: Int) {
        if cost > 0 {
            self = .perDollar(Double(correct) / cost)
        } else if unknownCost > 0 {
            self = .unknown
        } else {
            self = .free
        }
    }

    /// The number, for `.perDollar`.
    public var perDollar: Double? {
        if case .perDollar(let value) = self { value } else { nil }
    }

    /// How `leaderboard.json` writes it: "per_dollar", "free" or "unknown".
    public var name: String {
        switch self {
        case .perDollar: "per_dollar"
        case .free: "free"
        case .unknown: "unknown"
        }
    }

    /// The sort key: higher is better; a free model with no correct answer sorts last.
    public func rankValue(correct: Int) -> Double {
        switch self {
        case .perDollar(let value): value
        case .free: correct > 0 ? .infinity : -1
        case .unknown: -2
        }
    }
}

/// The models of a run in order: by score, and by quality per dollar.
///
/// Correct answers per dollar are ranked only among costs that may be compared: models
/// whose cost covers output tokens only (no input price quoted) rank after every model with
/// a full (or declared estimated) cost, in a group of their own that reports label: on a
/// classification prompt their cost is a thirtieth of the bill, and ranking them with the
/// others would mostly reward a missing price.
public struct Rankings: Sendable, Hashable, Codable {
    /// Best score first; ties by lower cost.
    public var byScore: [String]
    /// Most correct answers per dollar first, within each cost basis group (full and
    /// estimated, then output-only); ties by higher score.
    public var byQualityPerDollar: [String]
    /// The models of `byQualityPerDollar` costed on output tokens only (ranked last, apart).
    public var outputOnly: [String] = []

    static func rank(_ models: [ModelSummary]) -> Rankings {
        let asked = models.filter { $0.overall.n > 0 }
        let byScore = asked.sorted {
            ($0.overall.score ?? -1, -$0.spend.cost, $1.model) > ($1.overall.score ?? -1, -$1.spend.cost, $0.model)
        }
        let byValue = byValue(asked) {
            ValueKey(
                model: $0.model, basis: $0.spend.basis, qualityPerDollar: $0.qualityPerDollar,
                correct: $0.overall.passed, score: $0.overall.score)
        }
        return Rankings(
            byScore: byScore.map(\.model), byQualityPerDollar: byValue.map(\.model),
            outputOnly: byValue.filter(\.spend.outputOnly).map(\.model))
    }
}

/// What ranks an entry by value: the one order of a run's ranking, a suite's and a
/// published leaderboard's.
public struct ValueKey: Sendable, Hashable {
    public var model: String
    public var basis: CostBasis
    public var qualityPerDollar: QualityPerDollar
    public var correct: Int
    public var score: Double?

    public init(model: String, basis: CostBasis, qualityPerDollar: QualityPerDollar, correct: Int, score: Double?) {
        self.model = model
        self.basis = basis
        self.qualityPerDollar = qualityPerDollar
        self.correct = correct
        self.score = score
    }
}

extension Rankings {
    /// `items` by value: costs that cover output tokens only after every other; within each
    /// group, most correct answers per dollar first, then the higher score, then the name.
    public static func byValue<T>(_ items: [T], _ key: (T) -> ValueKey) -> [T] {
        let keyed = items.map { (item: $0, key: key($0)) }
        return keyed.sorted { left, right in
            let a = left.key, b = right.key
            if (a.basis == .outputOnly) != (b.basis == .outputOnly) { return b.basis == .outputOnly }
            let l = (a.qualityPerDollar.rankValue(correct: a.correct), a.score ?? -1)
            let r = (b.qualityPerDollar.rankValue(correct: b.correct), b.score ?? -1)
            return l != r ? l > r : a.model < b.model
        }.map(\.item)
    }
}
