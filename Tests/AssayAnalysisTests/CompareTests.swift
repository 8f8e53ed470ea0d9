import AssayAnalysis
import AssayCore
import AssayTestSupport
import Foundation
import Testing

@Suite struct McNemarTests {
    /// Two-sided exact p-values computed independently in exact rational arithmetic
    /// (Python: `min(1, 2 * sum(Fraction(comb(n, i), 2**n) for i in range(min(b, c) + 1)))`;
    /// scipy.stats.binomtest(c, b + c).pvalue agrees).
    @Test(arguments: [
        (10, 2, 0.03857421875), (2, 10, 0.03857421875), (7, 0, 0.015625), (5, 5, 1.0), (3, 4, 1.0), (1, 0, 1.0),
        (60, 40, 0.05688793364098079), (200, 150, 0.008720036530555949), (1000, 900, 0.02310884510890107),
    ])
    func knownTables(b: Int, c: Int, expected: Double) {
        let p = McNemar.exactP(b: b, c: c)
        #expect(abs(p - expected) <= 1e-9 * max(expected, 1e-12), "b=\(b) c=\(c): \(p) != \(expected)")
    }

    @Test func noDiscordantPairsIsNoEvidence() {
        #expect(McNemar.exactP(b: 0, c: 0) == 1)
    }

    @Test func hugeTablesStayFiniteAndTiny() {
        let p = McNemar.exactP(b: 20_000, c: 10_000)
        #expect(p.isFinite && p >= 0 && p < 1e-100)
    }
}

@Suite struct PairedBootstrapTests {
    /// A paired data set drawn from a known joint distribution: both right 0.5, only the
    /// base right 0.1, only the candidate right 0.2, both wrong 0.2. The candidate's true
    /// score is 0.7 and the base's 0.6: the true difference is +0.1, with a per-item
    /// variance of 0.29.
    static func synthetic(items: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<items).map { _ in
            let u = Double(generator.next() >> 11) / Double(1 << 53)
            return u < 0.5 ? 0 : u < 0.6 ? -1 : u < 0.8 ? 1 : 0
        }
    }

    @Test func theIntervalCoversTheTrueDifferenceAboutNinetyFivePercentOfTheTime() throws {
        let truth = 0.1, items = 300, sets = 60
        var covered = 0
        var widths: [Double] = []
        for set in 0..<sets {
            let differences = Self.synthetic(items: items, seed: UInt64(1000 + set))
            let interval = try #require(PairedBootstrap.interval(differences: differences))
            if interval.lower <= truth && truth <= interval.upper { covered += 1 }
            widths.append(interval.upper - interval.lower)
        }
        // 95% nominal coverage: 57 of 60 expected; fewer than 52 would happen by chance < 0.5%.
        #expect(covered >= 52, "covered the true difference in \(covered) of \(sets) data sets")
        // The width matches the normal theory: 2 x 1.96 x sqrt(0.29 / 300) = 0.1218.
        let meanWidth = widths.reduce(0, +) / Double(widths.count)
        #expect(abs(meanWidth - 0.1218) < 0.006, "mean width \(meanWidth)")
    }

    @Test func itAgreesWithTheItemByItemBootstrap() throws {
        let differences = Self.synthetic(items: 500, seed: 42)
        let fast = try #require(PairedBootstrap.interval(differences: differences))
        // The textbook bootstrap: resample item indices with replacement.
        var generator = SeededGenerator(seed: 99)
        var means: [Double] = []
        for _ in 0..<10_000 {
            var sum = 0.0
            for _ in 0..<differences.count { sum += differences[Int(generator.next() % UInt64(differences.count))] }
            means.append(sum / Double(differences.count))
        }
        means.sort()
        let lower = means[249], upper = means[9749]
        #expect(abs(fast.lower - lower) < 0.006, "\(fast.lower) vs \(lower)")
        #expect(abs(fast.upper - upper) < 0.006, "\(fast.upper) vs \(upper)")
    }

    @Test func aFixedSeedGivesTheSameIntervalEveryTime() throws {
        let differences = Self.synthetic(items: 200, seed: 7)
        let first = try #require(PairedBootstrap.interval(differences: differences))
        let second = try #require(PairedBootstrap.interval(differences: differences))
        #expect(first.lower == second.lower && first.upper == second.upper)
    }

    @Test func degenerateInputs() throws {
        #expect(PairedBootstrap.interval(differences: []) == nil)
        let same = try #require(PairedBootstrap.interval(differences: Array(repeating: 0, count: 50)))
        #expect(same.lower == 0 && same.upper == 0)
        // Large samples take the normal branch of the binomial draw and stay centred.
        let large = try #require(PairedBootstrap.interval(differences: Self.synthetic(items: 200_000, seed: 3)))
        #expect(large.lower < 0.1 + 0.005 && large.upper > 0.1 - 0.005 && large.upper - large.lower < 0.01, "\(large)")
    }
}

