/// The production mix a decision is judged on: shares of traffic by suite, kind, tag or
/// prompt (production's "80% code, chat and summaries, 10% images, 5% multi-step reasoning, 5% Chinese tasks"). An eval's own mix
/// is whatever its suites happen to hold; weighted, each share counts for its weight, spread
/// evenly over the eval's items it takes (the first share that matches an item takes it).
public struct TrafficMix: Sendable, Hashable, Codable {
    public struct Share: Sendable, Hashable, Codable {
        public var name: String
        public var match: RoutingPolicy.Match
        /// Any positive number: shares are normalised over those the eval has items for.
        public var weight: Double

        public init(name: String, match: RoutingPolicy.Match, weight: Double) {
            self.name = name
            self.match = match
            self.weight = weight
        }
    }

    /// Where the mix was written (a file), for the reports.
    public var source: String
    public var shares: [Share]

    public init(source: String, shares: [Share]) {
        self.source = source
        self.shares = shares
    }
}
