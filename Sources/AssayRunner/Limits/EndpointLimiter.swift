import AssayCore
import Foundation
import Synchronization

/// What stands between a request and its endpoint: the endpoint's concurrency, its rate
/// limits, any pause a server asked for with Retry-After, and a refusal once the endpoint has
/// rejected the key `refuseAfter` times in a row (401 or 403): a wrong key would otherwise be
/// sent with every item of the run.
///
/// Rate limits, all token buckets with about a second's burst, the strictest one deciding:
/// - **configured**: the catalog's or the plan's `requests_per_minute`/`tokens_per_minute`,
///   starting half full: the endpoint's own burst allowance, left half unspent, absorbs the
///   jitter between when Assay sends and when the server counts (a client that spends a
///   server's whole burst and then sends at exactly its rate leaves no slack, and every
///   request that arrives a little early is refused);
/// - **learned from headers**: the `x-ratelimit-limit-*` an answer came with (read per
///   minute, as OpenAI defines them), with `x-ratelimit-remaining-*`, less what was sent since
///   the answering request, capping what may go now; without a limit header, a pause until
///   `x-ratelimit-reset-*` when nothing remains;
/// - **adaptive**: on a 429 with no limit known, `AdaptiveRate` (AIMD) cuts the endpoint's
///   rate and grows it back; every model on the endpoint shares it.
///
/// A request's tokens are known only once it is answered: it reserves an estimate, the
/// bucket is corrected with the real usage, and the limiter learns the average usage it sees
/// (a moving average), so that later estimates are no lower than what requests really take.
///
/// Under an open-loop load (`adapts` false) the limiter learns nothing: requests start on the
/// schedule whatever the server answers, so neither a 429 (adaptive), a rate-limit header nor
/// a Retry-After slows the offered load; only limits the user configured hold it. A load test
/// that slows down on 429s measures the client, not the server. The 429s are still counted.
///
/// Workers sharing a store share an API key's limits (`SharedLimits`): each keeps `1 / holders`
/// of the configured and header-learned limits (`share(holders:)`), and adopts the key's
/// whole rate another worker learned from 429s (`adopt(keyPerSecond:)`).
///
/// The limiter also counts what the run met here (`traffic`): attempts, 429s, the wall time
/// requests spent held, and the rate it settled at. A lock, not an actor: passing a limiter
/// with no limits costs a lock, not a hop.
///
/// Time is `ContinuousClock`'s: instants and `Duration`s, turned into seconds and dates only
/// for `traffic`.
final class EndpointLimiter: Sendable {
    let slots: AsyncSemaphore?

    private struct State {
        var requests: TokenBucket?
        var tokens: TokenBucket?
        var learnedRequests: TokenBucket?
        var learnedTokens: TokenBucket?
        var adaptive: AdaptiveRate?
        /// Every request is held until then (Retry-After, a reset, a worker joining); nil
        /// when nothing ever paused the endpoint.
        var pausedUntil: ContinuousClock.Instant?
        var averageTokens: Double?
        var keyRejections = 0
        var refusal: String?
        /// When the last requests were admitted (a second's worth kept, at least 256), for
        /// the first adaptive cut.
        var recentAdmissions: [ContinuousClock.Instant] = []
        var traffic: EndpointTraffic
        var firstAttempt: ContinuousClock.Instant?
        var lastAnswer: ContinuousClock.Instant?
        var waiting = 0
        var waitingSince: ContinuousClock.Instant?
        /// Requests and tokens admitted so far.
        var admitted = 0
        var admittedTokens = 0
        /// This worker's part of the key's limits (1 alone; `1 / holders` when shared).
        var share = 1.0
        /// Held until this worker's slice of the key is renewed again (`suspend`).
        var suspended = false
        /// The limits a server's headers stated for the whole key, per minute.
        var statedRequests: Double?
        var statedTokens: Double?
        var hasLimit: Bool {
            requests != nil || tokens != nil || learnedRequests != nil || learnedTokens != nil || adaptive != nil
        }

        /// Holds every request until `until` at least.
        mutating func pause(until: ContinuousClock.Instant) {
            pausedUntil = max(pausedUntil ?? until, until)
        }
    }

    /// One admitted attempt: the tokens it reserved, when it went, and how many requests and
    /// tokens had been admitted before it (to tell, when it is answered, what went out since).
    struct Admission: Sendable {
        var reservedTokens: Int
        var at: ContinuousClock.Instant
        var sequence = 0
        var tokensBefore = 0
    }

