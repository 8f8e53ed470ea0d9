/// A token bucket: holds up to `capacity` tokens and refills at `perSecond`; taking more
/// than it holds means waiting for the refill. A per-minute limit is kept as a steady rate
/// with a burst of `burst`'s worth, not a minute's: vendors enforce per-minute limits over
/// shorter windows, and a minute's allowance spent at once is answered with 429s.
///
/// Time is the caller's (`now`, on the continuous clock), so that tests can drive it.
public struct TokenBucket: Sendable {
    public private(set) var capacity: Double
    public private(set) var perSecond: Double
    public private(set) var tokens: Double
    private var updated: ContinuousClock.Instant

    /// A bucket for `perMinute` a minute, holding `burst`'s worth (at least one), full at `now`.
    public init(
        perMinute: Double, burst: Duration = .seconds(EndpointLimits.defaultBurstSeconds), now: ContinuousClock.Instant
    ) {
        capacity = max(1, perMinute / 60 * burst.inSeconds)
        perSecond = perMinute / 60
        tokens = capacity
        updated = now
    }

    private mutating func refill(_ now: ContinuousClock.Instant) {
        if now > updated {
            tokens = min(capacity, tokens + (now - updated).inSeconds * perSecond)
            updated = now
        }
    }

    /// Takes `amount` (at most the capacity) and returns `.zero`, or returns how long to wait
    /// before it can be taken (taking nothing).
    public mutating func take(_ amount: Double, now: ContinuousClock.Instant) -> Duration {
        refill(now)
        let wanted = min(amount, capacity)
        if tokens >= wanted {
            tokens -= wanted
            return .zero
        }
        return perSecond > 0 ? .clamped(seconds: (wanted - tokens) / perSecond) : .forever
    }

    /// Changes the rate (and the burst with it, `burst`'s worth), keeping no more tokens than
    /// the new capacity.
    public mutating func retune(perSecond rate: Double, burst: Duration, now: ContinuousClock.Instant) {
        refill(now)
        perSecond = max(rate, 0.001)
        capacity = max(1, perSecond * burst.inSeconds)
        tokens = min(tokens, capacity)
    }

    /// Holds no more than `limit` tokens now (a server said how much is left).
    public mutating func clamp(to limit: Double, now: ContinuousClock.Instant) {
        refill(now)
        tokens = min(tokens, limit)
    }

    /// Gives back (or takes, when negative) tokens after the fact: a request that used fewer
    /// tokens than estimated returns the difference. May go below zero: the next ones wait.
    public mutating func adjust(by amount: Double, now: ContinuousClock.Instant) {
        refill(now)
        tokens = min(capacity, tokens + amount)
    }
}
