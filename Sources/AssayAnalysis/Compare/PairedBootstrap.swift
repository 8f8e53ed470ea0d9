import AssayCore
import Foundation

/// The paired bootstrap of a mean difference: resample the items (with their pairs) with
/// replacement, `resamples` times, from a fixed seed; the 2.5th and 97.5th percentiles of
/// the resampled means are the 95% interval.
///
/// Differences usually take few distinct values (-1, 0, 1 for right/wrong items), so a
/// resample is drawn as counts over those values (a multinomial, by successive binomials)
/// rather than item by item: the same distribution, at a cost that does not grow with the
/// number of items. Binomials are drawn exactly by inversion while n x min(p, 1-p) <= 500,
/// and from a normal approximation beyond (then the binomial is within a rounding of it).
public enum PairedBootstrap {
    public static func interval(differences: [Double], resamples: Int = 10_000, seed: UInt64 = 20_261_123) -> (
        lower: Double, upper: Double
    )? {
        let n = differences.count
        guard n > 0 else { return nil }
        var counts: [Double: Int] = [:]
        for value in differences { counts[value, default: 0] += 1 }
        let values = counts.keys.sorted()
        let weights = values.map { Double(counts[$0] ?? 0) / Double(n) }
        var generator = SeededGenerator(seed: seed)
        var means: [Double] = []
        means.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var remaining = n
            var remainingWeight = 1.0
            var sum = 0.0
            for (index, value) in values.enumerated() {
                if remaining == 0 { break }
                let draw: Int
                if index == values.count - 1 {
                    draw = remaining
                } else {
                    let p = remainingWeight > 0 ? min(1, weights[index] / remainingWeight) : 0
                    draw = binomial(remaining, p, &generator)
                }
                sum += Double(draw) * value
                remaining -= draw
                remainingWeight -= weights[index]
            }
            means.append(sum / Double(n))
        }
        means.sort()
        func percentile(_ q: Double) -> Double {
            let position = q * Double(means.count - 1)
            let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
            return means[low] + (means[high] - means[low]) * (position - Double(low))
        }
        return (percentile(0.025), percentile(0.975))
    }

    static func binomial(_ n: Int, _ p: Double, _ generator: inout SeededGenerator) -> Int {
        guard n > 0, p > 0 else { return 0 }
        guard p < 1 else { return n }
        let q = min(p, 1 - p)
        var draw: Int
        if Double(n) * q <= 500 {
            // Inversion: walk the CDF from 0.
            let ratio = q / (1 - q)
            var probability = pow(1 - q, Double(n))
            var cumulative = probability
            let u = generator.nextUnit()
            draw = 0
            while u > cumulative && draw < n {
                probability *= ratio * Double(n - draw) / Double(draw + 1)
                draw += 1
                cumulative += probability
            }
        } else {
            let mean = Double(n) * q
            let sd = (mean * (1 - q)).squareRoot()
            draw = Int((mean + sd * generator.nextNormal()).rounded())
            draw = min(n, max(0, draw))
        }
        return p <= 0.5 ? draw : n - draw
    }
}
