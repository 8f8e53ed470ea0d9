import AssayAnalysis
import AssayCore
import Testing

/// `assay project`'s arithmetic, against figures computed by hand.
@Suite struct MonthlyProjectionTests {
    static func records() -> [ItemRecord] {
        var records: [ItemRecord] = []
        for index in 0..<10 {
            var a = ItemRecord(
                suite: "s1", caseID: "a\(index)", epoch: 1, kind: .classification, status: .graded,
                outcome: index < 8 ? .pass : .fail, score: index < 8 ? 1 : 0, cost: 0.001, latencyMs: 1)
            a.tokens = 1_000
            var b = ItemRecord(
                suite: "s2", caseID: "b\(index)", epoch: 1, kind: .math, status: .graded,
                outcome: index < 5 ? .pass : .fail, score: index < 5 ? 1 : 0, cost: 0.003, latencyMs: 1)
            b.tokens = 2_000
            records += [a, b]
        }
        return records
    }

    @Test func aMixWeighsEachSuitesScoreCostAndTokens() throws {
        let rows = try MonthlyProjection.project(
            mix: ["s1": 80, "s2": 20], volume: .requests(30_000_000), records: [("m", Self.records())])
        let row = try #require(rows.first)
        // score 0.8 x 0.8 + 0.2 x 0.5 = 0.74; cost 0.8 x 0.001 + 0.2 x 0.003 = 0.0014 a request; 30M of them: 42,000.
        #expect(abs(row.score - 0.74) < 1e-12)
        #expect(abs(row.costPerRequest - 0.0014) < 1e-12)
        #expect(abs(row.monthlyCost - 42_000) < 1e-6)
        // tokens 0.8 x 1,000 + 0.2 x 2,000 = 1,200 a request.
        #expect(row.tokensPerRequest == 1_200)
        #expect(
            row.interval.lower < 0.74 && row.interval.upper > 0.74 && row.interval.lower > 0.5
                && row.interval.upper < 0.95)
        // 1.2B tokens a month at 1,200 a request: 1M requests, $1,400.
        let byTokens = try #require(
            try MonthlyProjection.project(
                mix: ["s1": 0.8, "s2": 0.2], volume: .tokens(1.2e9), records: [("m", Self.records())]
            ).first)
        #expect(abs(byTokens.requests - 1_000_000) < 1e-6 && abs(byTokens.monthlyCost - 1_400) < 1e-6)
    }

    @Test func aSuiteWithoutAnswersAndBadCountsAreErrors() {
        #expect(throws: InputError.self) {
            try MonthlyProjection.project(mix: ["s3": 1], volume: .requests(1), records: [("m", Self.records())])
        }
        #expect(
            MonthlyProjection.count("30M") == 30_000_000 && MonthlyProjection.count("1B") == 1e9
                && MonthlyProjection.count("2.5k") == 2_500)
        #expect(
            MonthlyProjection.count("1,000") == 1_000 && MonthlyProjection.count("-5") == nil
                && MonthlyProjection.count("lots") == nil)
    }
}
