/// The Wilson score interval for a proportion c/n, at 95% (z = 1.959964):
/// (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n).
///
/// Unlike p ± z·sqrt(p(1-p)/n), it stays within [0, 1] and does not collapse to a point
/// at 0 or n successes, which matters for the small suites evals run on.
public struct WilsonInterval: Sendable, Hashable, Codable {
    public static let z95 = 1.959964

    public var lower: Double
    public var upper: Double

    public init?(successes: Int, trials: Int, z: Double = WilsonInterval.z95) {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let center = p + z2 / (2 * n)
        let margin = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        let denominator = 1 + z2 / n
        lower = max(0, (center - margin) / denominator)
        upper = min(1, (center + margin) / denominator)
    }
}