    private let state: Mutex<State>
    /// The configured limits for the whole key, per minute.
    private let configured: (requests: Double?, tokens: Double?)
    /// The endpoint's name and its key's variable, for the refusal's message.
    private let name: String
    private let keyVariable: String?
    private let burst: Duration
    /// False under an open-loop load: nothing learned from answers holds requests back.
    private let adapts: Bool
    /// Told when the endpoint's rate changes because of a 429 or its headers: the new rate
    /// per second and why.
    private let onThrottle: @Sendable (Double, EndpointTraffic.LimitSource) -> Void
    static let refuseAfter = 3

    init(
        limits: EndpointLimits, name: String = "", keyVariable: String? = nil, adapts: Bool = true,
        now: ContinuousClock.Instant = .now,
        onThrottle: @escaping @Sendable (Double, EndpointTraffic.LimitSource) -> Void = { _, _ in }
    ) {
        self.name = name
        self.keyVariable = keyVariable
        self.adapts = adapts
        self.onThrottle = onThrottle
        slots = limits.concurrency.map { AsyncSemaphore(limit: $0) }
        // A catalog's limits are not range-checked as a plan's are: no burst traps the run.
        let burst = Duration.clamped(seconds: limits.burstSeconds ?? EndpointLimits.defaultBurstSeconds)
        self.burst = burst
        configured = (limits.requestsPerMinute, limits.tokensPerMinute)
        state = Mutex(
            State(
                requests: limits.requestsPerMinute.map {
                    Self.halfFull(TokenBucket(perMinute: $0, burst: burst, now: now), now: now)
                },
                tokens: limits.tokensPerMinute.map {
                    Self.halfFull(TokenBucket(perMinute: $0, burst: burst, now: now), now: now)
                },
                traffic: EndpointTraffic(endpoint: name)))
    }

    private static func halfFull(_ bucket: TokenBucket, now: ContinuousClock.Instant) -> TokenBucket {
        var bucket = bucket
        bucket.clamp(to: bucket.capacity / 2, now: now)
        return bucket
    }

    /// Waits until a request estimated at `estimatedTokens` may go (it then counts against the
    /// buckets), and returns what it reserved (the estimate, or the learned average when
    /// higher), which `settle` takes back. Throws `CancellationError` when cancelled while
    /// waiting, and `PastDeadline` when the wait would end after `deadline` (nil: none): an
    /// item never waits past its own deadline, whatever a server asked.
    func admit(estimatedTokens: Int, deadline: ContinuousClock.Instant? = nil) async throws -> Admission {
        var held = false
        defer { if held { stoppedWaiting() } }
        while true {
            let (wait, admission) = reserve(estimatedTokens)
            let now = ContinuousClock.now
            if wait <= .zero { return admission }
            if let deadline, now + wait > deadline { throw PastDeadline(wait: wait) }
            if !held {
                held = true
                startedWaiting(now)
            }
            try await Task.sleep(for: min(wait, .seconds(60)) + .milliseconds(1))
        }
    }

    /// The endpoint is held (Retry-After, rate limits) past an item's deadline.
    struct PastDeadline: Error {
        var wait: Duration
    }

    private func reserve(_ estimatedTokens: Int) -> (wait: Duration, admission: Admission) {
        state.withLock { state in
            let reserved = max(estimatedTokens, Int((state.averageTokens ?? 0).rounded(.up)))
            let now = ContinuousClock.now
            let admission = Admission(
                reservedTokens: reserved, at: now, sequence: state.admitted, tokensBefore: state.admittedTokens)
            func admitted() -> (wait: Duration, admission: Admission) {
                state.admitted += 1
                state.admittedTokens += reserved
                state.recentAdmissions.append(now)
                if state.recentAdmissions.count > 256,
                    let first = state.recentAdmissions.firstIndex(where: { $0 > now - .seconds(1) }), first > 0
                {
                    state.recentAdmissions.removeFirst(first)
                }
                return (.zero, admission)
            }
            if state.suspended { return (Self.suspendedRecheck, admission) }
            guard state.hasLimit || state.pausedUntil != nil else { return admitted() }
            if let until = state.pausedUntil, until > now { return (until - now, admission) }
            var copy = state
            let waits = [
                copy.tokens?.take(Double(reserved), now: now), copy.learnedTokens?.take(Double(reserved), now: now),
                copy.requests?.take(1, now: now), copy.learnedRequests?.take(1, now: now),
                copy.adaptive?.take(now: now),
            ]
            let wait = waits.compactMap { $0 }.max() ?? .zero
            // Taken from every bucket or from none.
            guard wait <= .zero else { return (wait, admission) }
            state = copy
            return admitted()
        }
    }

    private func startedWaiting(_ now: ContinuousClock.Instant) {
        state.withLock { state in
            if state.waiting == 0 { state.waitingSince = now }
            state.waiting += 1
        }
    }

    private func stoppedWaiting() {
        state.withLock { state in
            state.waiting -= 1
            if state.waiting == 0, let since = state.waitingSince {
                state.traffic.waitedSeconds += (ContinuousClock.now - since).inSeconds
            }
        }
    }

