import Foundation

/// An open-loop load (`assay run --rate 50/s`): requests start on a schedule of arrivals,
/// whether or not earlier ones have been answered, as production traffic arrives. A closed
/// loop ("N in flight") slows down when the endpoint does and so cannot show what happens at
/// a sustained 100 requests per second; an open loop keeps arriving, and the backlog and the
/// latency under that load are what it measures.
public struct LoadProfile: Sendable, Hashable, Codable {
    /// Requests per second: the target of constant and Poisson arrivals, the average of the
    /// other shapes (a burst's size over its period, a ramp's mean, the rate a replayed log is
    /// scaled to).
    public var perSecond: Double
    public var arrivals: Arrivals
    /// How many requests; nil with a duration, or for one pass over the plan's items.
    public var requests: Int?
    /// For how long, in seconds: `perSecond x durationSeconds` requests.
    public var durationSeconds: Double?
    public var seed: UInt64

    public init(
        perSecond: Double, arrivals: Arrivals = .constant, requests: Int? = nil, durationSeconds: Double? = nil,
        seed: UInt64 = 1
    ) {
        self.perSecond = perSecond
        self.arrivals = arrivals
        self.requests = requests
        self.durationSeconds = durationSeconds
        self.seed = seed
    }

    /// How many requests the load sends, given how many items one pass over the plan has
    /// (the plan's items are sent again, as further epochs, until the count is reached).
    /// Over a duration: rate x duration, but every burst that starts within it, whole, and
    /// the replayed arrivals that fall within it. With neither a count nor a duration: one
    /// pass over the plan, or a replay's log once.
    public func total(itemsPerPass: Int) -> Int {
        if let requests { return requests }
        guard let durationSeconds else {
            if case .replay(let log) = arrivals { return log.offsets.count }
            return itemsPerPass
        }
        switch arrivals {
        case .burst(let size, let every):
            // A hair under, so that 60 s of bursts every 0.1 s is 600 bursts, not 601.
            return size * max(1, Int((durationSeconds / every - 1e-9).rounded(.up)))
        case .replay(let log):
            let scale = log.perSecond / perSecond
            let period = log.periodSeconds * scale
            let passes = (durationSeconds / period).rounded(.down)
            let rest = durationSeconds - passes * period
            let inRest = log.offsets.count { $0 * scale < rest }
            return max(1, Int(passes) * log.offsets.count + inRest)
        case .constant, .poisson, .ramp:
            return max(1, Int((perSecond * durationSeconds).rounded()))
        }
    }

    /// How long a ramp takes to go from its first rate to its last: the duration given, or
    /// the time `total` requests take at its mean rate.
    public func rampSeconds(total: Int) -> Double {
        durationSeconds ?? Double(total) / (arrivals.ownPerSecond ?? perSecond)
    }

    /// "50/s", "50", "3000/min", "2.5/s" as requests per second; nil when it is none of these.
    public static func parseRate(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        var number = Substring(trimmed), scale = 1.0
        for (suffix, factor) in [("/s", 1.0), ("/sec", 1.0), ("/min", 1.0 / 60), ("/m", 1.0 / 60)]
        where trimmed.hasSuffix(suffix) {
            number = trimmed.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(number), value.isFinite, value > 0 else { return nil }
        return value * scale
    }

    /// "30s", "2m", "12h", "7d", "90" (seconds) as seconds; nil otherwise.
    public static func parseDuration(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        var number = Substring(trimmed), scale = 1.0
        if trimmed.hasSuffix("ms") {
            number = trimmed.dropLast(2)
            scale = 0.001
        } else if let last = trimmed.last, let factor = ["s": 1.0, "m": 60, "h": 3600, "d": 86400][String(last)] {
            number = trimmed.dropLast()
            scale = factor
        }
        guard let value = Double(number), value.isFinite, value > 0 else { return nil }
        return value * scale
    }
}

/// What an open-loop load achieved: the rate requests really started at, how far behind
/// the schedule they started (the backlog: a request waits when `concurrency` are already
/// in flight), and the most in flight at once. The latency under that load is the run's own
/// (the reports' percentiles). Kept in the run's manifest.
public struct LoadReport: Sendable, Hashable, Codable {
    public var profile: LoadProfile
    /// Requests the schedule held, and those that started (fewer when the run was stopped).
    public var scheduled: Int
    public var started: Int
    /// Seconds from the first start to the last.
    public var spanSeconds: Double
    /// How late requests started against their scheduled time, in milliseconds.
    public var lagP50Ms: Double
    public var lagP99Ms: Double
    public var lagMaxMs: Double
    /// Requests that started more than one gap (1 / rate) late: the backlog.
    public var late: Int
    public var peakInFlight: Int
    /// For bursts, ramps and replays: the rate of the schedule itself, measured as the
    /// achieved one is (n - 1 starts over the span from the first due time to the last),
    /// which first-to-last counting makes differ from the shape's average (20 at once every
    /// 5 s: 240 due within 55 s, 4.35/s, not 4/s). Nil for constant arrivals (it is the rate)
    /// and Poisson ones (held to the rate asked for), and in manifests from before the shapes.
    public var scheduledPerSecond: Double?

    public init(
        profile: LoadProfile, scheduled: Int, started: Int, spanSeconds: Double, lagP50Ms: Double, lagP99Ms: Double,
        lagMaxMs: Double, late: Int,
        peakInFlight: Int
    ) {
        self.profile = profile
        self.scheduled = scheduled
        self.started = started
        self.spanSeconds = spanSeconds
        self.lagP50Ms = lagP50Ms
        self.lagP99Ms = lagP99Ms
        self.lagMaxMs = lagMaxMs
        self.late = late
        self.peakInFlight = peakInFlight
    }

    /// Starts per second over the span (n starts make n - 1 gaps).
    public var achievedPerSecond: Double? { spanSeconds > 0 && started > 1 ? Double(started - 1) / spanSeconds : nil }

    /// The achieved rate against the schedule's (`scheduledPerSecond`, else the target), as a
    /// signed fraction (-0.01 is 1% short).
    public var rateError: Double? { achievedPerSecond.map { $0 / (scheduledPerSecond ?? profile.perSecond) - 1 } }
}
