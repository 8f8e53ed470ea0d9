/// A token bucket: holds up to `capacity` tokens and refills at `perSecond`; taking more
/// than it holds means waiting for the refill. A per-minute limit is kept as a steady rate
/// with a burst of `burstSeconds`' worth, not a minute's: vendors enforce per-minute limits
/// over shorter windows, and a minute's allowance spent at once is answered with 429s.
public struct TokenBucket: Sendable {
    public private(set) var capacity: Double
    public private(set) var perSecond: Double
    public private(set) var tokens: Double
    private var updated: Double

    /// A bucket for `perMinute` a minute, holding `burstSeconds`' worth (at least one), full at `now`.
    public init(perMinute: Double, burstSeconds: Double = EndpointLimits.defaultBurstSeconds, now: Double) {
        capacity = max(1, perMinute / 60 * burstSeconds)
        perSecond = perMinute / 60
        tokens = capacity
        updated = now
    }

    private mutating func refill(_ now: Double) {
        if now > updated {
            tokens = min(capacity, tokens + (now - updated) * perSecond)
            updated = now
        }
    }

    /// Takes `amount` (at most the capacity) and returns 0, or returns how many seconds to
    /// wait before it can be taken (taking nothing).
    public mutating func take(_ amount: Double, now: Double) -> Double {
        refill(now)
        let wanted = min(amount, capacity)
        if tokens >= wanted {
            tokens -= wanted
            return 0
        }
        return perSecond > 0 ? (wanted - tokens) / perSecond : .infinity
    }

    /// Changes the rate (and the burst with it, `burstSeconds`' worth), keeping no more
    /// tokens than the new capacity.
    public mutating func retune(perSecond rate: Double, burstSeconds: Double, now: Double) {
        refill(now)
        perSecond = max(rate, 0.001)
        capacity = max(1, perSecond * burstSeconds)
        tokens = min(tokens, capacity)
    }

    /// Holds no more than `limit` tokens now (a server said how much is left).
    public mutating func clamp(to limit: Double, now: Double) {
        refill(now)
        tokens = min(tokens, limit)
    }

    /// Gives back (or takes, when negative) tokens after the fact: a request that used fewer
    /// tokens than estimated returns the difference. May go below zero: the next ones wait.
    public mutating func adjust(by amount: Double, now: Double) {
        refill(now)
        tokens = min(capacity, tokens + amount)
    }
}