    /// Corrects the token buckets once the real usage is known, and learns from it.
    func settle(reservedTokens: Int, actualTokens: Int?) {
        guard let actualTokens else { return }
        state.withLock { state in
            guard state.tokens != nil || state.learnedTokens != nil else { return }
            let now = ContinuousClock.now
            state.tokens?.adjust(by: Double(reservedTokens - actualTokens), now: now)
            state.learnedTokens?.adjust(by: Double(reservedTokens - actualTokens), now: now)
            state.averageTokens =
                state.averageTokens.map { 0.8 * $0 + 0.2 * Double(actualTokens) } ?? Double(actualTokens)
        }
    }

    /// Why requests to this endpoint are no longer sent, once its key was rejected too often.
    var refusal: String? { state.withLock { $0.refusal } }

    /// Counts an attempt's answer (`status` nil: no answer, a connection or timeout failure)
    /// for `admission`, and learns from its rate-limit headers: `refuseAfter` key rejections
    /// (401, 403) in a row refuse the endpoint; a 429 cuts the adaptive rate.
    func record(status: Int?, message: String, admission: Admission, headers: RateLimitHeaders? = nil) {
        let sentAt = admission.at
        var throttled: (Double, EndpointTraffic.LimitSource)?
        state.withLock { state in
            let now = ContinuousClock.now
            state.traffic.attempts += 1
            state.firstAttempt = min(state.firstAttempt ?? sentAt, sentAt)
            state.lastAnswer = now
            if adapts, let headers { throttled = learn(headers, after: admission, state: &state, now: now) }
            switch status {
            case 429?:
                state.traffic.rateLimited += 1
                guard adapts else { break }
                if var adaptive = state.adaptive {
                    if adaptive.refused(sentAt: sentAt, now: now) { throttled = (adaptive.perSecond, .adaptive) }
                    state.adaptive = adaptive
                } else {
                    // What went out in the second before the refused request did, the server took.
                    let accepted = state.recentAdmissions.count { $0 > sentAt - .seconds(1) && $0 < sentAt }
                    let adaptive = AdaptiveRate(
                        acceptedLastSecond: accepted, inUse: sentAt - (state.firstAttempt ?? sentAt), now: now)
                    state.adaptive = adaptive
                    throttled = (adaptive.perSecond, .adaptive)
                }
            case let code? where (200..<300).contains(code):
                state.adaptive?.accepted(now: now)
            default:
                break
            }
            guard status == 401 || status == 403 else {
                state.keyRejections = 0
                return
            }
            state.keyRejections += 1
            if state.keyRejections >= Self.refuseAfter && state.refusal == nil {
                let key = keyVariable.map { "the key in $\($0)" } ?? "its credentials"
                state.refusal =
                    "not sent: endpoint '\(name)' rejected \(key) \(state.keyRejections) times in a row "
                    + "(\(message)); check the key and run again (`assay run --resume` asks these items again)"
            }
        }
        if let throttled { onThrottle(throttled.0, throttled.1) }
    }

    /// Takes in the rate-limit headers of the answer to `admission`; returns the new request
    /// rate when it is new. What remains is what the server counted when that request
    /// arrived: the requests (and tokens) admitted after it are taken off.
    private func learn(
        _ headers: RateLimitHeaders, after admission: Admission, state: inout State, now: ContinuousClock.Instant
    ) -> (Double, EndpointTraffic.LimitSource)? {
        let share = state.share
        let requests = Self.learn(
            limit: headers.limitRequests, allowed: RateLimitHeaders.requestLimits, remaining: headers.remainingRequests,
            sentSince: Double(state.admitted - admission.sequence - 1), share: share, burst: burst,
            stated: &state.statedRequests, bucket: &state.learnedRequests, now: now)
        _ = Self.learn(
            limit: headers.limitTokens, allowed: RateLimitHeaders.tokenLimits, remaining: headers.remainingTokens,
            sentSince: Double(state.admittedTokens - admission.tokensBefore - admission.reservedTokens), share: share,
            burst: burst,
            stated: &state.statedTokens, bucket: &state.learnedTokens, now: now)
        // Nothing left and no limit to pace by: hold the endpoint until the allowance is whole again.
        for (limit, remaining, reset) in [
            (headers.limitRequests, headers.remainingRequests, headers.resetRequests),
            (headers.limitTokens, headers.remainingTokens, headers.resetTokens),
        ] where limit == nil && remaining == 0 {
            if let reset { state.pause(until: now + .seconds(min(reset, 60))) }
        }
        return requests.map { ($0, .headers) }
    }