/// Building sides of a comparison by hand.
enum Sides {
    static func record(
        _ suite: String, _ id: String, right: Bool, status: ItemResult.Status = .graded, cost: Double? = 0.001,
        latency: Double? = 100,
        kind: SuiteKind = .classification, tags: [String] = [], outcome: Grade.Outcome? = nil, output: String? = nil
    ) -> ItemRecord {
        let graded = status == .graded
        return ItemRecord(
            suite: suite, caseID: id, epoch: 1, kind: kind, tags: tags, status: status,
            outcome: graded ? (outcome ?? (right ? .pass : .fail)) : nil, score: graded && right ? 1 : 0,
            cost: graded ? cost : nil, latencyMs: graded ? latency : nil, expected: "positive",
            output: output ?? (right ? "positive" : "negative"),
            extracted: graded ? (right ? "positive" : "negative") : nil, error: graded ? nil : "HTTP 500")
    }

    static func side(_ label: String, _ records: [ItemRecord]) -> Side {
        Side(
            label: label, records: Dictionary(records.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first }),
            suites: records.map(\.suite).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } })
    }

    /// `pattern` per item: "RR" both right, "RW" base right and candidate wrong, and so on.
    static func pair(_ suite: String, _ patterns: [String], baseCost: Double = 0.001, candidateCost: Double = 0.001)
        -> (Side, Side)
    {
        var base: [ItemRecord] = [], candidate: [ItemRecord] = []
        for (index, pattern) in patterns.enumerated() {
            let chars = Array(pattern)
            base.append(record(suite, "c\(index)", right: chars[0] == "R", cost: baseCost))
            candidate.append(record(suite, "c\(index)", right: chars[1] == "R", cost: candidateCost))
        }
        return (side("base", base), side("candidate", candidate))
    }
}

@Suite struct ComparisonTests {
    @Test func itemsArePairedAndSortedIntoFixedBrokenAndBoth() throws {
        let patterns =
            Array(repeating: "RR", count: 5) + Array(repeating: "RW", count: 3) + Array(repeating: "WR", count: 1) + [
                "WW", "WW",
            ]
        let (base, candidate) = Sides.pair("s", patterns)
        let comparison = Comparison.compute(base: base, candidate: candidate, resamples: 2_000)
        let suite = try #require(comparison.suites.first)
        #expect(suite.n == 11)
        #expect(suite.bothRight == 5 && suite.broken == 3 && suite.fixed == 1 && suite.bothWrong == 2)
        #expect(abs(suite.difference - (6.0 / 11 - 8.0 / 11)) < 1e-12)
        #expect(abs(suite.mcnemarP - McNemar.exactP(b: 1, c: 3)) < 1e-12)
        #expect(suite.brokenItems.map(\.base.caseID) == ["c5", "c6", "c7"])
        #expect(suite.fixedItems.map(\.candidate.caseID) == ["c8"])
        let interval = try #require(suite.interval)
        #expect(interval.lower <= suite.difference && suite.difference <= interval.upper)
    }

    @Test func failedRequestsCountAsWrongAndUnaskedItemsAreLeftOut() throws {
        let base = Sides.side(
            "base",
            [
                Sides.record("s", "a", right: true), Sides.record("s", "b", right: true),
                Sides.record("s", "c", right: true),
                Sides.record("s", "only-base", right: true),
            ])
        let candidate = Sides.side(
            "candidate",
            [
                Sides.record("s", "a", right: true), Sides.record("s", "b", right: false, status: .error),
                Sides.record("s", "c", right: false, status: .unsupported),
                Sides.record("s", "only-candidate", right: false),
            ])
        let comparison = Comparison.compute(base: base, candidate: candidate, resamples: 1_000)
        #expect(comparison.overall.n == 2)
        #expect(comparison.overall.broken == 1)
        #expect(comparison.onlyInBase == 2 && comparison.onlyInCandidate == 2)
        #expect(comparison.candidateStats.errors == 1)
        #expect(comparison.candidateStats.errorRate == 0.5)
    }

