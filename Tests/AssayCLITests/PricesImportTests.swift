import AssayConfig
import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// `assay prices import litellm`: the catalog's prices from LiteLLM's map (an excerpt of
/// the real file, Tests/Fixtures), shown as a diff, written with --write, pinned prices kept.
@Suite struct PricesImportTests {
    static let map = PackagePaths.root + "/Tests/Fixtures/litellm-prices-excerpt.json"

    static let catalog = """
        # our prices: keep this comment
        prices: {date: "2026-01-01", source: sheet}
        endpoints:
          - {name: e, base_url: "http://127.0.0.1:9/v1"}
        models:
          - {id: flash, family: D, endpoint: e, prices_from: {litellm: "aiand/deepseek-ai/deepseek-v4-flash"}, price: {input: null, output: 0.25, reasoning: 0.5}}
          - {id: v32, family: D, endpoint: e, prices_from: {litellm: "deepinfra/deepseek-ai/DeepSeek-V3.2"}, price: {input: 9, output: 9, pinned: true}}
          - {id: qwen, family: Q, endpoint: e, prices_from: {litellm: "deepinfra/Qwen/Qwen3-32B"}, price: {input: 0.08, output: 0.28}}
          - {id: mine, family: M, endpoint: e, price: {input: 1, output: 2}}

        """

    @Test func theDiffIsShownThenWrittenAndPinnedPricesAreKept() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("models.yaml", Self.catalog)
        let path = dir.path("models.yaml")

        let dry = try await runAssay(["prices", "import", "litellm", Self.map, "--catalog", path])
        #expect(dry.status == 0, "\(dry)")
        #expect(
            dry.stdout.contains(
                "~ flash: input null -> 0.15, cached_input null -> 0.08, output 0.25 (aiand/deepseek-ai/deepseek-v4-flash)"
            ), "\(dry.stdout)")
        #expect(dry.stdout.contains("v32: kept (pinned)"))
        #expect(dry.stdout.contains("qwen: unchanged"))
        #expect(!dry.stdout.contains("mine"))
        #expect(dry.stdout.contains("1 to update, 1 unchanged, 1 kept"))
        #expect(try dir.read("models.yaml") == Self.catalog, "without --write the file is untouched")

        let wet = try await runAssay([
            "prices", "import", "litellm", Self.map, "--catalog", path, "--write", "--date", "2026-11-26",
        ])
        #expect(wet.status == 0, "\(wet)")
        let written = try dir.read("models.yaml")
        #expect(written.hasPrefix("# our prices: keep this comment\n") && written.hasSuffix("\n"))
        #expect(
            written.contains(
                #"prices_from: {litellm: "aiand/deepseek-ai/deepseek-v4-flash"}, price: {input: 0.15, cached_input: 0.08, output: 0.25, reasoning: 0.5, date: "2026-11-26", source: "LiteLLM model_prices_and_context_window.json: aiand/deepseek-ai/deepseek-v4-flash"}}"#
            ))
        #expect(written.contains("price: {input: 9, output: 9, pinned: true}"), "a pinned price is never overwritten")
        let catalog = try CatalogFile.load(path)
        let flash = try #require(catalog.model(named: "flash")?.price)
        #expect(flash.inputPerMillion == 0.15 && flash.cachedInputPerMillion == 0.08 && flash.date == "2026-11-26")
        #expect(flash.reasoningPerMillion == 0.5, "a reasoning price set by hand survives the import")
        #expect(catalog.model(named: "v32")?.price.inputPerMillion == 9)

        let again = try await runAssay(["prices", "import", "litellm", Self.map, "--catalog", path])
        #expect(again.stdout.contains("0 to update, 2 unchanged, 1 kept"), "\(again.stdout)")
    }

    @Test func anEntryTheMapLacksOrABadMapIsAClearError() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write(
            "models.yaml", Self.catalog.replacingOccurrences(of: "deepinfra/Qwen/Qwen3-32B", with: "nowhere/qwen"))
        let missing = try await runAssay([
            "prices", "import", "litellm", Self.map, "--catalog", dir.path("models.yaml"),
        ])
        #expect(missing.status == 2)
        #expect(
            missing.stderr.contains("models.yaml:8: model 'qwen': the price map has no entry 'nowhere/qwen'"),
            "\(missing)")

        try dir.write("map.json", "[1, 2]")
        let notAMap = try await runAssay([
            "prices", "import", "litellm", dir.path("map.json"), "--catalog", dir.path("models.yaml"),
        ])
        #expect(notAMap.status == 2 && notAMap.stderr.contains("not a LiteLLM price map"), "\(notAMap)")
        let noCatalog = try await runAssay([
            "prices", "import", "litellm", Self.map, "--catalog", dir.path("absent.yaml"),
        ])
        #expect(noCatalog.status == 2 && noCatalog.stderr.contains("assay catalog init"), "\(noCatalog)")
    }
}
