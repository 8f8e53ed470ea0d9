import AssayCore

/// Score, cost and latency weighted by a traffic mix (`TrafficMix`): what a policy or a
/// model gives on production's mix rather than the eval's. Each share's weight is spread
/// evenly over the asked items it takes; shares the eval has no items for are left out (and
/// named), and so are items no share takes.
public struct WeightedStats: Sendable {
    public var source: String
    public var score: Double?
    /// The expected cost of a thousand requests in this mix.
    public var costPerThousand: Double
    /// Weighted percentiles of latency (answered items).
    public var p50Ms: Double?
    public var p99Ms: Double?
    public var shares: [Share]
    /// Items no share takes.
    public var unmatched: Int

    public struct Share: Sendable {
        public var name: String
        /// The share's weight, normalised over the shares with items (0 when it has none).
        public var weight: Double
        public var items: Int
        public var score: Double?
    }

    /// Shares the mix names that the items never reach: their weight is missing from the figures.
    public var missing: [String] { shares.filter { $0.items == 0 }.map(\.name) }

    public static func compute(_ records: some Sequence<ItemRecord>, mix: TrafficMix) -> WeightedStats {
        var groups = [[ItemRecord]](repeating: [], count: mix.shares.count)
        var unmatched = 0
        for record in records where record.status.isAsked {
            guard
                let index = mix.shares.firstIndex(where: {
                    $0.match.matches(suite: record.suite, kind: record.kind, tags: record.tags, prompt: record.prompt)
                })
            else {
                unmatched += 1
                continue
            }
            groups[index].append(record)
        }
        let total = zip(mix.shares, groups).reduce(0.0) { $0 + ($1.1.isEmpty ? 0 : $1.0.weight) }
        var score = 0.0, cost = 0.0
        var latencies: [(ms: Double, weight: Double)] = []
        var shares: [Share] = []
        for (share, items) in zip(mix.shares, groups) {
            let weight = items.isEmpty || total == 0 ? 0 : share.weight / total
            let mean = items.isEmpty ? nil : items.reduce(0.0) { $0 + $1.score } / Double(items.count)
            shares.append(Share(name: share.name, weight: weight, items: items.count, score: mean))
            guard !items.isEmpty else { continue }
            let each = weight / Double(items.count)
            for item in items {
                score += each * item.score
                cost += each * (item.cost ?? 0)
            }
            let answered = items.compactMap { $0.status == .graded ? $0.latencyMs : nil }
            for latency in answered { latencies.append((latency, weight / Double(answered.count))) }
        }
        return WeightedStats(
            source: mix.source, score: total > 0 ? score : nil, costPerThousand: cost * 1000,
            p50Ms: Self.percentile(latencies, 0.5),
            p99Ms: Self.percentile(latencies, 0.99), shares: shares, unmatched: unmatched)
    }

    /// The smallest latency at which the cumulative weight reaches `fraction` of the whole.
    static func percentile(_ values: [(ms: Double, weight: Double)], _ fraction: Double) -> Double? {
        let sorted = values.sorted { $0.ms < $1.ms }
        let total = sorted.reduce(0.0) { $0 + $1.weight }
        guard total > 0 else { return nil }
        var cumulative = 0.0
        for value in sorted {
            cumulative += value.weight
            if cumulative >= fraction * total * (1 - 1e-12) { return value.ms }
        }
        return sorted.last?.ms
    }

    /// "weighted by traffic/production.yaml: score 84.1%, $0.41 per 1k requests, p50 210 ms, p99 900 ms (classification 80% of traffic, 40 items, 90.0%; ...)"
    public var line: String {
        var text =
            "weighted by \(source): score \(score.map(Format.percent) ?? "-"), \(Format.money(costPerThousand)) per 1k requests"
        if let p50Ms, let p99Ms {
            text += ", p50 \(Format.milliseconds(p50Ms)) ms, p99 \(Format.milliseconds(p99Ms)) ms"
        }
        let parts = shares.map { share in
            share.items == 0
                ? "\(share.name): no items, left out"
                : "\(share.name) \(Format.percent(share.weight)) of traffic, \(share.items) items, \(share.score.map(Format.percent) ?? "-")"
        }
        text += " (" + parts.joined(separator: "; ") + ")"
        if unmatched > 0 { text += "; \(unmatched) items in no share, left out" }
        return text
    }
}
