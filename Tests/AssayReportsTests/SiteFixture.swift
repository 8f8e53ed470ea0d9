import AssayAnalysis
import AssayCore
import AssayReports
import AssayRuns
import AssayStore
import Foundation

/// Three runs over two days with different model sets, and a compare: the site's fixture.
///
/// On `intent` (10 cases, the same version in every run), each model's latest result is:
/// epsilon (run C, free, 5 right), delta (C, 8 right for $0.005: 1,600/$), alpha (C, 9 right
/// for $0.012: 750/$), beta (B, 7 right for $0.03: 233/$), and gamma (A, 10 right for $0.001,
/// but costed on output tokens only: ranked apart, last). alpha's price changed between A
/// and C. `math` changed between A and C: A's results are an earlier version, not ranked.
enum SiteFixture {
    static let day1 = Date(timeIntervalSince1970: 1_796_374_800)  // 2026-12-04 09:00 UTC
    static let runA = "20261204-090000-a", runB = "20261204-150000-b", runC = "20261205-100000-c"
    static let intentOrder = ["epsilon", "delta", "alpha", "beta", "gamma"]

    struct Entry {
        var model: String
        var correct: Int
        var costPerItem: Double
    }

    static func price(_ input: Double?, _ output: Double) -> Price {
        Price(inputPerMillion: input, outputPerMillion: output, date: "2026-11-23", source: "fixture")
    }

    static func manifest(
        _ id: String, at start: Date, models: [(String, Price)], suites: [(String, String)]
    ) -> RunManifest {
        let catalog = Catalog(
            endpoints: [Endpoint(name: "e", baseURLs: ["http://127.0.0.1:9/v1"])],
            models: models.map { model, price in
                ModelSpec(
                    id: model, family: model.uppercased(), endpoint: "e", capabilities: [.text], contextWindow: 8000,
                    price: price)
            })
        return RunManifest(
            id: id, plan: nil,
            suites: suites.map { suite, fingerprint in
                SuiteRef(
                    id: suite, path: "evalsets/\(suite)", kind: .classification, grader: .label, cases: 10,
                    labels: ["a", "b"], fingerprint: fingerprint)
            },
            models: models.map(\.0), epochs: 1, concurrency: 2, catalog: catalog, gitCommit: nil, startedAt: start,
            endedAt: start.addingTimeInterval(120), status: .completed)
    }

    static func results(run: String, suite: String, _ entries: [Entry], at start: Date) -> [ItemResult] {
        entries.flatMap { entry in
            (0..<10).map { index in
                let right = index < entry.correct
                let latency = 200 + Double(index * 10)
                return ItemResult(
                    runID: run, suiteID: suite, caseID: "\(suite)-\(index)", model: entry.model, epoch: 1,
                    requestHash: "\(run)-\(entry.model)-\(suite)-\(index)", status: .graded,
                    tags: [index % 2 == 0 ? "en" : "zh"], expected: "a", output: right ? "a" : "b",
                    finishReason: "stop",
                    grade: Grade(outcome: right ? .pass : .fail, score: right ? 1 : 0, extracted: right ? "a" : "b"),
                    usage: Usage(promptTokens: 30, completionTokens: 2),
                    cost: Cost(amount: entry.costPerItem, basis: entry.model == "gamma" ? .outputOnly : .full),
                    timing: Timing(ttftMs: latency / 4, latencyMs: latency), attempts: 1,
                    servedBy: "http://127.0.0.1:9/v1", recordedAt: start)
            }
        }
    }

    /// Run A and B in `first`, C (and the compare of C@alpha with A@alpha) in `second`
    /// (the same store, for one).
    static func fill(_ first: any RunStore, _ second: any RunStore, suffix: String = "") async throws {
        let runA = runA + suffix, runB = runB + suffix, runC = runC + suffix
        let dayA = day1, dayB = day1.addingTimeInterval(6 * 3600), dayC = day1.addingTimeInterval(25 * 3600)
        try await first.createRun(
            manifest(
                runA, at: dayA, models: [("alpha", price(1, 2)), ("beta", price(1, 4)), ("gamma", price(nil, 1))],
                suites: [("intent", "f-intent"), ("math", "f-math-1")]))
        try await first.record(
            batch: results(
                run: runA, suite: "intent",
                [
                    Entry(model: "alpha", correct: 8, costPerItem: 0.001),
                    Entry(model: "beta", correct: 9, costPerItem: 0.003),
                    Entry(model: "gamma", correct: 10, costPerItem: 0.0001),
                ], at: dayA)
                + results(run: runA, suite: "math", [Entry(model: "alpha", correct: 3, costPerItem: 0.001)], at: dayA))
        try await first.createRun(
            manifest(
                runB, at: dayB, models: [("beta", price(1, 4)), ("delta", price(0.1, 0.2))],
                suites: [("intent", "f-intent")]))
        try await first.record(
            batch: results(
                run: runB, suite: "intent",
                [
                    Entry(model: "beta", correct: 7, costPerItem: 0.003),
                    Entry(model: "delta", correct: 6, costPerItem: 0.0005),
                ],
                at: dayB))
        try await second.createRun(
            manifest(
                runC, at: dayC, models: [("alpha", price(1, 3)), ("delta", price(0.1, 0.2)), ("epsilon", price(0, 0))],
                suites: [("intent", "f-intent"), ("math", "f-math-2")]))
        try await second.record(
            batch: results(
                run: runC, suite: "intent",
                [
                    Entry(model: "alpha", correct: 9, costPerItem: 0.0012),
                    Entry(model: "delta", correct: 8, costPerItem: 0.0005),
                    Entry(model: "epsilon", correct: 5, costPerItem: 0),
                ], at: dayC)
                + results(
                    run: runC, suite: "math",
                    [
                        Entry(model: "alpha", correct: 6, costPerItem: 0.001),
                        Entry(model: "delta", correct: 4, costPerItem: 0.0001),
                    ],
                    at: dayC))
        try await second.setLabel(run: runC, RunLabel(text: "after V4 upgrade", note: "prices from the new sheet"))
    }

    /// The compare of C@alpha against A@alpha, kept in `store` as `assay compare` keeps it.
    static func compare(in store: any RunStore, readingA: any RunStore, suffix: String = "") async throws -> Decision {
        let runA = runA + suffix, runC = runC + suffix
        let base = try await Side.load(run: runA, model: "alpha", from: readingA)
        let candidate = try await Side.load(run: runC, model: "alpha", from: store)
        let comparison = Comparison.compute(base: base, candidate: candidate)
        let decision = ComparisonFiles.decision(
            comparison, kind: .compare, naming: [comparison.base, comparison.candidate], runs: [runA, runC],
            at: day1.addingTimeInterval(26 * 3600))
        try await store.record(decision: decision)
        return decision
    }
}
