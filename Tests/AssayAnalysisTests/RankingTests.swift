import AssayAnalysis
import AssayCore
import Foundation
import Testing

@Suite struct WilsonIntervalTests {
    @Test func knownValues() throws {
        // Reference values computed with the formula of REFERENCES.md (and statsmodels' proportion_confint, method="wilson").
        let eight = try #require(WilsonInterval(successes: 8, trials: 10))
        #expect(abs(eight.lower - 0.4901625) < 1e-6)
        #expect(abs(eight.upper - 0.9433178) < 1e-6)
        let none = try #require(WilsonInterval(successes: 0, trials: 10))
        #expect(none.lower == 0)
        #expect(abs(none.upper - 0.2775328) < 1e-6)
        let all = try #require(WilsonInterval(successes: 50, trials: 50))
        #expect(abs(all.lower - 0.9286524) < 1e-6)
        #expect(abs(all.upper - 1) < 1e-12)
        #expect(WilsonInterval(successes: 1, trials: 0) == nil)
    }

    @Test func itCoversTheTruthAboutNinetyFivePercentOfTheTime() {
        // Binomial draws with a fixed generator: the interval should cover p in ~95% of them.
        var generator = SeededGenerator(seed: 7)
        let p = 0.3, n = 40, trials = 4000
        var covered = 0
        for _ in 0..<trials {
            var successes = 0
            for _ in 0..<n where Double(generator.next() % 1_000_000) / 1_000_000 < p { successes += 1 }
            if let interval = WilsonInterval(successes: successes, trials: n), interval.lower <= p, p <= interval.upper
            {
                covered += 1
            }
        }
        let rate = Double(covered) / Double(trials)
        #expect(rate > 0.93 && rate < 0.975, "coverage \(rate)")
    }
}

@Suite struct RankingTests {
    static func manifest(_ models: [String]) -> RunManifest {
        RunManifest(
            id: "r", plan: nil, suites: [SuiteRef(id: "s", path: "s", kind: .math, grader: .numeric, cases: 10)],
            models: models,
            epochs: 1, concurrency: 1, catalog: Catalog(endpoints: [], models: []), gitCommit: nil)
    }

    /// `right` of 10 items right, each costing `costEach`; nil cost = usage unknown.
    static func results(
        _ model: String, right: Int, costEach: Double?, ttft: Double = 100, latency: Double = 1100, tokens: Int = 11
    ) -> [ItemResult] {
        (0..<10).map { index in
            ItemResult(
                runID: "r", suiteID: "s", caseID: "c\(index)", model: model, epoch: 1, requestHash: "\(model)\(index)",
                status: .graded,
                grade: Grade(outcome: index < right ? .pass : .fail, score: index < right ? 1 : 0),
                usage: costEach == nil ? nil : Usage(promptTokens: 5, completionTokens: tokens),
                cost: costEach.map { Cost(amount: $0, basis: .full) }, timing: Timing(ttftMs: ttft, latencyMs: latency))
        }
    }

    @Test func rankingsQualityPerDollarAndTheFrontier() throws {
        let results =
            Self.results("big", right: 9, costEach: 0.01) + Self.results("small", right: 7, costEach: 0.0001)
            + Self.results("local", right: 3, costEach: 0) + Self.results("mystery", right: 8, costEach: nil)
            + Self.results("worse", right: 6, costEach: 0.02) + Self.results("zero", right: 0, costEach: 0)
        let summary = RunSummary.build(
            Self.manifest(["big", "small", "local", "mystery", "worse", "zero"]), results: results)
        #expect(summary.rankings.byScore == ["big", "mystery", "small", "worse", "local", "zero"])
        // Free with right answers first; then correct per dollar (small 7/0.001 = 7000, big 90, worse 30);
        // unknown spend and free-with-nothing-right last.
        #expect(summary.rankings.byQualityPerDollar == ["local", "small", "big", "worse", "zero", "mystery"])
        let small = try #require(summary.model("small"))
        guard case .perDollar(let perDollar) = small.qualityPerDollar else { Issue.record("small has a price"); return }
        #expect(abs(perDollar - 7000) < 1e-6)
        #expect(abs((small.costPerCorrect ?? 0) - 0.001 / 7) < 1e-15)
        #expect(summary.model("local")?.qualityPerDollar == .free)
        #expect(summary.model("local")?.costPerCorrect == 0)
        #expect(summary.model("mystery")?.qualityPerDollar == .unknown)
        #expect(summary.model("zero")?.costPerCorrect == nil)
        // Frontier: local ($0, 30%), small ($0.001, 70%), big ($0.10, 90%); "worse" is beaten by big.
        #expect(summary.frontier == ["local", "small", "big"])
        // (11 - 1) tokens over (1100 - 100) ms: 10 tokens per second.
        #expect(summary.model("big")?.outputTokensPerSecond == 10)
        let interval = try #require(summary.model("big")?.overall.interval)
        #expect(interval.lower < 0.9 && interval.upper > 0.9)
    }

    @Test func theFrontierDropsDominatedModels() {
        let points = [
            ParetoFrontier.Point(model: "a", cost: 1, score: 0.5), .init(model: "b", cost: 2, score: 0.5),
            .init(model: "c", cost: 3, score: 0.8), .init(model: "d", cost: 0.5, score: 0.4),
            .init(model: "e", cost: 3, score: 0.7),
        ]
        #expect(ParetoFrontier.frontier(points) == ["d", "a", "c"])
    }
}

/// Suites whose cases carry `subject:` tags are scored per subject, in every report.
@Suite struct SubjectScoresTests {
    @Test func subjectTagsGiveScoresBySubject() throws {
        var results = RankingTests.results("m", right: 6, costEach: 0.01)
        for index in results.indices {
            results[index].tags = [index < 4 ? "subject:algebra" : "subject:geometry", "level:\(index % 3)"]
        }
        let summary = RunSummary.build(RankingTests.manifest(["m"]), results: results)
        let suite = try #require(summary.model("m")?.suites.first)
        #expect(suite.subjects["algebra"]?.passed == 4 && suite.subjects["algebra"]?.n == 4)
        #expect(suite.subjects["geometry"]?.passed == 2 && suite.subjects["geometry"]?.n == 6)
        #expect(suite.subjects.count == 2, "level tags are not subjects")
        #expect(SubjectScores.text(suite.subjects) == "algebra 100.0% (4/4), geometry 33.3% (2/6)")
        let untagged = RunSummary.build(
            RankingTests.manifest(["m"]), results: RankingTests.results("m", right: 6, costEach: 0.01))
        #expect(untagged.model("m")?.suites.first?.subjects.isEmpty == true)
    }
}
