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
struct LatencyRecorder {
    private var histogram = Histogram<UInt64>(
        highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    /// The values recorded, summed: the mean is exact, and costs no walk over the
    /// histogram's buckets (HdrHistogram's `mean` visits every one).
    private var sumMicroseconds = 0.0
    /// The values themselves, while there are at most `keptLimit`: percentiles are then read
    /// from them sorted, as HdrHistogram would give them, without its walk over tens of
    /// thousands of buckets (which, three times per recorder and a dozen recorders per model,
    /// was most of a small run's summary: issue 33's site reads a thousand runs). Nil past
    /// the limit: the histogram alone.
    private var kept: [UInt64]? = []
    static let keptLimit = 4_096

    mutating func record(milliseconds: Double) {
        guard milliseconds.isFinite, milliseconds >= 0 else { return }
        let microseconds = UInt64(min(milliseconds * 1000, 3_600_000_000).rounded())
        _ = histogram.record(microseconds)
        sumMicroseconds += Double(microseconds)
        if kept != nil {
            if kept?.count ?? 0 < Self.keptLimit { kept?.append(microseconds) } else { kept = nil }
        }
    }

    mutating func add(_ other: LatencyRecorder) {
        histogram.add(other.histogram)
        sumMicroseconds += other.sumMicroseconds
        if let mine = kept, let theirs = other.kept, mine.count + theirs.count <= Self.keptLimit {
            kept = mine + theirs
        } else {
            kept = nil
        }
    }

    var stats: LatencyStats { stats(readingKept: true) }

    /// The figures read from the histogram alone (what `stats` must equal: the tests hold it).
    var histogramStats: LatencyStats { stats(readingKept: false) }

    private func stats(readingKept: Bool) -> LatencyStats {
        let count = Int(histogram.totalCount)
        guard count > 0 else { return .empty }
        func ms(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }
        let sorted = readingKept ? kept.map { $0.sorted() } : nil
        func percentile(_ p: Double) -> UInt64 {
            guard let sorted, sorted.count == count, let largest = sorted.last else {
                return histogram.valueAtPercentile(p)
            }
            // HdrHistogram's own rank (Histogram.valueAtPercentile, 0 < p < 100): the value it
            // returns is the highest equivalent of the bucket holding the value of that rank,
            // capped at the largest recorded; the bucket's highest equivalent is the value's.
            let rank = max(1, Int((min(max(p.nextDown, 0), 100) * Double(count) / 100).rounded(.up)))
            return min(histogram.highestEquivalentForValue(sorted[min(rank, count) - 1]), largest)
        }
        return LatencyStats(
            count: count, p50Ms: ms(percentile(50)), p95Ms: ms(percentile(95)), p99Ms: ms(percentile(99)),
            maxMs: ms(histogram.max), meanMs: sumMicroseconds / Double(count) / 1000)
    }
}
