import AssayCore
import Foundation

/// What a month of traffic would cost, and score, under a mix of suites (`assay project`):
/// from a run's measured cost and tokens per item, suite by suite, for each model or routing
/// policy. "30M requests a month, 80% intent classification, 10% code, 5% math, 5% OCR."
public struct MonthlyProjection: Sendable {
    /// How much traffic: a number of requests, or of tokens (turned into requests by the
    /// measured tokens per request under the mix).
    public enum Volume: Sendable, Equatable {
        case requests(Double)
        case tokens(Double)
    }

    /// One model's (or policy's) figures.
    public struct Row: Sendable {
        public var name: String
        /// The expected score under the mix, and its 95% interval.
        public var score: Double
        public var interval: (lower: Double, upper: Double)
        public var costPerRequest: Double
        public var tokensPerRequest: Double?
        public var requests: Double
        public var monthlyCost: Double
        /// What the cost covers; output-only: the figure is too low.
        public var basis: CostBasis
        public var outputOnly: Bool { basis == .outputOnly }
        /// Items whose cost is unknown were left out of the mean.
        public var unknownCost: Int
    }

    /// `mix`: suite -> weight (any positive numbers: percents, shares); `records` per name.
    /// A suite of the mix with no asked item for a name is an error naming both. One function
    /// (63 lines): one pass over the names, each row's weighted means built side by side.
    public static func project(
        mix: [String: Double], volume: Volume, records: [(name: String, records: [ItemRecord])]
    ) throws(InputError) -> [Row] {
        let total = mix.values.reduce(0, +)
        guard total > 0, mix.values.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw InputError("--mix: the weights must be positive numbers")
        }
        var rows: [Row] = []
        var problems: [Diagnostic] = []
        for (name, items) in records {
            var score = 0.0, variance = 0.0, cost = 0.0, tokens = 0.0
            var tokensKnown = true, basis = CostBasis.full, unknownCost = 0
            for (suite, weight) in mix.sorted(by: { $0.key < $1.key }) {
                let share = weight / total
                let asked = items.filter { $0.suite == suite && ($0.status == .graded || $0.status == .error) }
                guard !asked.isEmpty else {
                    problems.append(
                        Diagnostic(file: "--mix", "\(name) has no answered item of suite '\(suite)' in this run"))
                    continue
                }
                let n = Double(asked.count)
                let passed = asked.reduce(0) { $0 + $1.score }
                score += share * passed / n
                // Each suite's share of the variance from its Wilson interval (sound at 0% and 100%).
                if let interval = WilsonInterval(successes: Int(passed.rounded()), trials: asked.count) {
                    let halfWidth = (interval.upper - interval.lower) / 2 / WilsonInterval.z95
                    variance += share * share * halfWidth * halfWidth
                }
                let costed = asked.compactMap(\.cost)
                unknownCost += asked.count - costed.count
                if !costed.isEmpty { cost += share * costed.reduce(0, +) / Double(costed.count) }
                basis = asked.reduce(basis) { $0.combined(with: $1.costBasis) }
                let counted = asked.compactMap(\.tokens)
                if counted.isEmpty {
                    tokensKnown = false
                } else {
                    tokens += share * Double(counted.reduce(0, +)) / Double(counted.count)
                }
            }
            let requests: Double
            switch volume {
            case .requests(let count): requests = count
            case .tokens(let count):
                guard tokensKnown, tokens > 0 else {
                    problems.append(
                        Diagnostic(
                            file: "--tokens",
                            "\(name): no token counts in this run to turn --tokens into requests; use --requests"))
                    continue
                }
                requests = count / tokens
            }
            let spread = WilsonInterval.z95 * variance.squareRoot()
            rows.append(
                Row(
                    name: name, score: score, interval: (max(0, score - spread), min(1, score + spread)),
                    costPerRequest: cost,
                    tokensPerRequest: tokensKnown ? tokens : nil, requests: requests, monthlyCost: cost * requests,
                    basis: basis,
                    unknownCost: unknownCost))
        }
        if !problems.isEmpty { throw InputError(problems) }
        return rows
    }

    /// "30M", "1B", "2.5k", "1e9", "30000000": a count.
    public static func count(_ text: String) -> Double? {
        let suffixes: [Character: Double] = ["k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "b": 1e9, "B": 1e9]
        var body = Substring(text.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: ",", with: ""))
        var scale = 1.0
        if let last = body.last, let factor = suffixes[last] {
            scale = factor
            body = body.dropLast()
        }
        guard let value = Double(body), value.isFinite, value > 0 else { return nil }
        return value * scale
    }
}
