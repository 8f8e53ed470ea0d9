import AssayCore
import Foundation
import Histogram
import Synchronization

/// When each request of an open-loop load is due: request i at i / rate (constant), after
/// exponential gaps of mean 1 / rate (Poisson, from a seeded generator), in bursts, on a
/// ramp, or at a replayed log's times.
public struct LoadSchedule {
    let profile: LoadProfile
    /// How many requests the load sends (a ramp spreads over them when no duration is given).
    let total: Int
    private var generator: SeededGenerator
    private var index = 0
    private var offset = 0.0

    public init(_ profile: LoadProfile, total: Int? = nil) {
        self.profile = profile
        self.total = total ?? profile.total(itemsPerPass: 1)
        self.generator = SeededGenerator(seed: profile.seed)
    }

    /// Seconds from the load's start to the next request's due time.
    public mutating func next() -> Double {
        defer { index += 1 }
        switch profile.arrivals {
        case .constant:
            return Double(index) / profile.perSecond
        case .poisson:
            guard index > 0 else { return 0 }
            offset += -log(1 - generator.nextUnit()) / profile.perSecond
            return offset
        case .burst(let size, let every):
            return Double(index / size) * every
        case .ramp(let from, let to):
            return Self.rampTime(index, from: from, to: to, seconds: profile.rampSeconds(total: total))
        case .replay(let log):
            let scale = log.perSecond / profile.perSecond
            let (pass, within) = index.quotientAndRemainder(dividingBy: log.offsets.count)
            return (Double(pass) * log.periodSeconds + log.offsets[within]) * scale
        }
    }

    /// When the `index`th request of a ramp from `from` to `to` requests per second over
    /// `seconds` is due: the t at which the arrivals so far, the integral of the rate
    /// (from x t + slope x t^2 / 2), reach the index. Written as 2i / (from + sqrt(from^2 +
    /// 2 slope i)), which holds for a falling ramp and one from zero alike; past the ramp's
    /// end (rounding), requests go on at its last rate.
    static func rampTime(_ index: Int, from: Double, to: Double, seconds: Double) -> Double {
        let i = Double(index)
        guard i > 0 else { return 0 }
        let slope = (to - from) / seconds
        let whole = (from + to) / 2 * seconds
        guard i <= whole else { return seconds + (i - whole) / (to > 0 ? to : from) }
        return 2 * i / (from + max(0, from * from + 2 * slope * i).squareRoot())
    }
}

/// Counts what an open-loop load achieved as it goes: when requests started against when
/// they were due, and how many were in flight (really in flight: started, not yet recorded).
final class LoadMeter: Sendable {
    private struct State {
        var lags = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
        var started = 0
        var late = 0
        var first: ContinuousClock.Instant?
        var last: ContinuousClock.Instant?
        /// The due times of the first and last requests that started.
        var firstDue: ContinuousClock.Instant?
        var lastDue: ContinuousClock.Instant?
        var peak = 0
    }

    let profile: LoadProfile
    let scheduled: Int
    private let state = Mutex(State())
    private let inFlight = Atomic<Int>(0)

    init(profile: LoadProfile, scheduled: Int) {
        self.profile = profile
        self.scheduled = scheduled
    }

    var current: Int { inFlight.load(ordering: .relaxed) }

    /// A request due at `due` starts now.
    func start(due: ContinuousClock.Instant, now: ContinuousClock.Instant) {
        let running = inFlight.add(1, ordering: .relaxed).newValue
        let lag = max(0, (now - due).inSeconds)
        state.withLock { state in
            _ = state.lags.record(UInt64((lag * 1_000_000).rounded()))
            state.started += 1
            if lag > 1 / profile.perSecond { state.late += 1 }
            state.first = state.first ?? now
            state.last = now
            state.firstDue = state.firstDue ?? due
            state.lastDue = due
            state.peak = max(state.peak, running)
        }
    }

    /// A request ended (answered, failed, or cancelled).
    func end() {
        inFlight.subtract(1, ordering: .relaxed)
    }

    var report: LoadReport {
        state.withLock { state in
            let span = state.first.flatMap { first in state.last.map { ($0 - first).inSeconds } } ?? 0
            func ms(_ percentile: Double) -> Double { Double(state.lags.valueAtPercentile(percentile)) / 1000 }
            var report = LoadReport(
                profile: profile, scheduled: scheduled, started: state.started, spanSeconds: span, lagP50Ms: ms(50),
                lagP99Ms: ms(99),
                lagMaxMs: Double(state.lags.max) / 1000, late: state.late, peakInFlight: state.peak)
            // A shaped schedule's own first-to-last rate is what the achieved one (first to last
            // start) is held to: 20 at once every 5 s makes 240 starts in 55 s, not 60.
            if profile.arrivals.ownPerSecond != nil, let firstDue = state.firstDue, let lastDue = state.lastDue,
                lastDue > firstDue
            {
                report.scheduledPerSecond = Double(state.started - 1) / (lastDue - firstDue).inSeconds
            }
            return report
        }
    }
}