    @Test func costValueAndLatencyChangesAreOverThePairedItems() {
        let (base, candidate) = Sides.pair("s", ["RR", "RR", "RW", "WW"], baseCost: 0.01, candidateCost: 0.002)
        let comparison = Comparison.compute(base: base, candidate: candidate, resamples: 1_000)
        #expect(abs(comparison.baseStats.cost - 0.04) < 1e-12)
        #expect(abs(comparison.candidateStats.cost - 0.008) < 1e-12)
        #expect(abs((comparison.costChangePercent ?? 0) - -80) < 1e-9)
        #expect(abs((comparison.baseStats.correctPerDollar ?? 0) - 3 / 0.04) < 1e-9)
        #expect(abs((comparison.candidateStats.correctPerDollar ?? 0) - 2 / 0.008) < 1e-9)
        #expect(comparison.candidateStats.latency.p50Ms != nil)
    }
}

@Suite struct GateTests {
    static func verdict(_ verdicts: [Gate.Verdict], _ rule: String) -> Gate.Verdict? {
        verdicts.first { $0.rule == rule }
    }

    @Test func aSignificantRegressionBeyondTheToleranceFails() throws {
        // 12 broken, 1 fixed: p = 0.0034.
        let patterns = Array(repeating: "RR", count: 30) + Array(repeating: "RW", count: 12) + ["WR"]
        let (base, candidate) = Sides.pair("zh-sentiment", patterns)
        let comparison = Comparison.compute(base: base, candidate: candidate, resamples: 1_000)
        let verdicts = try Gate.evaluate(GatePolicy(regressionTolerance: 0.02), comparison)
        let rule = try #require(Self.verdict(verdicts, "no significant regression on zh-sentiment"))
        #expect(!rule.passed)
        #expect(rule.detail.contains("1 fixed / 12 broken"))
        #expect(rule.detail.contains("McNemar p = 0.003"), "\(rule.detail)")
        // The same drop is tolerated when the tolerance is wider than it.
        let lenient = try Gate.evaluate(GatePolicy(regressionTolerance: 0.5), comparison)
        #expect(Self.verdict(lenient, "no significant regression on zh-sentiment")?.passed == true)
    }

    @Test func aDropThatIsNotSignificantPasses() throws {
        // 3 broken, 1 fixed: -5 points, but p = 0.625.
        let patterns = Array(repeating: "RR", count: 36) + Array(repeating: "RW", count: 3) + ["WR"]
        let (base, candidate) = Sides.pair("s", patterns)
        let verdicts = try Gate.evaluate(
            GatePolicy(), Comparison.compute(base: base, candidate: candidate, resamples: 1_000))
        #expect(Self.verdict(verdicts, "no significant regression on s")?.passed == true)
    }

    @Test func minimumScoresRequiredSuitesCostLatencyAndErrors() throws {
        let (base, candidate) = Sides.pair("s", ["RR", "RR", "RW", "WW"], baseCost: 0.001, candidateCost: 0.002)
        let comparison = Comparison.compute(base: base, candidate: candidate, resamples: 1_000)
        let policy = GatePolicy(
            requiredSuites: ["s", "zh-intent"], minScore: ["s": 0.6, "other": 0.5], regressionTolerance: nil,
            maxCostIncreasePercent: 50,
            maxP99Ms: 50, maxErrorRate: 0)
        let verdicts = try Gate.evaluate(policy, comparison)
        #expect(Self.verdict(verdicts, "required suite s")?.passed == true)
        #expect(Self.verdict(verdicts, "required suite zh-intent")?.passed == false)
        let minimum = try #require(Self.verdict(verdicts, "min score s"))
        #expect(!minimum.passed && minimum.detail.contains("50.0% against a minimum of 60.0%"))
        #expect(Self.verdict(verdicts, "min score other")?.passed == false)
        let cost = try #require(Self.verdict(verdicts, "cost increase"))
        #expect(!cost.passed && cost.detail.contains("+100.0%"))
        #expect(Self.verdict(verdicts, "p99 latency")?.passed == false)
        #expect(Self.verdict(verdicts, "error rate")?.passed == true)
        #expect(!verdicts.contains { $0.rule.hasPrefix("no significant regression") })
        // Every rule relaxed: all pass.
        let relaxed = GatePolicy(
            requiredSuites: ["s"], minScore: ["*": 0.5], maxCostIncreasePercent: 100, maxP99Ms: 1000, maxErrorRate: 0)
        let relaxedVerdicts = try Gate.evaluate(relaxed, comparison)
        let rules = [
            "required suite s", "min score s", "no significant regression on s", "cost increase", "p99 latency",
            "error rate",
        ]
        try #require(relaxedVerdicts.map(\.rule) == rules)
        let allPassed = relaxedVerdicts.allSatisfy(\.passed)
        #expect(allPassed)
    }

