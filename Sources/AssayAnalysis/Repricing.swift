import AssayCore
import Foundation

/// A stored run's tokens priced again with other prices (`assay report --reprice`): a run
/// keeps the prices it ran with, and a price sheet corrected later (input prices imported,
/// a vendor's cut) can still re-rank it. Usage is what the run measured; only the prices
/// change. An item is priced by when it was sent (its recorded time less its latency), for
/// off-peak windows.
public struct Repricing: Sendable {
    /// The new prices, by model id; a model missing here keeps its stored cost.
    public var prices: [String: Price]
    /// Where the prices come from, as reports name it.
    public var source: String

    /// The assumed input price, in words, when one was applied (`--assume-input-ratio`).
    public var assumption: String?

    public init(catalog: Catalog, source: String) {
        prices = Dictionary(catalog.models.map { ($0.id, $0.price) }, uniquingKeysWith: { first, _ in first })
        self.source = source
    }

    /// The run's own prices (or `repricing`'s) with an input price assumed at `ratio` x the
    /// output price for every model that has none: their costs become `estimated` instead of
    /// output-only, and every report says what was assumed.
    public static func assumingInput(ratio: Double, for catalog: Catalog, after repricing: Repricing? = nil)
        -> Repricing
    {
        let number = String(format: "%g", ratio)
        let words =
            "input tokens at \(number) x the output price where no input price is quoted (--assume-input-ratio \(number))"
        var assumed = repricing ?? Repricing(catalog: catalog, source: "")
        for model in catalog.models where assumed.prices[model.id] == nil { assumed.prices[model.id] = model.price }
        assumed.prices = assumed.prices.mapValues { $0.assumingInput(ratio: ratio, because: words) }
        assumed.assumption = words
        return assumed
    }

    public func manifest(_ manifest: RunManifest) -> RunManifest {
        var manifest = manifest
        for index in manifest.catalog.models.indices {
            if let price = prices[manifest.catalog.models[index].id] { manifest.catalog.models[index].price = price }
        }
        if !source.isEmpty { manifest.repricedFrom = source }
        if let assumption { manifest.costAssumption = assumption }
        return manifest
    }

    public func result(_ result: ItemResult) -> ItemResult {
        guard let price = prices[result.model], result.status == .graded else { return result }
        var result = result
        result.cost = price.cost(of: result.usage, at: result.sentAt)
        return result
    }
}
