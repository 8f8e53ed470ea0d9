import AssayCore
import Foundation

/// One model's result on one suite (or one tag slice of it) in one run: a point of a published
/// site's leaderboard and of a model's history. Encoded as is in `leaderboard.json`.
public struct SitePoint: Sendable, Hashable, Codable {
    public var run: String
    public var startedAt: Date
    /// The run's label, if a person gave it one.
    public var label: String?
    public var model: String
    public var family: String?
    public var suite: String
    /// The case tag this point covers; nil for the whole suite.
    public var slice: String?
    /// The suite's fingerprint in that run (`SuiteRef.fingerprint`); nil in runs stored before.
    public var fingerprint: String?
    /// Items asked and graded (errors count, unsupported do not), and right.
    public var n: Int
    public var correct: Int
    public var score: Double?
    /// The score's 95% Wilson interval.
    public var scoreLow: Double?
    public var scoreHigh: Double?
    /// What the items cost; `costBasis` says what that covers; `unknownCost` items had no usage.
    public var cost: Double
    public var costBasis: CostBasis
    public var unknownCost: Int
    /// Answers replayed from the response cache: their cost is counted, their timing is not.
    public var replayed: Int
    /// Correct answers per dollar; nil when free or unknown (`value` says which).
    public var correctPerDollar: Double?
    /// "per_dollar", "free" or "unknown".
    public var value: String
    public var costPerCorrect: Double?
    public var p50Ms: Double?
    public var p99Ms: Double?
    public var ttftP99Ms: Double?
    /// The share of the model's attempts in the run that got an answer (over the whole run).
    public var availability: Double?
    /// The model's price in that run's catalog, per million tokens.
    public var inputPerMillion: Double?
    public var outputPerMillion: Double?
    public var currency: String?
    public var priceDate: String?

    /// Correct answers per dollar, typed.
    public var qualityPerDollar: QualityPerDollar {
        QualityPerDollar(correct: correct, cost: cost, unknownCost: unknownCost)
    }

    /// What ranks it by value (`Rankings.byValue`).
    public var valueKey: ValueKey {
        ValueKey(model: model, basis: costBasis, qualityPerDollar: qualityPerDollar, correct: correct, score: score)
    }

    /// The price, as a change between two points is noticed.
    public var priceKey: String {
        "\(inputPerMillion.map { String($0) } ?? "-")/\(outputPerMillion.map { String($0) } ?? "-") \(currency ?? "")"
    }

    enum CodingKeys: String, CodingKey {
        case run, label, model, family, suite, slice, fingerprint, n, correct, score, cost, replayed, value
        case availability, currency
        case startedAt = "started_at"
        case scoreLow = "score_low"
        case scoreHigh = "score_high"
        case costBasis = "cost_basis"
        case unknownCost = "unknown_cost"
        case correctPerDollar = "correct_per_dollar"
        case costPerCorrect = "cost_per_correct"
        case p50Ms = "p50_ms"
        case p99Ms = "p99_ms"
        case ttftP99Ms = "ttft_p99_ms"
        case inputPerMillion = "input_per_million"
        case outputPerMillion = "output_per_million"
        case priceDate = "price_date"
    }
}

extension SitePoint {
    /// The points of a run: per model (fallback rows left out: they stand in for another) and
    /// suite it was asked, the whole suite and each tag slice.
    public static func points(of summary: RunSummary) -> [SitePoint] {
        let run = summary.run
        let fingerprints = Dictionary(
            run.suites.map { ($0.id, $0.fingerprint) }, uniquingKeysWith: { first, _ in first })
        var points: [SitePoint] = []
        for model in summary.models where model.fallbackFor == nil {
            let availability = summary.attempts.model(model.model)?.availability
            for suite in model.suites where suite.stats.n > 0 {
                func point(slice: String?, stats: ScoreStats, spend: Spend) -> SitePoint {
                    let value = QualityPerDollar(correct: stats.passed, spend: spend)
                    let interval = stats.interval
                    return SitePoint(
                        run: run.id, startedAt: run.startedAt, label: run.label?.text, model: model.model,
                        family: model.family, suite: suite.suite, slice: slice,
                        fingerprint: fingerprints[suite.suite] ?? nil, n: stats.n, correct: stats.passed,
                        score: stats.score, scoreLow: interval?.lower, scoreHigh: interval?.upper, cost: spend.cost,
                        costBasis: spend.basis, unknownCost: spend.unknownCost, replayed: spend.cached,
                        correctPerDollar: value.perDollar, value: value.name,
                        costPerCorrect: stats.passed > 0 && value != .unknown
                            ? spend.cost / Double(stats.passed) : nil,
                        p50Ms: slice == nil ? suite.latency.p50Ms : nil,
                        p99Ms: slice == nil ? suite.latency.p99Ms : nil,
                        ttftP99Ms: slice == nil ? suite.ttft.p99Ms : nil, availability: availability,
                        inputPerMillion: model.price?.inputPerMillion, outputPerMillion: model.price?.outputPerMillion,
                        currency: model.price?.currency, priceDate: model.price?.date)
                }
                points.append(point(slice: nil, stats: suite.stats, spend: suite.spend))
                for tag in suite.tags.keys.sorted() {
                    guard let stats = suite.tags[tag], stats.n > 0 else { continue }
                    points.append(point(slice: tag, stats: stats, spend: suite.tagSpend[tag] ?? Spend()))
                }
            }
        }
        return points
    }
}
