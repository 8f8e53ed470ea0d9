import Histogram

/// Percentiles of a set of durations, from an HdrHistogram (3 significant digits: a value
/// is off by at most 0.1%).
public struct LatencyStats: Sendable, Hashable, Codable {
    public var count: Int
    public var p50Ms: Double?
    public var p95Ms: Double?
    public var p99Ms: Double?
    public var maxMs: Double?
    public var meanMs: Double?

    public static let empty = LatencyStats(count: 0)

    public init(
        count: Int, p50Ms: Double? = nil, p95Ms: Double? = nil, p99Ms: Double? = nil, maxMs: Double? = nil,
        meanMs: Double? = nil
    ) {
        self.count = count
        self.p50Ms = p50Ms
        self.p95Ms = p95Ms
        self.p99Ms = p99Ms
        self.maxMs = maxMs
        self.meanMs = meanMs
    }
}

/// Collects durations in microseconds, up to an hour.
///
/// Up to `keptLimit` values are kept as they are, and no histogram exists: percentiles are
/// read from the values sorted, as HdrHistogram would give them. An HdrHistogram of this range
/// is 180 KB of counts, zeroed when made and walked bucket by bucket for each percentile; a
/// run's summary holds a dozen recorders per model and suite, so for small runs (a site of a
/// thousand runs reads every one: issue 33) making and walking them was most of the work.
/// Past the limit, the values go into the histogram and only it is kept.
struct LatencyRecorder {
    /// The histogram's shape, for the values' equivalence ranges; never recorded into.
    private static let shape = Histogram<UInt64>(
        highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    static let keptLimit = 4_096

    private var kept: [UInt64] = []
    /// Nil until more than `keptLimit` values came.
    private var histogram: Histogram<UInt64>?
    /// The values recorded, summed: the mean is exact.
    private var sumMicroseconds = 0.0

    mutating func record(milliseconds: Double) {
        guard milliseconds.isFinite, milliseconds >= 0 else { return }
        let microseconds = UInt64(min(milliseconds * 1000, 3_600_000_000).rounded())
        sumMicroseconds += Double(microseconds)
        if histogram != nil {
            _ = histogram?.record(microseconds)
        } else if kept.count < Self.keptLimit {
            kept.append(microseconds)
        } else {
            var made = Self.histogram(of: kept)
            _ = made.record(microseconds)
            histogram = made
            kept = []
        }
    }

    mutating func add(_ other: LatencyRecorder) {
        sumMicroseconds += other.sumMicroseconds
        if histogram == nil, other.histogram == nil, kept.count + other.kept.count <= Self.keptLimit {
            kept += other.kept
            return
        }
        var merged = histogram ?? Self.histogram(of: kept)
        merged.add(other.histogram ?? Self.histogram(of: other.kept))
        histogram = merged
        kept = []
    }

    private static func histogram(of values: [UInt64]) -> Histogram<UInt64> {
        var histogram = shape
        for value in values { _ = histogram.record(value) }
        return histogram
    }

    var stats: LatencyStats { stats(readingKept: true) }

    /// The figures read from a histogram alone (what `stats` must equal: the tests hold it).
    var histogramStats: LatencyStats { stats(readingKept: false) }

    private func stats(readingKept: Bool) -> LatencyStats {
        let count = histogram.map { Int($0.totalCount) } ?? kept.count
        guard count > 0 else { return .empty }
        func ms(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }
        let mean = sumMicroseconds / Double(count) / 1000
        if histogram == nil, readingKept {
            let sorted = kept.sorted()
            let largest = sorted[count - 1]
            // HdrHistogram's own rank (Histogram.valueAtPercentile, 0 < p < 100): the value it
            // returns is the highest equivalent of the bucket holding the value of that rank,
            // capped at the largest recorded.
            func percentile(_ p: Double) -> UInt64 {
                let rank = max(1, Int((min(max(p.nextDown, 0), 100) * Double(count) / 100).rounded(.up)))
                return min(Self.shape.highestEquivalentForValue(sorted[min(rank, count) - 1]), largest)
            }
            return LatencyStats(
                count: count, p50Ms: ms(percentile(50)), p95Ms: ms(percentile(95)), p99Ms: ms(percentile(99)),
                maxMs: ms(largest == 0 ? 0 : Self.shape.highestEquivalentForValue(largest)), meanMs: mean)
        }
        let histogram = histogram ?? Self.histogram(of: kept)
        return LatencyStats(
            count: count, p50Ms: ms(histogram.valueAtPercentile(50)), p95Ms: ms(histogram.valueAtPercentile(95)),
            p99Ms: ms(histogram.valueAtPercentile(99)), maxMs: ms(histogram.max), meanMs: mean)
    }
}
