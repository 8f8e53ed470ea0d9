import AssayAnalysis
import AssayCore
import Testing

/// Judging on production's mix (the seeds' 80/10/5/5), not on the eval's.
@Suite struct TrafficWeightTests {
    /// 8 classification items a model gets right for $0.001 each, 2 math items it gets wrong
    /// for $0.01 each, 1 code item no share takes.
    static func records(mathRight: Bool = false, mathCost: Double = 0.01) -> [ItemRecord] {
        var records: [ItemRecord] = []
        for index in 0..<8 {
            records.append(
                ItemRecord(
                    suite: "zh", caseID: "c\(index)", epoch: 1, kind: .classification, status: .graded, outcome: .pass,
                    score: 1, cost: 0.001,
                    latencyMs: 100))
        }
        for index in 0..<2 {
            records.append(
                ItemRecord(
                    suite: "math", caseID: "m\(index)", epoch: 1, kind: .math, status: .graded,
                    outcome: mathRight ? .pass : .fail, score: mathRight ? 1 : 0,
                    cost: mathCost, latencyMs: 2000))
        }
        records.append(
            ItemRecord(
                suite: "code", caseID: "k", epoch: 1, kind: .code, status: .graded, outcome: .pass, score: 1, cost: 1,
                latencyMs: 50))
        return records
    }

    static let mix = TrafficMix(
        source: "traffic/test.yaml",
        shares: [
            TrafficMix.Share(name: "classification", match: RoutingPolicy.Match(kinds: [.classification]), weight: 20),
            TrafficMix.Share(name: "math", match: RoutingPolicy.Match(suites: ["math"]), weight: 80),
            TrafficMix.Share(name: "vision", match: RoutingPolicy.Match(hasImage: true), weight: 5),
        ])

    @Test func eachShareCountsForItsWeightWhateverItsItems() throws {
        let stats = WeightedStats.compute(Self.records(), mix: Self.mix)
        // Vision has no items: left out, 20 and 80 renormalised to 20% and 80%.
        #expect(stats.missing == ["vision"] && stats.unmatched == 1)
        #expect(
            abs((stats.score ?? -1) - 0.2) < 1e-12,
            "80% of the traffic is math, all wrong: \(String(describing: stats.score))")
        #expect(abs(stats.costPerThousand - 1000 * (0.2 * 0.001 + 0.8 * 0.01)) < 1e-9)
        // Latency: 80% of the weight is at 2,000 ms, so the weighted p50 is 2,000 ms (unweighted, 100 ms).
        #expect(stats.p50Ms == 2000 && stats.p99Ms == 2000)
        #expect(
            stats.line.contains("math 80.0% of traffic, 2 items, 0.0%")
                && stats.line.contains("vision: no items, left out"))
    }

    @Test func aGateJudgesCostAndScoreOnTheMix() throws {
        func side(_ records: [ItemRecord], _ label: String) -> Side {
            Side(
                label: label, records: Dictionary(uniqueKeysWithValues: records.map { ($0.key, $0) }),
                suites: ["zh", "math", "code"])
        }
        // The candidate gets math right at twice the math price: on the eval's mix (8 cheap
        // items, 2 math, 1 code at $1) cost rises 2%; on production's (80% math) it nearly doubles.
        let comparison = Comparison.compute(
            base: side(Self.records(), "base"),
            candidate: side(Self.records(mathRight: true, mathCost: 0.02), "candidate"), traffic: Self.mix,
            resamples: 100)
        let policy = GatePolicy(regressionTolerance: nil, maxCostIncreasePercent: 50)
        let unweighted = try Gate.evaluate(
            policy,
            Comparison.compute(
                base: side(Self.records(), "base"),
                candidate: side(Self.records(mathRight: true, mathCost: 0.02), "candidate"), resamples: 100))
        #expect(unweighted.first { $0.rule == "cost increase" }?.passed == true, "on the eval's mix: +2%")
        let weighted = try #require(try Gate.evaluate(policy, comparison).first { $0.rule == "cost increase" })
        #expect(
            !weighted.passed && weighted.detail.contains("weighted by traffic/test.yaml")
                && weighted.detail.contains("+97.6%"), "\(weighted.detail)")
        var scored = GatePolicy(regressionTolerance: nil)
        scored.minWeightedScore = 0.9
        #expect(
            try Gate.evaluate(scored, comparison).first { $0.rule == "weighted score" }?.passed == true,
            "the candidate scores 100% on the mix")
        let baseOnly = Comparison.compute(
            base: side(Self.records(), "b"), candidate: side(Self.records(), "c"), traffic: Self.mix, resamples: 100)
        let failed = try #require(try Gate.evaluate(scored, baseOnly).first { $0.rule == "weighted score" })
        #expect(!failed.passed && failed.detail.contains("20.0% against a minimum of 90.0%"), "\(failed.detail)")
    }
}
