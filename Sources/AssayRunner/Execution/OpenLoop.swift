import AssayCore
import Foundation
import Histogram
import Synchronization

/// When each request of an open-loop load is due: request i at i / rate (constant), or
/// after exponential gaps of mean 1 / rate (Poisson, from a seeded generator).
public struct LoadSchedule {
    let profile: LoadProfile
    private var generator: SeededGenerator
    private var index = 0
    private var offset = 0.0

    public init(_ profile: LoadProfile) {
        self.profile = profile
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
        }
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
            return LoadReport(
                profile: profile, scheduled: scheduled, started: state.started, spanSeconds: span, lagP50Ms: ms(50),
                lagP99Ms: ms(99),
                lagMaxMs: Double(state.lags.max) / 1000, late: state.late, peakInFlight: state.peak)
        }
    }
}
