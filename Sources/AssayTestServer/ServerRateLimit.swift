import AssayCore
import Foundation

extension TestScript {
    /// The server enforces a request rate and a token rate, as a vendor does: token buckets
    /// holding `burstSeconds`' worth; a request over either is answered 429 with
    /// `Retry-After`. A request's tokens are its answer's usage (prompt and completion),
    /// charged when it arrives. With `headers`, every answer carries OpenAI's
    /// `x-ratelimit-*` headers (limits per minute, what remains, when it is whole again).
    public struct RateLimit: Sendable, Codable, Hashable {
        public var requestsPerSecond: Double?
        public var tokensPerSecond: Double?
        public var burstSeconds: Double
        public var headers: Bool
        public var retryAfterSeconds: Double

        public init(
            requestsPerSecond: Double? = nil, tokensPerSecond: Double? = nil, burstSeconds: Double = 1,
            headers: Bool = true, retryAfterSeconds: Double = 1
        ) {
            self.requestsPerSecond = requestsPerSecond
            self.tokensPerSecond = tokensPerSecond
            self.burstSeconds = burstSeconds
            self.headers = headers
            self.retryAfterSeconds = retryAfterSeconds
        }

        enum CodingKeys: String, CodingKey {
            case headers
            case requestsPerSecond = "requests_per_second"
            case tokensPerSecond = "tokens_per_second"
            case burstSeconds = "burst_seconds"
            case retryAfterSeconds = "retry_after_seconds"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                requestsPerSecond: try container.decodeIfPresent(Double.self, forKey: .requestsPerSecond),
                tokensPerSecond: try container.decodeIfPresent(Double.self, forKey: .tokensPerSecond),
                burstSeconds: try container.decodeIfPresent(Double.self, forKey: .burstSeconds) ?? 1,
                headers: try container.decodeIfPresent(Bool.self, forKey: .headers) ?? true,
                retryAfterSeconds: try container.decodeIfPresent(Double.self, forKey: .retryAfterSeconds) ?? 1)
        }
    }
}

/// The server's side of `TestScript.RateLimit`: its buckets, and the headers it answers with.
struct ServerRateLimiter: Sendable {
    let limit: TestScript.RateLimit
    private var requests: TokenBucket?
    private var tokens: TokenBucket?

    init(_ limit: TestScript.RateLimit, now: ContinuousClock.Instant) {
        self.limit = limit
        let burst = Duration.clamped(seconds: limit.burstSeconds)
        requests = limit.requestsPerSecond.map { TokenBucket(perMinute: $0 * 60, burst: burst, now: now) }
        tokens = limit.tokensPerSecond.map { TokenBucket(perMinute: $0 * 60, burst: burst, now: now) }
    }

    /// Charges a request of `cost` tokens arriving at `now`: whether it may be answered, and
    /// the headers to answer with (Retry-After on a refusal).
    mutating func admit(cost: Int, now: ContinuousClock.Instant) -> (allowed: Bool, headers: [(String, String)]) {
        var trialRequests = requests, trialTokens = tokens
        let waits = [trialRequests?.take(1, now: now), trialTokens?.take(Double(cost), now: now)].compactMap { $0 }
        let allowed = waits.allSatisfy { $0 <= .zero }
        if allowed {
            requests = trialRequests
            tokens = trialTokens
        }
        var headers: [(String, String)] = []
        if limit.headers {
            for (name, bucket) in [("requests", requests), ("tokens", tokens)] {
                guard let bucket else { continue }
                headers.append(("x-ratelimit-limit-\(name)", String(Int((bucket.perSecond * 60).rounded()))))
                headers.append(("x-ratelimit-remaining-\(name)", String(max(0, Int(bucket.tokens.rounded(.down))))))
                let reset = max(0, bucket.capacity - bucket.tokens) / bucket.perSecond
                headers.append(("x-ratelimit-reset-\(name)", "\(Int((reset * 1000).rounded(.up)))ms"))
            }
        }
        if !allowed { headers.append(("Retry-After", String(format: "%g", limit.retryAfterSeconds))) }
        return (allowed, headers)
    }
}
