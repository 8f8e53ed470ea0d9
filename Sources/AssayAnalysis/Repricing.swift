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

    public init(catalog: Catalog, source: String) {
        prices = Dictionary(catalog.models.map { ($0.id, $0.price) }, uniquingKeysWith: { first, _ in first })
        self.source = source
    }

    public func manifest(_ manifest: RunManifest) -> RunManifest {
        var manifest = manifest
        for index in manifest.catalog.models.indices {
            if let price = prices[manifest.catalog.models[index].id] { manifest.catalog.models[index].price = price }
        }
        manifest.repricedFrom = source
        return manifest
    }

    public func result(_ result: ItemResult) -> ItemResult {
        guard let price = prices[result.model], result.status == .graded else { return result }
        var result = result
        result.cost = price.cost(of: result.usage, at: result.sentAt)
        return result
    }
}
