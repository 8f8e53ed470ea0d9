import AssayCore

/// A request rate learned from 429s, for an endpoint whose limit nobody stated: cut
/// multiplicatively when the endpoint refuses, grown back additively while it accepts (AIMD,
/// as TCP does with its window).
///
/// - The first refusal sets the rate just under what the endpoint accepted in the last
///   second (`firstCut` of it): that is what its limit let through. In an endpoint's first
///   second, what it accepted includes its burst allowance: on the common model of a
///   second's burst, `accepted = rate * (1 + t)` after `t` seconds, so the rate is read as
///   `accepted / (1 + t)`.
/// - A later refusal cuts the rate to `decrease` of itself, once per episode: refusals of
///   requests sent before the last cut are answers to what was already in flight, and cut
///   nothing more.
/// - Until the second refusal, each second's worth of accepted requests grows the rate by
///   `probe` of itself (slow start, as TCP's): the first estimate can be far too low (a
///   server with a small burst refuses the third request of a run's opening burst, and only
///   two went out before it), and growing back by a constant would take minutes.
/// - After that, each accepted request adds `increase` of the rate at the last cut, spread
///   over a second's worth of requests: at full speed the rate grows by that much a second,
///   so an endpoint at its limit is probed gently.
///
/// - Refusals that come within `quiet` of each other are one episode. Once
///   `quiet` passes with no refusal, a rate below the one the episode's first cut set
///   (`recoverTo`) doubles per second's worth of accepted requests until it is back there: a
///   burst of 429s (a blip, a neighbour's spike) costs seconds, not minutes. From a rate cut
///   to 1/20 of that that is 2 s of quiet and then about log2(20) = 4.3 s of growth: under
///   7 s in all (RateLimitTests). At a real limit the episode is one cut, the rate is already
///   there, and the limit is probed as before.
///
/// The learned rate is paced with almost no burst (a tenth of a second's worth): the limit's
/// own burst allowance is unknown, and left unspent it absorbs the jitter of arrival times.
///
/// Time is the caller's (`now`, on the continuous clock), so that tests can drive it.
struct AdaptiveRate: Sendable {
    static let burst: Duration = .milliseconds(100)
    static let firstCut = 0.95
    static let decrease = 0.9
    static let increase = 0.01
    static let probe = 0.2
    /// Quiet time after a refusal before the rate recovers, and the growth while it does
    /// (per accepted request, a fraction of the rate: 1 doubles it per second's worth).
    static let quiet: Duration = .seconds(2)
    static let recover = 1.0
    /// The slowest it goes: one request every ten seconds.
    static let floor = 0.1

    private(set) var bucket: TokenBucket
    /// When this limiter last cut the rate; nil when it never did (a rate adopted from
    /// another worker is not its cut).
    private(set) var lastCut: ContinuousClock.Instant?
    private var rateAtCut: Double
    /// The rate the first cut of the latest episode of refusals set: what recovery returns to.
    private(set) var recoverTo: Double
    /// Slow start: no refusal since the first.
    private(set) var probing = true

    var perSecond: Double { bucket.perSecond }

    /// A rate set by a first refusal at `now`, when `acceptedLastSecond` requests had just
    /// been accepted, `inUse` after the endpoint's first request.
    init(acceptedLastSecond: Int, inUse: Duration, now: ContinuousClock.Instant) {
        let inUse = inUse.inSeconds
        let accepted = Double(acceptedLastSecond) / (inUse < 1 ? 1 + max(0, inUse) : 1)
        let rate = max(Self.floor, accepted * Self.firstCut)
        bucket = TokenBucket(perMinute: rate * 60, burst: Self.burst, now: now)
        // Whatever is in flight already went out at the old pace: no burst on top of it.
        bucket.clamp(to: 0, now: now)
        lastCut = now
        rateAtCut = rate
        recoverTo = rate
    }

    /// A rate another worker on the same key learned (its estimate of the key's rate, times
    /// this worker's share): no slow start, as after a second refusal.
    init(adopting rate: Double, now: ContinuousClock.Instant) {
        let rate = max(Self.floor, rate)
        bucket = TokenBucket(perMinute: rate * 60, burst: Self.burst, now: now)
        bucket.clamp(to: 0, now: now)
        // Not this worker's cut: nothing to publish back, and any refusal cuts.
        lastCut = nil
        rateAtCut = rate
        recoverTo = rate
        probing = false
    }

    /// Takes a rate another worker learned as this one's own, as a cut would (but not
    /// counted as this worker's cut: `lastCut` stays, so that it is not published back).
    mutating func adopt(_ rate: Double, now: ContinuousClock.Instant) {
        let rate = max(Self.floor, rate)
        probing = false
        rateAtCut = rate
        recoverTo = rate
        bucket.retune(perSecond: rate, burst: Self.burst, now: now)
    }

    /// Scales the rate (more or fewer workers share the key).
    mutating func scale(by factor: Double, now: ContinuousClock.Instant) {
        rateAtCut = max(Self.floor, rateAtCut * factor)
        recoverTo = max(Self.floor, recoverTo * factor)
        bucket.retune(perSecond: max(Self.floor, bucket.perSecond * factor), burst: Self.burst, now: now)
    }

    /// A refusal of a request sent at `sentAt`: cuts the rate unless the request went out
    /// before the last cut. Returns whether it cut.
    mutating func refused(sentAt: ContinuousClock.Instant, now: ContinuousClock.Instant) -> Bool {
        if let lastCut, sentAt < lastCut { return false }
        let rate = max(Self.floor, bucket.perSecond * Self.decrease)
        if probing || isQuiet(now) { recoverTo = rate }
        probing = false
        bucket.retune(perSecond: rate, burst: Self.burst, now: now)
        bucket.clamp(to: 0, now: now)
        lastCut = now
        rateAtCut = rate
        return true
    }

    /// An accepted request: the rate grows by `probe` of itself (slow start), by `recover`
    /// of itself (recovering after a quiet spell), or by `increase` of the rate at the last
    /// cut, per second's worth of them.
    mutating func accepted(now: ContinuousClock.Instant) {
        let rate = bucket.perSecond
        let step: Double
        if probing {
            step = Self.probe
        } else if isQuiet(now) && rate < recoverTo {
            step = min(Self.recover, recoverTo - rate)
        } else {
            step = Self.increase * rateAtCut / max(rate, Self.floor)
        }
        bucket.retune(perSecond: bucket.perSecond + step, burst: Self.burst, now: now)
    }

    /// Takes one request's place (`.zero`), or returns how long to wait for it.
    mutating func take(now: ContinuousClock.Instant) -> Duration {
        bucket.take(1, now: now)
    }

    /// Whether `quiet` has passed since the last cut (always, with no cut of its own).
    private func isQuiet(_ now: ContinuousClock.Instant) -> Bool {
        lastCut.map { now - $0 >= Self.quiet } ?? true
    }
}