    /// SLAs written in TTFT: the candidate's p99 time to first token against a limit; a side
    /// with no streamed answer has no TTFT and cannot show the limit is kept.
    @Test func aGateCanFailACandidateOnTTFT() throws {
        var (base, candidate) = Sides.pair("s", ["RR", "RR", "RR", "RR"])
        for (index, key) in candidate.records.keys.sorted().enumerated() {
            candidate.records[key]?.ttftMs = index == 3 ? 2400 : 300
        }
        let comparison = Comparison.compute(base: base, candidate: candidate, resamples: 100)
        let policy = GatePolicy(percentileLimits: [
            .init(measure: .ttft, percentile: 99, limitMs: 1500), .init(measure: .ttft, percentile: 50, limitMs: 500),
        ])
        let verdicts = try Gate.evaluate(policy, comparison)
        let p99 = try #require(Self.verdict(verdicts, "TTFT p99"))
        #expect(!p99.passed && p99.detail.contains("TTFT p99 2400 ms against a limit of 1500 ms"), "\(p99.detail)")
        #expect(Self.verdict(verdicts, "TTFT p50")?.passed == true)
        for key in base.records.keys { base.records[key]?.ttftMs = nil }
        let unmeasured = try Gate.evaluate(policy, Comparison.compute(base: candidate, candidate: base, resamples: 100))
        #expect(
            Self.verdict(unmeasured, "TTFT p99")?.passed == false
                && Self.verdict(unmeasured, "TTFT p99")?.detail.contains("not measured") == true)
    }

    /// SLAs on streaming: the candidate's inter-token latency and time per output token
    /// against limits (`max_itl_p99_ms`, `max_tpot_p50_ms` in a gate file).
    @Test func aGateCanFailACandidateOnInterTokenLatency() throws {
        var (base, candidate) = Sides.pair("s", ["RR", "RR", "RR", "RR"])
        for (index, key) in candidate.records.keys.sorted().enumerated() {
            candidate.records[key]?.interTokenMs = index == 3 ? 90 : 25
            candidate.records[key]?.timePerOutputTokenMs = 24
        }
        let comparison = Comparison.compute(base: base, candidate: candidate, resamples: 100)
        let policy = GatePolicy(percentileLimits: [
            .init(measure: .interToken, percentile: 99, limitMs: 60),
            .init(measure: .interToken, percentile: 50, limitMs: 30),
            .init(measure: .timePerOutputToken, percentile: 50, limitMs: 20),
        ])
        let verdicts = try Gate.evaluate(policy, comparison)
        let p99 = try #require(Self.verdict(verdicts, "ITL p99"))
        #expect(!p99.passed && p99.detail.contains("ITL p99 90 ms against a limit of 60 ms"), "\(p99.detail)")
        #expect(Self.verdict(verdicts, "ITL p50")?.passed == true)
        #expect(Self.verdict(verdicts, "TPOT p50")?.passed == false)
        // A side that streamed nothing has no ITL: the limit cannot be shown to hold.
        let unmeasured = try Gate.evaluate(policy, Comparison.compute(base: candidate, candidate: base, resamples: 100))
        #expect(Self.verdict(unmeasured, "ITL p99")?.detail.contains("not measured") == true)
    }
}

@Suite struct RouteSimulationTests {
    static let manifest = RunManifest(
        id: "r1", plan: nil,
        suites: [
            SuiteRef(id: "sentiment", path: "s", kind: .classification, grader: .label, cases: 4),
            SuiteRef(id: "math", path: "m", kind: .math, grader: .numeric, cases: 2),
        ],
        models: ["cheap", "flash", "kimi"], epochs: 1, concurrency: 1, catalog: Catalog(endpoints: [], models: []),
        gitCommit: nil)

