import Foundation
import AssayCore

/// A candidate against a baseline, item by item: for each suite, which items the
/// candidate fixed or broke, the score difference with a paired 95% interval (bootstrap
/// over items, fixed seed, 10k resamples) and McNemar's exact test on the discordant pairs;
/// and, over the paired items, the change in cost, quality per dollar and latency.
public struct Comparison: Sendable {
    public var base: String
    public var candidate: String
    public var suites: [SuiteComparison]
    /// Every paired item, all suites together.
    public var overall: SuiteComparison
    public var baseStats: SideStats
    public var candidateStats: SideStats
    public var onlyInBase: Int
    public var onlyInCandidate: Int
    /// Suites the candidate has any result for (asked or not).
    public var candidateSuites: [String]
    /// The candidate's own score per suite, over all its items (paired or not).
    public var candidateScores: [String: Double]
    /// Both sides over the paired items, weighted by a traffic mix, when one was given.
    public var weighted: (base: WeightedStats, candidate: WeightedStats)?
    /// Every attempt each side's requests made (nil when not known).
    public var baseAttempts: AttemptTally?
    public var candidateAttempts: AttemptTally?
    /// The candidate's score and items per case tag, over every item it was asked.
    public var candidateTagScores: [String: (score: Double, n: Int)] = [:]
    /// The input price assumed where none is quoted (either side's), in words.
    public var costAssumption: String?

    public static func compute(
        base: Side, candidate: Side, traffic: TrafficMix? = nil, resamples: Int = 10_000, seed: UInt64 = 20_261_123
    ) -> Comparison {
        let keys = Set(base.records.keys).intersection(candidate.records.keys).filter { key in
            base.records[key]?.status.isAsked == true && candidate.records[key]?.status.isAsked == true
        }.sorted()
        let pairs = keys.compactMap { key -> (ItemRecord, ItemRecord)? in
            guard let a = base.records[key], let b = candidate.records[key] else { return nil }
            return (a, b)
        }
        let suiteOrder = (base.suites + candidate.suites).reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        let suites = suiteOrder.compactMap { suite -> SuiteComparison? in
            let inSuite = pairs.filter { $0.0.suite == suite }
            return inSuite.isEmpty
                ? nil : SuiteComparison(suite: suite, pairs: inSuite, resamples: resamples, seed: seed)
        }
        var candidateScores: [String: Double] = [:]
        for suite in suiteOrder {
            let asked = candidate.records.values.filter { $0.suite == suite && $0.status.isAsked }
            if !asked.isEmpty { candidateScores[suite] = asked.reduce(0) { $0 + $1.score } / Double(asked.count) }
        }
        var tagged: [String: (sum: Double, n: Int)] = [:]
        for record in candidate.records.values where record.status.isAsked {
            for tag in record.tags {
                tagged[tag, default: (0, 0)].sum += record.score
                tagged[tag, default: (0, 0)].n += 1
            }
        }
        var comparison = Comparison(
            base: base.label, candidate: candidate.label, suites: suites,
            overall: SuiteComparison(suite: "all", pairs: pairs, resamples: resamples, seed: seed),
            baseStats: SideStats(pairs.map(\.0)), candidateStats: SideStats(pairs.map(\.1)),
            onlyInBase: Set(base.records.keys).subtracting(keys).count,
            onlyInCandidate: Set(candidate.records.keys).subtracting(keys).count,
            candidateSuites: Set(candidate.records.values.map(\.suite)).sorted(), candidateScores: candidateScores,
            weighted: traffic.map {
                (WeightedStats.compute(pairs.map(\.0), mix: $0), WeightedStats.compute(pairs.map(\.1), mix: $0))
            },
            baseAttempts: base.attempts, candidateAttempts: candidate.attempts,
            costAssumption: base.costAssumption ?? candidate.costAssumption)
        comparison.candidateTagScores = tagged.mapValues { ($0.sum / Double($0.n), $0.n) }
        return comparison
    }

    /// The change of the candidate's cost over the baseline's, in percent; nil when the
    /// baseline cost nothing (and so did the candidate), infinity when only the candidate costs.
    public var costChangePercent: Double? { Self.percentChange(from: baseStats.cost, to: candidateStats.cost) }

    /// The change from `base` to `candidate` in percent; nil when both are 0, infinity when
    /// only the candidate is above 0.
    static func percentChange(from base: Double, to candidate: Double) -> Double? {
        if base == 0 { return candidate == 0 ? nil : .infinity }
        return (candidate - base) / base * 100
    }
}

extension ItemResult.Status {
    /// Whether the item was put to the model (a failed request counts, as a wrong answer).
    var isAsked: Bool { self == .graded || self == .error }
}

