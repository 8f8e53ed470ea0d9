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

    mutating func record(milliseconds: Double) {
        guard milliseconds.isFinite, milliseconds >= 0 else { return }
        let microseconds = UInt64(min(milliseconds * 1000, 3_600_000_000).rounded())
        _ = histogram.record(microseconds)
    }

    mutating func add(_ other: LatencyRecorder) {
        histogram.add(other.histogram)
    }

    var stats: LatencyStats {
        let count = Int(histogram.totalCount)
        guard count > 0 else { return .empty }
        func ms(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }
        return LatencyStats(
            count: count, p50Ms: ms(histogram.valueAtPercentile(50)), p95Ms: ms(histogram.valueAtPercentile(95)),
            p99Ms: ms(histogram.valueAtPercentile(99)), maxMs: ms(histogram.max), meanMs: histogram.mean / 1000)
    }
}
