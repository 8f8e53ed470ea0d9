import AssayAnalysis
import AssayConfig
import AssayCore
import AssayReports
import AssayRunner
import AssayRuns
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// A run against a server that reports known usage (prompt, cached, completion, reasoning)
/// stores the costs computed by hand: a dollar model, and a yuan model inside and outside
/// its off-peak window.
@Suite struct PricingRunTests {
    @Test func storedCostsAreTheHandComputedOnes() async throws {
        // Per request: 10,000 prompt tokens (4,000 cached), 3,000 completion (1,000 reasoning).
        let openAIUsage = TestScript.ScriptedUsage(
            promptTokens: 10_000, completionTokens: 3_000, reasoningTokens: 1_000, cachedTokens: 4_000)
        var deepSeekUsage = openAIUsage
        deepSeekUsage.deepseekStyle = true
        var script = TestScript(defaultReply: .init(text: "positive", usage: openAIUsage))
        for model in ["cny-peak", "cny-off-peak"] {
            script.rules.append(.init(model: model, reply: .init(text: "positive", usage: deepSeekUsage)))
        }
        // A window that holds now (all day), and one that cannot during this test (two hours from now).
        let minute = Int(Date().timeIntervalSince1970 / 60) % 1440
        func time(_ minute: Int) -> String { String(format: "%02d:%02d", (minute % 1440) / 60, minute % 60) }
        let dir = try TempDirectory()
        defer { dir.remove() }
        try await TestServer.withTestServer(script: script) { server in
            try dir.write(
                "catalog.yaml",
                """
                prices: {date: "2026-11-26", source: test, exchange_rates: {CNY: {usd: 0.14, date: "2026-11-26", source: test rate}}}
                endpoints:
                  - {name: test, base_url: "\(server.baseURL)"}
                models:
                  - {id: usd, family: T, endpoint: test, price: {input: 0.26, cached_input: 0.13, output: 0.38}}
                  - {id: cny-peak, family: T, endpoint: test, price: {input: 2, cached_input: 0.5, output: 8, currency: CNY, off_peak: {from: "\(time(minute + 120))", to: "\(time(minute + 180))", input: 1, cached_input: 0.25, output: 4}}}
                  - {id: cny-off-peak, family: T, endpoint: test, price: {input: 2, cached_input: 0.5, output: 8, currency: CNY, off_peak: {from: "00:00", to: "24:00", input: 1, cached_input: 0.25, output: 4}}}
                """)
            let fixture = Fixtures.sentimentSuite(count: 4)
            try dir.write("suites/mini/suite.yaml", fixture.yaml)
            try dir.write("suites/mini/cases.jsonl", fixture.cases)
            let plan = Plan(
                suites: [dir.path("suites/mini")], models: ["usd", "cny-peak", "cny-off-peak"], concurrency: 4,
                catalog: dir.path("catalog.yaml"),
                store: dir.path("assay.sqlite"), reports: dir.path("reports"))
            let session = try await RunSession.prepare(plan, environment: [:])
            let manifest = try await session.run()
            let results = try await session.store.results(run: manifest.id)
            try #require(results.count == 12)
            #expect(
                results.allSatisfy {
                    $0.usage
                        == Usage(
                            promptTokens: 10_000, completionTokens: 3_000, reasoningTokens: 1_000,
                            cachedPromptTokens: 4_000)
                })
            // usd: 6,000 x 0.26 + 4,000 x 0.13 + 3,000 x 0.38 per million = 0.00156 + 0.00052 + 0.00114 = $0.00322
            // cny-peak: (6,000 x 2 + 4,000 x 0.5 + 3,000 x 8) / 1M = 0.038 CNY x 0.14 = $0.00532
            // cny-off-peak: (6,000 x 1 + 4,000 x 0.25 + 3,000 x 4) / 1M = 0.019 CNY x 0.14 = $0.00266
            let expected = ["usd": 0.00322, "cny-peak": 0.00532, "cny-off-peak": 0.00266]
            for result in results {
                let cost = try #require(result.cost, "\(result.model)")
                #expect(abs(cost.amount - (expected[result.model] ?? -1)) < 1e-12, "\(result.model): \(cost.amount)")
                #expect(!cost.outputOnly)
            }
            // And the report: the summary's spend per model, to the cent of a thousand-fold run.
            let summary = try await RunSummary.load(run: manifest.id, from: session.store)
            for model in summary.models {
                #expect(
                    abs(model.spend.cost * 1000 - (expected[model.model] ?? -1) * 4 * 1000) < 0.005, "\(model.model)")
                #expect(model.spend.cachedPromptTokens == 16_000)
            }
        }
    }

    /// The maths of the issue: with output prices only, the model with the cheaper output
    /// ranks first by value; once the map's input prices are in (a prompt-heavy suite), the
    /// one with the cheaper input does. `assay prices import` then `assay report --reprice`.
    @Test func importedInputPricesReRankAStoredRun() async throws {
        let script = TestScript(
            defaultReply: .init(text: "positive", usage: .init(promptTokens: 1_000, completionTokens: 10)))
        let dir = try TempDirectory()
        defer { dir.remove() }
        try await TestServer.withTestServer(script: script) { server in
            try dir.write(
                "catalog.yaml",
                """
                prices: {date: "2026-11-01", source: sheet}
                endpoints:
                  - {name: test, base_url: "\(server.baseURL)"}
                models:
                  - {id: flash, family: D, endpoint: test, prices_from: {litellm: "aiand/deepseek-ai/deepseek-v4-flash"}, price: {input: null, output: 0.25}}
                  - {id: qwen, family: Q, endpoint: test, prices_from: {litellm: "deepinfra/Qwen/Qwen3-32B"}, price: {input: null, output: 0.28}}

                """)
            let fixture = Fixtures.sentimentSuite(count: 4)
            try dir.write("suites/mini/suite.yaml", fixture.yaml)
            try dir.write("suites/mini/cases.jsonl", fixture.cases)
            let plan = Plan(
                suites: [dir.path("suites/mini")], models: ["flash", "qwen"], concurrency: 2,
                catalog: dir.path("catalog.yaml"),
                store: dir.path("assay.sqlite"), reports: dir.path("reports"))
            let session = try await RunSession.prepare(plan, environment: [:])
            let manifest = try await session.run()
            // Output only: flash 10 x 0.25 = 2.5e-6 a request, qwen 10 x 0.28 = 2.8e-6.
            let before = try await ReportFiles.write(run: manifest.id, from: session.store, under: dir.path("reports"))
            #expect(before.summary.rankings.byQualityPerDollar == ["flash", "qwen"])

            let map = PackagePaths.root + "/Tests/Fixtures/litellm-prices-excerpt.json"
            let file = try YAMLFile.load(dir.path("catalog.yaml"))
            let changes = try LiteLLMPrices.changes(catalog: file, quotes: try LiteLLMPrices.load(map))
            try dir.write(
                "catalog.yaml",
                try LiteLLMPrices.apply(
                    changes, to: try dir.read("catalog.yaml"), path: "catalog.yaml", date: "2026-11-26"))
            // With input: flash 1,000 x 0.15 + 10 x 0.25 = 152.5e-6, qwen 1,000 x 0.08 + 10 x 0.28 = 82.8e-6.
            let repricing = Repricing(catalog: try CatalogFile.load(dir.path("catalog.yaml")), source: "catalog.yaml")
            let after = try await ReportFiles.write(
                run: manifest.id, from: session.store, under: dir.path("reports"), repricing: repricing)
            #expect(after.summary.rankings.byQualityPerDollar == ["qwen", "flash"])
            let flash = try #require(after.summary.model("flash"))
            #expect(abs(flash.spend.cost - 4 * 152.5e-6) < 1e-12 && !flash.spend.outputOnly)
            #expect(
                try String(contentsOfFile: after.path("summary.md"), encoding: .utf8).contains(
                    "Costs re-priced with the prices in `catalog.yaml`"))
            // The stored run keeps what it ran with.
            let stored = try await RunSummary.load(run: manifest.id, from: session.store)
            #expect(stored.rankings.byQualityPerDollar == ["flash", "qwen"])
        }
    }
}
