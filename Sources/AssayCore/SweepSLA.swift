import Foundation

/// The service level a sweep's knee is judged by: `--sla "p99<=800ms,availability>=99.9%"`.
///
/// A level meets it when every stated limit holds for it. With no limit stated, the level's
/// p99 latency may be at most `relativeP99` times the first level's (2 by default: where
/// latency doubles, queueing has begun; and at least 50 ms more, so that jitter on a fast
/// endpoint is not taken for a knee) and its availability at least 99.9%.
public struct SweepSLA: Sendable, Hashable, Codable {
    public var maxP50Ms: Double?
    public var maxP99Ms: Double?
    public var maxTTFTP99Ms: Double?
    public var maxITLP99Ms: Double?
    /// The least share of attempts (retries included) that got a whole answer, 0 to 1.
    public var minAvailability: Double?
    /// The most failed requests (after retries), as a share, 0 to 1.
    public var maxErrorRate: Double?
    /// The most the p99 may grow over the first level's, as a factor (with at least
    /// `relativeSlackMs` of room).
    public var relativeP99: Double?

    /// The least room a relative p99 limit leaves over the first level's p99, in milliseconds.
    public static let relativeSlackMs = 50.0

    public init(
        maxP50Ms: Double? = nil, maxP99Ms: Double? = nil, maxTTFTP99Ms: Double? = nil, maxITLP99Ms: Double? = nil,
        minAvailability: Double? = nil, maxErrorRate: Double? = nil, relativeP99: Double? = nil
    ) {
        self.maxP50Ms = maxP50Ms
        self.maxP99Ms = maxP99Ms
        self.maxTTFTP99Ms = maxTTFTP99Ms
        self.maxITLP99Ms = maxITLP99Ms
        self.minAvailability = minAvailability
        self.maxErrorRate = maxErrorRate
        self.relativeP99 = relativeP99
    }

    /// The SLA when none is stated.
    public static let standard = SweepSLA(minAvailability: 0.999, relativeP99: 2)

    public var isEmpty: Bool { self == SweepSLA() }

    /// "p99 ≤ 800 ms, availability ≥ 99.9%".
    public var description: String {
        var parts: [String] = []
        func ms(_ value: Double) -> String {
            let value = (value * 1e6).rounded() / 1e6
            return value.rounded() == value ? String(Int(value)) : String(value)
        }
        if let maxP50Ms { parts.append("p50 ≤ \(ms(maxP50Ms)) ms") }
        if let maxP99Ms { parts.append("p99 ≤ \(ms(maxP99Ms)) ms") }
        if let maxTTFTP99Ms { parts.append("TTFT p99 ≤ \(ms(maxTTFTP99Ms)) ms") }
        if let maxITLP99Ms { parts.append("ITL p99 ≤ \(ms(maxITLP99Ms)) ms") }
        if let relativeP99 {
            parts.append("p99 ≤ \(ms(relativeP99))× the first level's (+\(ms(Self.relativeSlackMs)) ms at least)")
        }
        if let minAvailability { parts.append("availability ≥ \(ms(minAvailability * 100))%") }
        if let maxErrorRate { parts.append("errors ≤ \(ms(maxErrorRate * 100))%") }
        return parts.joined(separator: ", ")
    }

    /// Parses `p99<=800ms,ttft_p99<=300ms,itl_p99<=50ms,p50<=200ms,availability>=99.9%,errors<=1%`
    /// (`x2` after `p99<=` for a growth over the first level: `p99<=x2`).
    public static func parse(_ text: String) throws(SweepError) -> SweepSLA {
        var sla = SweepSLA()
        for clause in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !clause.isEmpty
        {
            let compact = clause.replacingOccurrences(of: " ", with: "").lowercased()
            func value(after prefix: String, unit: String) -> Double? {
                guard compact.hasPrefix(prefix) else { return nil }
                var number = String(compact.dropFirst(prefix.count))
                if number.hasSuffix(unit) { number.removeLast(unit.count) }
                guard let parsed = Double(number), parsed.isFinite, parsed >= 0 else { return nil }
                return parsed
            }
            if compact.hasPrefix("p99<=x"), let factor = Double(compact.dropFirst(6)), factor >= 1 {
                sla.relativeP99 = factor
            } else if let limit = value(after: "p99<=", unit: "ms") {
                sla.maxP99Ms = limit
            } else if let limit = value(after: "p50<=", unit: "ms") {
                sla.maxP50Ms = limit
            } else if let limit = value(after: "ttft_p99<=", unit: "ms") {
                sla.maxTTFTP99Ms = limit
            } else if let limit = value(after: "itl_p99<=", unit: "ms") {
                sla.maxITLP99Ms = limit
            } else if let share = value(after: "availability>=", unit: "%"), share <= 100 {
                sla.minAvailability = (share * 1e7).rounded() / 1e9
            } else if let share = value(after: "errors<=", unit: "%"), share <= 100 {
                sla.maxErrorRate = (share * 1e7).rounded() / 1e9
            } else {
                throw SweepError(
                    "--sla: '\(clause)' is not a limit; write p99<=800ms, p50<=200ms, ttft_p99<=300ms, itl_p99<=50ms, p99<=x2, availability>=99.9% or errors<=1%, separated by commas"
                )
            }
        }
        return sla
    }
}
