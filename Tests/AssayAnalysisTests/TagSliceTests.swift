import AssayAnalysis
import AssayCore
import Testing

/// Scores sliced by any case tag (`zh`/`en`, `steps-3`), in reports and in gates: a suite's
/// average can hide a language or a difficulty on which a model fails.
@Suite struct TagSliceTests {
    /// Ten items: the first five tagged `zh`, the rest `en`; `rightZh` and `rightEn` right.
    static func records(rightZh: Int, rightEn: Int) -> [ItemRecord] {
        (0..<10).map { index in
            let zh = index < 5
            let right = zh ? index < rightZh : index - 5 < rightEn
            return ItemRecord(
                suite: "s", caseID: "c\(index)", epoch: 1, kind: .classification, tags: [zh ? "zh" : "en", "all"],
                status: .graded,
                outcome: right ? .pass : .fail, score: right ? 1 : 0, cost: 0.001, latencyMs: 100)
        }
    }

    static func side(_ label: String, _ records: [ItemRecord]) -> Side {
        Side(label: label, records: Dictionary(uniqueKeysWithValues: records.map { ($0.key, $0) }), suites: ["s"])
    }

    @Test func aGateHoldsATagToItsOwnMinimum() throws {
        // 70% overall passes a suite minimum of 60%; its Chinese items are at 40%.
        let comparison = Comparison.compute(
            base: Self.side("base", Self.records(rightZh: 5, rightEn: 5)),
            candidate: Self.side("candidate", Self.records(rightZh: 2, rightEn: 5)),
            resamples: 100)
        var policy = GatePolicy(minScore: ["*": 0.6], regressionTolerance: nil)
        policy.minScoreByTag = ["zh": 0.8, "en": 0.8, "missing": 0.5]
        let verdicts = try Gate.evaluate(policy, comparison)
        #expect(verdicts.first { $0.rule == "min score s" }?.passed == true)
        let zh = try #require(verdicts.first { $0.rule == "min score tag zh" })
        #expect(!zh.passed && zh.detail == "items tagged zh: 40.0% over 5 against a minimum of 80.0%", "\(zh.detail)")
        #expect(verdicts.first { $0.rule == "min score tag en" }?.passed == true)
        let missing = try #require(verdicts.first { $0.rule == "min score tag missing" })
        #expect(!missing.passed && missing.detail.contains("no item of candidate is tagged missing"))
    }

    @Test func reportsScoreEverySuiteByEachTag() {
        let manifest = RunManifest(
            id: "r", plan: nil,
            suites: [SuiteRef(id: "s", path: "s", kind: .classification, grader: .exactLabel, cases: 10)],
            models: ["m"],
            epochs: 1, concurrency: 1, catalog: Catalog(endpoints: [], models: []), gitCommit: nil)
        let results = (0..<10).map { index in
            ItemResult(
                runID: "r", suiteID: "s", caseID: "c\(index)", model: "m", epoch: 1, requestHash: "h\(index)",
                status: .graded,
                tags: [index < 4 ? "zh" : "en"],
                grade: Grade(outcome: index % 2 == 0 ? .pass : .fail, score: index % 2 == 0 ? 1 : 0))
        }
        let suite = RunSummary.build(manifest, results: results).models[0].suites[0]
        #expect(suite.tags["zh"]?.n == 4 && suite.tags["zh"]?.passed == 2)
        #expect(suite.tags["en"]?.n == 6 && suite.tags["en"]?.passed == 3)
        #expect(SubjectScores.text(suite.tags) == "en 50.0% (3/6), zh 50.0% (2/4)")
    }
}
