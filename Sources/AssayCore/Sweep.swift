import Foundation

/// A load sweep: the same plan run at several levels of concurrency (`--concurrency 1..128`)
/// or of open-loop rate (`--rate 10/s..200/s --steps 8`), each after a warm-up, to find the
/// knee: the last level that still meets a service level (`SweepSLA`). The anchors are
/// llmperf's and NVIDIA GenAI-Perf's concurrency sweeps and k6's arrival-rate executors.
public struct Sweep: Sendable, Hashable, Codable {
    public enum Dimension: String, Sendable, Hashable, Codable {
        /// Closed loop: this many requests in flight.
        case concurrency
        /// Open loop: requests started at this rate, per second.
        case rate
    }

    public var dimension: Dimension
    /// The levels, ascending.
    public var levels: [Double]
    /// Requests sent before each level is measured, not stored (connections opened, the
    /// server's caches and batches warm); nil for the default (`warmupRequests(at:)`).
    public var warmup: Int?
    /// Requests measured per level; nil for the default (`requests(at:itemsPerPass:)`).
    public var requests: Int?
    public var sla: SweepSLA

    public init(
        dimension: Dimension, levels: [Double], warmup: Int? = nil, requests: Int? = nil, sla: SweepSLA = SweepSLA()
    ) {
        self.dimension = dimension
        self.levels = levels
        self.warmup = warmup
        self.requests = requests
        self.sla = sla
    }

    /// Warm-up requests before a level: as given, else one per slot for concurrency (every
    /// connection opened once) and one second's worth for a rate, at least 5 and at most 200.
    public func warmupRequests(at level: Double) -> Int {
        if let warmup { return max(0, warmup) }
        return min(200, max(5, Int(level.rounded(.up))))
    }

    /// Requests measured at a level: as given, else one pass over the plan but at least 4
    /// per slot (concurrency) or 5 seconds' worth (rate), so that a high level is reached
    /// and held, not only touched.
    public func requests(at level: Double, itemsPerPass: Int) -> Int {
        if let requests { return requests }
        switch dimension {
        case .concurrency: return max(itemsPerPass, Int(level.rounded(.up)) * 4)
        case .rate: return max(itemsPerPass, Int((level * 5).rounded(.up)))
        }
    }

    /// A level as the reports write it: "16" in flight, "50/s".
    public func title(_ level: Double) -> String {
        let number = level.rounded() == level ? String(Int(level)) : String(format: "%.2f", level)
        return dimension == .rate ? number + "/s" : number
    }

    /// The highest levels a sweep takes: a plan's own bounds on concurrency and rate.
    public static let maxConcurrency = 10_000.0
    public static let maxRate = 100_000.0

    /// `1..128` as concurrency levels: doubling from the first to the last (the last always
    /// included), or `steps` levels spaced evenly on a log scale; nil when the text is not
    /// a range. Throws when it is a range but not a good one.
    public static func concurrencyLevels(_ text: String, steps: Int?) throws(SweepError) -> [Double]? {
        guard let (low, high) = try range(text, parse: { Int($0).map(Double.init) }, what: "a concurrency") else {
            return nil
        }
        guard low >= 1, high <= maxConcurrency else {
            throw SweepError("--concurrency \(text): levels go from 1 to \(Int(maxConcurrency)) requests in flight")
        }
        var levels: [Double] = []
        if let steps {
            guard steps >= 2 else { throw SweepError("--steps must be at least 2") }
            for index in 0..<steps {
                let value = (low * pow(high / low, Double(index) / Double(steps - 1))).rounded()
                if levels.last != value { levels.append(value) }
            }
        } else {
            var value = low
            while value < high {
                levels.append(value)
                value *= 2
            }
            levels.append(high)
        }
        return levels
    }

    /// `10/s..200/s` as rates: `steps` levels evenly spaced (5 by default); nil when the text
    /// is not a range.
    public static func rateLevels(_ text: String, steps: Int?) throws(SweepError) -> [Double]? {
        guard let (low, high) = try range(text, parse: LoadProfile.parseRate, what: "a rate") else { return nil }
        guard high <= maxRate else {
            throw SweepError("--rate \(text): levels go up to \(Int(maxRate)) requests per second")
        }
        let steps = steps ?? 5
        guard steps >= 2 else { throw SweepError("--steps must be at least 2") }
        return (0..<steps).map { low + (high - low) * Double($0) / Double(steps - 1) }
    }

    private static func range(_ text: String, parse: (String) -> Double?, what: String) throws(SweepError) -> (
        Double, Double
    )? {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2 else { return nil }
        guard let low = parse(parts[0]), let high = parse(parts[1]) else {
            throw SweepError(
                "'\(text)' is not a range of \(what): write it as LOW..HIGH, such as 1..128 or 10/s..200/s")
        }
        guard low < high else { throw SweepError("'\(text)': the first level must be below the last") }
        return (low, high)
    }
}

/// A sweep that cannot be run as written.
public struct SweepError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
