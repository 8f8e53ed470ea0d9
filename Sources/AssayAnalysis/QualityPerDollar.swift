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
        if spend.cost > 0 {
            self = .perDollar(Double(correct) / spend.cost)
        } else if spend.unknownCost > 0 {
            self = .unknown
        } else {
            self = .free
        }
    }

    /// The sort key: higher is better; a free model with no correct answer sorts last.
    func rankValue(correct: Int) -> Double {
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
        let byValue = asked.sorted {
            if $0.spend.outputOnly != $1.spend.outputOnly { return !$0.spend.outputOnly }
            let left = ($0.qualityPerDollar.rankValue(correct: $0.overall.passed), $0.overall.score ?? -1)
            let right = ($1.qualityPerDollar.rankValue(correct: $1.overall.passed), $1.overall.score ?? -1)
            return left != right ? left > right : $0.model < $1.model
        }
        return Rankings(
            byScore: byScore.map(\.model), byQualityPerDollar: byValue.map(\.model),
            outputOnly: byValue.filter(\.spend.outputOnly).map(\.model))
    }
}
