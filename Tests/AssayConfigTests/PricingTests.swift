import AssayConfig
import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// Prices as vendors bill them: input, cached input and output (reasoning included), a
/// currency converted at a dated rate, and an off-peak window by when the request was sent.
/// Every expected figure is computed by hand in the comment beside it.
@Suite struct PricingTests {
    static let usage = Usage(
        promptTokens: 1_000_000, completionTokens: 300_000, reasoningTokens: 100_000, cachedPromptTokens: 400_000)
    /// 2026-11-26 12:00 UTC (peak) and 17:00 UTC (in a 16:30-00:30 window), and 00:15 the next day (still in it).
    static let noon = Date(timeIntervalSince1970: 1_795_694_400)
    static let evening = noon.addingTimeInterval(5 * 3600)
    static let pastMidnight = noon.addingTimeInterval(12 * 3600 + 15 * 60)

    static let catalogYAML = """
        prices:
          date: "2026-11-26"
          source: test sheet
          exchange_rates:
            CNY: {usd: 0.14, date: "2026-11-26", source: test rate}
        endpoints:
          - {name: e, base_url: "http://127.0.0.1:9/v1"}
        models:
          - {id: usd-model, family: T, endpoint: e, price: {input: 0.26, cached_input: 0.13, output: 0.38}}
          - {id: cny-model, family: T, endpoint: e, price: {input: 2, cached_input: 0.5, output: 8, currency: CNY, off_peak: {from: "16:30", to: "00:30", input: 1, cached_input: 0.25, output: 4}}}
          - {id: no-cache-price, family: T, endpoint: e, price: {input: 1, output: 2}}
          - {id: output-only, family: T, endpoint: e, price: {input: null, output: 2}}
          - {id: thinker, family: T, endpoint: e, price: {input: 1, output: 2, reasoning: 3}}
        """

    func catalog() throws -> Catalog {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("models.yaml", Self.catalogYAML)
        return try CatalogFile.load(dir.path("models.yaml"))
    }

    func cost(_ model: String, at date: Date = noon) throws -> Double {
        let spec = try #require(try catalog().model(named: model))
        return try #require(spec.price.cost(of: Self.usage, at: date)).amount
    }

    @Test func eachKindOfTokenIsPricedAtItsOwnRate() throws {
        // 600k uncached x 0.26 + 400k cached x 0.13 + 300k output x 0.38 = 0.156 + 0.052 + 0.114
        #expect(abs(try cost("usd-model") - 0.322) < 1e-12)
        // No cached price quoted: cached tokens at the input price. 1M x 1 + 300k x 2 = 1.6
        #expect(abs(try cost("no-cache-price") - 1.6) < 1e-12)
        // Reasoning billed apart: 1M x 1 + 200k answer x 2 + 100k reasoning x 3 = 1.7
        #expect(abs(try cost("thinker") - 1.7) < 1e-12)
        // No input price: output only, and said so. 300k x 2 = 0.6
        let outputOnly = try #require(
            try catalog().model(named: "output-only")?.price.cost(of: Self.usage, at: Self.noon))
        #expect(abs(outputOnly.amount - 0.6) < 1e-12 && outputOnly.outputOnly)
    }

    @Test func aYuanPriceIsConvertedAtTheCatalogsRateAndOffPeakBySendingTime() throws {
        // Peak, CNY: 600k x 2 + 400k x 0.5 + 300k x 8 = 1.2 + 0.2 + 2.4 = 3.8 CNY = 0.532 USD
        #expect(abs(try cost("cny-model", at: Self.noon) - 0.532) < 1e-12)
        // Off-peak: 600k x 1 + 400k x 0.25 + 300k x 4 = 0.6 + 0.1 + 1.2 = 1.9 CNY = 0.266 USD
        #expect(abs(try cost("cny-model", at: Self.evening) - 0.266) < 1e-12)
        #expect(abs(try cost("cny-model", at: Self.pastMidnight) - 0.266) < 1e-12, "the window wraps past midnight")
        #expect(
            abs(try cost("cny-model", at: Self.noon.addingTimeInterval(12 * 3600 + 30 * 60)) - 0.532) < 1e-12,
            "00:30 is past the window")
        let price = try #require(try catalog().model(named: "cny-model")?.price)
        #expect(
            price.currency == "CNY" && price.exchangeRate?.usdPerUnit == 0.14
                && price.exchangeRate?.date == "2026-11-26")
    }

    @Test func aPriceThatCannotBeConvertedOrTimedIsRefusedWithItsLine() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write(
            "models.yaml",
            """
            prices: {date: "2026-11-26", source: s, exchange_rates: {EUR: {usd: 0, date: d, source: s}}}
            endpoints:
              - {name: e, base_url: "http://127.0.0.1:9/v1"}
            models:
              - {id: a, family: T, endpoint: e, price: {input: 1, output: 2, currency: CNY}}
              - {id: b, family: T, endpoint: e, price: {input: 1, output: 2, off_peak: {from: "25:00", to: "01:00"}}}
              - {id: c, family: T, endpoint: e, price: {input: 1, cached_input: -0.5, output: 2}}
            """)
        let error = #expect(throws: InputError.self) { try CatalogFile.load(dir.path("models.yaml")) }
        let text = try #require(error?.description)
        #expect(text.contains("models.yaml:1: exchange rate for EUR: usd must be a number above 0"))
        #expect(text.contains("models.yaml:5: model 'a': a price in CNY needs a rate under prices.exchange_rates"))
        #expect(text.contains("models.yaml:6: model 'b': off_peak needs from and to as different HH:MM times (UTC)"))
        #expect(text.contains("models.yaml:7: model 'c': a price must be a number, not negative"))
    }
}