/// One suite (or "all") of a comparison.
public struct SuiteComparison: Sendable {
    public var suite: String
    public var n: Int
    public var baseScore: Double
    public var candidateScore: Double
    public var difference: Double { candidateScore - baseScore }
    /// Paired bootstrap 95% interval of the difference.
    public var interval: (lower: Double, upper: Double)?
    /// Base wrong, candidate right.
    public var fixed: Int
    /// Base right, candidate wrong.
    public var broken: Int
    public var bothRight: Int
    public var bothWrong: Int
    /// McNemar's exact p on fixed and broken.
    public var mcnemarP: Double
    public var brokenItems: [(base: ItemRecord, candidate: ItemRecord)]
    public var fixedItems: [(base: ItemRecord, candidate: ItemRecord)]

    init(suite: String, pairs: [(ItemRecord, ItemRecord)], resamples: Int, seed: UInt64) {
        self.suite = suite
        n = pairs.count
        baseScore = pairs.isEmpty ? 0 : pairs.reduce(0) { $0 + $1.0.score } / Double(pairs.count)
        candidateScore = pairs.isEmpty ? 0 : pairs.reduce(0) { $0 + $1.1.score } / Double(pairs.count)
        interval = PairedBootstrap.interval(
            differences: pairs.map { $0.1.score - $0.0.score }, resamples: resamples, seed: seed)
        fixed = pairs.filter { !$0.0.isRight && $0.1.isRight }.count
        broken = pairs.filter { $0.0.isRight && !$0.1.isRight }.count
        bothRight = pairs.filter { $0.0.isRight && $0.1.isRight }.count
        bothWrong = pairs.filter { !$0.0.isRight && !$0.1.isRight }.count
        mcnemarP = McNemar.exactP(b: fixed, c: broken)
        brokenItems = pairs.filter { $0.0.isRight && !$0.1.isRight }.map { ($0.0, $0.1) }
        fixedItems = pairs.filter { !$0.0.isRight && $0.1.isRight }.map { ($0.0, $0.1) }
    }
}

/// Cost, value and latency of one side over the paired items.
public struct SideStats: Sendable {
    public var n: Int
    public var score: Double?
    public var correct: Int
    public var cost: Double
    /// Items whose cost is unknown (no usage): left out of `cost`.
    public var unknownCost: Int
    /// What `cost` covers (the weakest basis of the paired items').
    public var basis: CostBasis
    /// Some of `cost` covers output tokens only (an input price is not quoted).
    public var outputOnly: Bool { basis == .outputOnly }
    public var errors: Int
    /// Answers replayed from the response cache: in the scores and costs, never in the timing.
    public var replayed: Int
    /// When the earliest and the latest of those were first asked, when known.
    public var replayedAsked: ClosedRange<Date>?
    /// Latency over fresh answers only (none replayed from the cache).
    public var latency: LatencyStats
    /// Time to the first answer token, over streamed answers.
    public var ttft: LatencyStats
    /// Inter-token latency and time per output token, over streamed answers (`StreamingStats`).
    public var interToken: LatencyStats
    public var timePerOutputToken: LatencyStats

    public var errorRate: Double? { n > 0 ? Double(errors) / Double(n) : nil }

    /// Correct answers per dollar; nil when nothing was paid or the cost is unknown.
    public var correctPerDollar: Double? {
        if case .perDollar(let value) = qualityPerDollar { return value }
        return nil
    }

    public var qualityPerDollar: QualityPerDollar {
        var spend = Spend()
        spend.cost = cost
        spend.unknownCost = unknownCost
        spend.basis = basis
        return QualityPerDollar(correct: correct, spend: spend)
    }

    init(_ records: [ItemRecord]) {
        n = records.count
        score = records.isEmpty ? nil : records.reduce(0) { $0 + $1.score } / Double(records.count)
        correct = records.filter(\.isRight).count
        cost = records.reduce(0) { $0 + ($1.cost ?? 0) }
        unknownCost = records.filter { $0.status == .graded && $0.cost == nil }.count
        basis = records.reduce(CostBasis.full) { $0.combined(with: $1.costBasis) }
        errors = records.filter(\.failed).count
        var recorder = LatencyRecorder()
        var ttftRecorder = LatencyRecorder()
        var itlRecorder = LatencyRecorder()
        var tpotRecorder = LatencyRecorder()
        replayed = records.filter(\.cached).count
        let asked = records.compactMap(\.cachedAt)
        replayedAsked = asked.min().flatMap { first in asked.max().map { first...$0 } }
        for record in records where record.status == .graded && !record.cached {
            if let latency = record.latencyMs { recorder.record(milliseconds: latency) }
            if let ttft = record.ttftMs { ttftRecorder.record(milliseconds: ttft) }
            if let itl = record.interTokenMs { itlRecorder.record(milliseconds: itl) }
            if let tpot = record.timePerOutputTokenMs { tpotRecorder.record(milliseconds: tpot) }
        }
        latency = recorder.stats
        ttft = ttftRecorder.stats
        interToken = itlRecorder.stats
        timePerOutputToken = tpotRecorder.stats
    }
}
