import Foundation

/// The windowed failover rule routers apply (seed 001: "after at least 50 requests, fail over
/// while the error rate exceeds 0.5% or the p99 of the last 100 latencies exceeds 800 ms"):
/// the last `window` answers of a primary model, and whether its next item should go to its
/// fallback. One implementation for the live run (`FallbackMonitor`) and the simulation of a
/// stored run (`RouteSimulation`), so that what `route simulate` predicts is what a run does.
public struct FailoverWindow: Sendable, Hashable {
    public struct Rule: Sendable, Hashable, Codable {
        /// Fail over while the error rate over the window is above this (0...1).
        public var errorRateOver: Double?
        /// Fail over while the p99 latency over the window is above this, in milliseconds.
        public var p99OverMs: Double?
        /// How many answers the window holds.
        public var window: Int
        /// How many answers must have been seen before the rule may fire (the warm-up).
        public var minRequests: Int

        public init(errorRateOver: Double? = nil, p99OverMs: Double? = nil, window: Int = 100, minRequests: Int? = nil)
        {
            self.errorRateOver = errorRateOver
            self.p99OverMs = p99OverMs
            self.window = max(1, window)
            self.minRequests = max(1, minRequests ?? min(10, window))
        }

        public var isActive: Bool { errorRateOver != nil || p99OverMs != nil }
    }

    public let rule: Rule
    private var recent: [(failed: Bool, latencyMs: Double?)] = []
    /// Answers seen in all (the warm-up counts these, not the window's).
    public private(set) var seen = 0

    public init(rule: Rule) {
        self.rule = rule
    }

    public static func == (lhs: FailoverWindow, rhs: FailoverWindow) -> Bool {
        lhs.rule == rhs.rule && lhs.seen == rhs.seen && lhs.recent.map(\.failed) == rhs.recent.map(\.failed)
            && lhs.recent.map(\.latencyMs) == rhs.recent.map(\.latencyMs)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rule)
        hasher.combine(seen)
    }

    /// An answer of the primary: failed (its request failed), and how long it took.
    public mutating func record(failed: Bool, latencyMs: Double?) {
        recent.append((failed, latencyMs))
        seen += 1
        if recent.count > rule.window { recent.removeFirst(recent.count - rule.window) }
    }

    /// Why the primary's next item should go to its fallback, or nil when it should not.
    public var reason: String? {
        guard seen >= rule.minRequests, !recent.isEmpty else { return nil }
        if let limit = rule.errorRateOver {
            let rate = Double(recent.filter(\.failed).count) / Double(recent.count)
            if rate > limit {
                return
                    "error rate \(String(format: "%.1f", rate * 100))% over the last \(recent.count) requests (limit \(String(format: "%g", limit * 100))%)"
            }
        }
        if let limit = rule.p99OverMs {
            let latencies = recent.compactMap(\.latencyMs).sorted()
            if !latencies.isEmpty {
                // As the users' router computes it (DESIGN.md: "p99 = sorted window[int(len *
                // 0.99)]"), not the nearest rank: with 100 latencies in the window that is the
                // slowest, so one slow answer fails over (the nearest rank would need two).
                let p99 = latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))]
                if p99 > limit {
                    return
                        "p99 \(Int(p99.rounded())) ms over the last \(recent.count) requests (limit \(Int(limit)) ms)"
                }
            }
        }
        return nil
    }
}