    /// One limit a server stated (requests or tokens, per minute) taken in: this worker's
    /// share of it as `bucket`'s rate, and of what remains of it (less what was sent since the
    /// answered request) as its fill. Returns the new rate per second when it changed. The
    /// limit is range-checked again here: a header read elsewhere must not trap the run either.
    private static func learn(
        limit: Double?, allowed: ClosedRange<Double>, remaining: Double?, sentSince: Double, share: Double,
        burst: Duration,
        stated: inout Double?, bucket: inout TokenBucket?, now: ContinuousClock.Instant
    ) -> Double? {
        guard let limit, allowed.contains(limit) else { return nil }
        stated = limit
        var changed: Double?
        if bucket?.perSecond != limit * share / 60 {
            var new = TokenBucket(perMinute: limit * share, burst: burst, now: now)
            if let old = bucket { new.clamp(to: old.tokens, now: now) }
            bucket = new
            changed = limit * share / 60
        }
        if let remaining { bucket?.clamp(to: remaining * share - sentSince, now: now) }
        return changed
    }

    /// Holds every request to this endpoint for `span` (a 429 or 503 with Retry-After).
    func pause(for span: Duration) {
        guard adapts else { return }
        state.withLock { $0.pause(until: .now + span) }
    }

    // MARK: Sharing a key's limits with other workers

    /// Keeps `1 / holders` of the key's configured and stated limits (and scales the learned
    /// rate the same way): `holders` workers use the key now.
    func share(holders: Int) {
        state.withLock { state in
            let share = 1 / Double(max(1, holders))
            guard share != state.share else { return }
            let now = ContinuousClock.now
            let scale = share / state.share
            state.share = share
            func retune(_ bucket: inout TokenBucket?, perMinute: Double?) {
                guard let perMinute else { return }
                bucket?.retune(perSecond: perMinute * share / 60, burst: burst, now: now)
            }
            retune(&state.requests, perMinute: configured.requests)
            retune(&state.tokens, perMinute: configured.tokens)
            retune(&state.learnedRequests, perMinute: state.statedRequests)
            retune(&state.learnedTokens, perMinute: state.statedTokens)
            state.adaptive?.scale(by: scale, now: now)
        }
    }

    /// Holds every request for `span`: a worker joining others on a key waits until they
    /// have seen it and given up part of their share.
    func hold(for span: Duration) {
        state.withLock { $0.pause(until: .now + span) }
    }

    /// Holds every request (`true`) until called with `false`: this worker could not renew its
    /// slice of the key for as long as its lease, and the others may have taken up its share.
    func suspend(_ suspended: Bool) {
        state.withLock { $0.suspended = suspended }
    }

    /// How often a suspended limiter's waiting requests look again.
    static let suspendedRecheck: Duration = .milliseconds(250)

    /// The key's whole rate as this worker learned it from 429s (its own rate over its
    /// share), and when it last cut (nil when it never did: an adopted rate); nil before any
    /// 429.
    var learnedKeyRate: (perSecond: Double, cutAt: ContinuousClock.Instant?)? {
        state.withLock { state in state.adaptive.map { ($0.perSecond / state.share, $0.lastCut) } }
    }

    /// Takes the key's whole rate another worker learned from 429s: this worker's part of it.
    func adopt(keyPerSecond: Double) {
        guard adapts, keyPerSecond > 0, keyPerSecond.isFinite else { return }
        state.withLock { state in
            let now = ContinuousClock.now
            let rate = keyPerSecond * state.share
            if state.adaptive == nil {
                state.adaptive = AdaptiveRate(adopting: rate, now: now)
            } else {
                state.adaptive?.adopt(rate, now: now)
            }
        }
    }

    /// What the run met at this endpoint so far, with the request rate it is held to now.
    var traffic: EndpointTraffic {
        state.withLock { state in
            var traffic = state.traffic
            if let first = state.firstAttempt, let last = state.lastAnswer {
                traffic.activeSeconds = max(0, (last - first).inSeconds)
                // The continuous clock's instants as dates: the same span back from now on both.
                let now = (instant: ContinuousClock.now, date: Date())
                traffic.firstSentAt = now.date.addingTimeInterval((first - now.instant).inSeconds)
                traffic.lastAnsweredAt = now.date.addingTimeInterval((last - now.instant).inSeconds)
            }
            let limits: [(Double?, EndpointTraffic.LimitSource)] = [
                (state.requests?.perSecond, .configured), (state.learnedRequests?.perSecond, .headers),
                (state.adaptive?.perSecond, .adaptive),
            ]
            if let strictest = limits.compactMap({ limit in limit.0.map { ($0, limit.1) } }).min(by: { $0.0 < $1.0 }) {
                traffic.limitPerSecond = strictest.0
                traffic.limitSource = strictest.1
            }
            return traffic
        }
    }
}