    static func results() -> [String: [ItemKey: ItemRecord]] {
        func records(_ list: [ItemRecord]) -> [ItemKey: ItemRecord] {
            Dictionary(uniqueKeysWithValues: list.map { ($0.key, $0) })
        }
        return [
            "cheap": records([
                Sides.record("sentiment", "1", right: true, cost: 0.0001, latency: 50),
                Sides.record("sentiment", "2", right: false, cost: 0.0001, latency: 50, outcome: .invalid),
                Sides.record("sentiment", "3", right: false, status: .error),
                Sides.record("sentiment", "4", right: true, cost: 0.0001, latency: 9000, tags: ["sarcasm"]),
                Sides.record("math", "1", right: false, cost: 0.0001, kind: .math),
                Sides.record("math", "2", right: false, cost: 0.0001, kind: .math),
            ]),
            "flash": records([
                Sides.record("sentiment", "1", right: true, cost: 0.001, latency: 200),
                Sides.record("sentiment", "2", right: true, cost: 0.001, latency: 200),
                Sides.record("sentiment", "3", right: true, cost: 0.001, latency: 200),
                Sides.record("sentiment", "4", right: true, cost: 0.001, latency: 200, tags: ["sarcasm"]),
                Sides.record("math", "1", right: true, cost: 0.001, kind: .math),
                Sides.record("math", "2", right: false, cost: 0.001, kind: .math),
            ]),
            "kimi": records([
                Sides.record("math", "1", right: true, cost: 0.01, latency: 3000, kind: .math),
                Sides.record("math", "2", right: true, cost: 0.01, latency: 3000, kind: .math),
            ]),
        ]
    }

    @Test func theFirstMatchingRuleTakesAnItemAndItsFallbackFiresOnItsTriggers() throws {
        let policy = RoutingPolicy(
            name: "cheap-first",
            rules: [
                .init(name: "math to kimi", match: .init(kinds: [.math]), model: "kimi"),
                .init(
                    name: "classification cheap", match: .init(kinds: [.classification]), model: "cheap",
                    fallback: .init(model: "flash", onError: true, onInvalid: true, latencyOverMs: 5000)),
            ])
        let route = try RouteSimulation.simulate(policy, manifest: Self.manifest, results: Self.results())
        #expect(route.ruleCounts == ["math to kimi": 2, "classification cheap": 4])
        // Item 2 was invalid, item 3 failed, item 4 took 9 s: three went on to flash.
        #expect(route.fallbackCounts == ["classification cheap": 3])
        let sentiment = try #require(route.suites.first { $0.suite == "sentiment" })
        #expect(sentiment.n == 4 && sentiment.score == 1)
        // Cost: 1 x cheap + 2 x (cheap + flash) + 1 x flash (the failed request costs nothing), per 1,000.
        let expectedCost = (0.0001 + 2 * (0.0001 + 0.001) + 0.001) / 4 * 1000
        #expect(abs(sentiment.costPerThousand - expectedCost) < 1e-9)
        // Latency of the slow item: the 5 s the router waited, then flash's 200 ms.
        #expect(route.side.records[ItemKey(suite: "sentiment", caseID: "4", epoch: 1)]?.latencyMs == 5200)
        #expect(route.side.records[ItemKey(suite: "sentiment", caseID: "2", epoch: 1)]?.latencyMs == 250)
        let math = try #require(route.suites.first { $0.suite == "math" })
        #expect(math.score == 1 && abs(math.costPerThousand - 10) < 1e-9)
        #expect(route.overall.n == 6)
    }

    @Test func tagsNarrowARuleAndUnmatchedItemsAreCounted() throws {
        let policy = RoutingPolicy(
            name: "sarcasm",
            rules: [
                .init(
                    name: "sarcasm to flash", match: .init(kinds: [.classification], tags: ["sarcasm"]), model: "flash")
            ])
        let route = try RouteSimulation.simulate(policy, manifest: Self.manifest, results: Self.results())
        #expect(route.ruleCounts == ["sarcasm to flash": 1])
        #expect(route.unrouted == 5)
    }

    @Test func aRoutedModelOrSuiteWithNoResultsIsAnErrorThatNamesIt() {
        let policy = RoutingPolicy(
            name: "bad",
            rules: [
                .init(name: "intent", match: .init(suites: ["zh-intent"]), model: "flash"),
                .init(name: "math", match: .init(kinds: [.math]), model: "glm", fallback: .init(model: "flash")),
                .init(name: "rest", model: "flash", fallback: .init(model: "qwen", onError: true)),
            ])
        let error = #expect(throws: InputError.self) {
            try RouteSimulation.simulate(policy, manifest: Self.manifest, results: Self.results())
        }
        let text = error?.description ?? ""
        #expect(text.contains("rule 'intent' routes suite zh-intent, which has no results in this run"), "\(text)")
        #expect(text.contains("model glm (rule 'math') has no results for suite math"), "\(text)")
        #expect(!text.contains("qwen"), "flash never failed, so its fallback was never needed")
    }
}
