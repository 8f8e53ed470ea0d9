import Foundation

/// What a run's requests met at one endpoint: the attempts sent (retries included), the
/// 429s among them, the time requests spent held by its limits, and the rate it settled at
/// when Assay had to slow down. Kept with the run (summed over a resumed run's sessions).
public struct EndpointTraffic: Sendable, Hashable, Codable {
    public var endpoint: String
    /// Requests sent, every retry counted.
    public var attempts: Int
    /// Attempts answered 429.
    public var rateLimited: Int
    /// Seconds during which at least one request was waiting on the endpoint's limits (its
    /// rate, a Retry-After pause): wall time, not summed over the waiting requests.
    public var waitedSeconds: Double
    /// Seconds from the first attempt to the last one's answer.
    public var activeSeconds: Double
    /// The request rate the endpoint was held to at the end (per second), when one applied.
    public var limitPerSecond: Double?
    /// Where that rate came from.
    public var limitSource: LimitSource?
    /// When the first attempt went and the last one was answered (wall clock): what tells
    /// workers that overlapped (one span) from sessions one after another (spans added).
    /// Nil in runs stored before.
    public var firstSentAt: Date?
    public var lastAnsweredAt: Date?

    public enum LimitSource: String, Sendable, Hashable, Codable {
        /// The catalog's or the plan's `limits`.
        case configured
        /// The endpoint's `x-ratelimit-*` headers.
        case headers
        /// Cut on 429s and grown back (AIMD), with no limit known.
        case adaptive
    }

    public init(
        endpoint: String, attempts: Int = 0, rateLimited: Int = 0, waitedSeconds: Double = 0, activeSeconds: Double = 0,
        limitPerSecond: Double? = nil, limitSource: LimitSource? = nil
    ) {
        self.endpoint = endpoint
        self.attempts = attempts
        self.rateLimited = rateLimited
        self.waitedSeconds = waitedSeconds
        self.activeSeconds = activeSeconds
        self.limitPerSecond = limitPerSecond
        self.limitSource = limitSource
    }

    /// Attempts per second while the endpoint was in use.
    public var achievedPerSecond: Double? { activeSeconds > 0 ? Double(attempts) / activeSeconds : nil }

    /// The share of attempts answered 429.
    public var rateLimitedShare: Double { attempts > 0 ? Double(rateLimited) / Double(attempts) : 0 }

    /// More than this share of attempts answered 429 is a storm worth a warning: the
    /// endpoint's numbers (latency, errors) are distorted by retries, and vendors slow down
    /// or block keys that keep hitting their limits.
    public static let rateLimitedWarningShare = 0.05

    /// A line for the summary when the endpoint answered too many 429s, nil otherwise.
    public var warning: String? {
        guard rateLimitedShare > Self.rateLimitedWarningShare else { return nil }
        let percent = (rateLimitedShare * 1000).rounded() / 10
        return "endpoint '\(endpoint)' answered 429 to \(rateLimited) of \(attempts) attempts (\(percent)%): "
            + "set its limits (requests_per_minute, tokens_per_minute) in the catalog or the plan"
    }

    /// Another session's traffic added to this one's: counts add up, the limit is the
    /// latest. The active time of sessions one after another (a resumed run) adds up; of
    /// sessions that overlapped (workers of one run), it is the span from the first attempt
    /// to the last answer of either, so that the rate achieved is the run's as a whole.
    public func adding(_ later: EndpointTraffic) -> EndpointTraffic {
        var sum = EndpointTraffic(
            endpoint: endpoint, attempts: attempts + later.attempts, rateLimited: rateLimited + later.rateLimited,
            waitedSeconds: waitedSeconds + later.waitedSeconds, activeSeconds: activeSeconds + later.activeSeconds,
            limitPerSecond: later.limitPerSecond ?? limitPerSecond, limitSource: later.limitSource ?? limitSource)
        if let first = firstSentAt, let last = lastAnsweredAt, let laterFirst = later.firstSentAt,
            let laterLast = later.lastAnsweredAt
        {
            sum.firstSentAt = min(first, laterFirst)
            sum.lastAnsweredAt = max(last, laterLast)
            if laterFirst < last && first < laterLast {
                sum.activeSeconds = max(last, laterLast).timeIntervalSince(min(first, laterFirst))
            }
        }
        return sum
    }

    /// Sessions' traffic merged per endpoint, in endpoint order.
    public static func merge(_ earlier: [EndpointTraffic], _ later: [EndpointTraffic]) -> [EndpointTraffic] {
        var byEndpoint = Dictionary(earlier.map { ($0.endpoint, $0) }, uniquingKeysWith: { $0.adding($1) })
        for traffic in later {
            byEndpoint[traffic.endpoint] = byEndpoint[traffic.endpoint].map { $0.adding(traffic) } ?? traffic
        }
        return byEndpoint.values.sorted { $0.endpoint < $1.endpoint }
    }
}
