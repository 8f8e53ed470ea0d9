import AssayCore
import Foundation

/// An endpoint's traffic in words, the same in the progress line, the terminal summary and
/// summary.md.
public enum TrafficText {
    /// "local: 2064 attempts, 64 answered 429 (3.1%), held by limits 1.2 s, 98.4 attempts/s;
    /// throttled to 95.0 requests/s (cut on 429s, growing back while accepted)"
    public static func line(_ traffic: EndpointTraffic) -> String {
        var text = "\(traffic.endpoint): \(traffic.attempts) attempts, \(traffic.rateLimited) answered 429"
        text += " (\(Format.percent(traffic.rateLimitedShare)))"
        text += String(format: ", held by limits %.1f s", traffic.waitedSeconds)
        if let achieved = traffic.achievedPerSecond { text += String(format: ", %.1f attempts/s", achieved) }
        if let limit = traffic.limitPerSecond, let source = traffic.limitSource {
            text += "; " + throttle(perSecond: limit, source: source)
        }
        return text
    }

    /// Each worker's part of a shared run's traffic, when workers shared it: "worker
    /// ci-3:4121:9f2a: local 1013 attempts, 0 answered 429, 25.1 attempts/s". The run as a
    /// whole is `line` of the run's traffic (the workers' attempts over their common span).
    public static func workerLines(_ run: RunManifest) -> [String] {
        guard let workers = run.workers, workers.count > 1 || workers.contains(where: { $0.failure != nil }) else {
            return []
        }
        return workers.flatMap { worker in
            worker.traffic.map { traffic in
                var text =
                    "worker \(worker.worker): \(traffic.endpoint) \(traffic.attempts) attempts, \(traffic.rateLimited) answered 429"
                if let achieved = traffic.achievedPerSecond { text += String(format: ", %.1f attempts/s", achieved) }
                return text
            }
                + (worker.failure.map {
                    ["worker \(worker.worker) stopped on its own failure (the others went on): \($0)"]
                } ?? [])
        }
    }

    /// "throttled to 95.0 requests/s (cut on 429s, growing back while accepted)"
    public static func throttle(perSecond: Double, source: EndpointTraffic.LimitSource) -> String {
        let why =
            switch source {
            case .adaptive: "cut on 429s, growing back while accepted"
            case .headers: "its x-ratelimit headers"
            case .configured: "configured limits"
            }
        let verb = source == .configured ? "held to" : "throttled to"
        return "\(verb) \(String(format: "%.1f", perSecond)) requests/s (\(why))"
    }
}
