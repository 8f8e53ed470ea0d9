import AssayCore
@testable import AssayRunner
import Foundation
import Testing

/// The open loop's arithmetic: rates and durations as users write them, and the schedule of
/// arrivals.
@Suite struct LoadScheduleTests {
    @Test func ratesAndDurationsParse() {
        #expect(LoadProfile.parseRate("50/s") == 50)
        #expect(LoadProfile.parseRate("3000/min") == 50)
        #expect(LoadProfile.parseRate("2.5") == 2.5)
        #expect(
            LoadProfile.parseRate("0/s") == nil && LoadProfile.parseRate("-1") == nil
                && LoadProfile.parseRate("nan") == nil)
        #expect(
            LoadProfile.parseDuration("2m") == 120 && LoadProfile.parseDuration("30s") == 30
                && LoadProfile.parseDuration("500ms") == 0.5)
        #expect(LoadProfile(perSecond: 50, durationSeconds: 30).total(itemsPerPass: 7) == 1500)
        #expect(LoadProfile(perSecond: 50).total(itemsPerPass: 7) == 7, "neither: one pass over the plan")
    }

    @Test func arrivalsAreEvenOrPoissonWithTheRightMean() {
        var constant = LoadSchedule(LoadProfile(perSecond: 40))
        #expect((0..<5).map { _ in constant.next() } == [0, 0.025, 0.05, 0.075, 0.1])
        var poisson = LoadSchedule(LoadProfile(perSecond: 100, arrivals: .poisson, seed: 7))
        var offsets = (0..<20_001).map { _ in poisson.next() }
        #expect(offsets[0] == 0)
        let gaps = zip(offsets.dropFirst(), offsets).map { $0 - $1 }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        #expect(abs(mean / 0.01 - 1) < 0.03, "mean gap \(mean) s against 1/100")
        // Exponential gaps: about 1/e of them longer than the mean, and the variance equal to the mean squared.
        let longer = Double(gaps.filter { $0 > 0.01 }.count) / Double(gaps.count)
        #expect(abs(longer - exp(-1)) < 0.02, "share longer than the mean: \(longer)")
        var again = LoadSchedule(LoadProfile(perSecond: 100, arrivals: .poisson, seed: 7))
        offsets.removeLast(20_000)
        #expect(again.next() == offsets[0], "seeded: the same schedule again")
    }

    /// N at once every T: each burst's requests share its due time.
    @Test func burstsAreDueTogetherEveryPeriod() {
        let profile = LoadProfile(perSecond: 0.6, arrivals: .burst(size: 3, everySeconds: 5))
        var schedule = LoadSchedule(profile, total: 9)
        #expect((0..<9).map { _ in schedule.next() } == [0, 0, 0, 5, 5, 5, 10, 10, 10])
        var halfSecond = LoadSchedule(LoadProfile(perSecond: 20, arrivals: .burst(size: 10, everySeconds: 0.5)))
        #expect((0..<21).map { _ in halfSecond.next() }.suffix(2) == [0.5, 1])
        // Over a duration: every burst that starts within it, whole.
        let bursts = LoadProfile.Arrivals.burst(size: 20, everySeconds: 5)
        #expect(LoadProfile(perSecond: 4, arrivals: bursts, durationSeconds: 60).total(itemsPerPass: 7) == 240)
        #expect(LoadProfile(perSecond: 4, arrivals: bursts, durationSeconds: 12).total(itemsPerPass: 7) == 60)
        #expect(
            LoadProfile(perSecond: 100, arrivals: .burst(size: 10, everySeconds: 0.1), durationSeconds: 0.3)
                .total(itemsPerPass: 7) == 30)
        #expect(LoadProfile(perSecond: 4, arrivals: bursts).total(itemsPerPass: 7) == 7, "neither: one pass")
    }

    /// A ramp's requests are due where the integral of its rate reaches them: from 10/s to
    /// 30/s over 2 s, 10t + 5t^2 = i, so t = -1 + sqrt(1 + i / 5); over --requests, the ramp
    /// lasts as long as they take at its mean rate.
    @Test func aRampIsDueWhereItsRateIntegratesToEachRequest() {
        let rising = LoadProfile.Arrivals.ramp(fromPerSecond: 10, toPerSecond: 30)
        let overTwoSeconds = LoadProfile(perSecond: 20, arrivals: rising, durationSeconds: 2)
        #expect(overTwoSeconds.total(itemsPerPass: 1) == 40)
        for profile in [overTwoSeconds, LoadProfile(perSecond: 20, arrivals: rising, requests: 40)] {
            var schedule = LoadSchedule(profile, total: 40)
            let due = (0..<40).map { _ in schedule.next() }
            for (i, time) in due.enumerated() {
                #expect(abs(time - (-1 + (1 + Double(i) / 5).squareRoot())) < 1e-9, "request \(i) at \(time)")
            }
            #expect(due[15] == 1, "10 x 1 + 5 x 1^2 = 15")
        }
        // Falling, 30/s to 10/s over 2 s: 30t - 5t^2 = i. From nothing, 0 to 20/s: 5t^2 = i.
        var falling = LoadSchedule(
            LoadProfile(perSecond: 20, arrivals: .ramp(fromPerSecond: 30, toPerSecond: 10), durationSeconds: 2))
        for i in 0..<40 {
            let time = falling.next()
            #expect(abs(time - (3 - (9 - Double(i) / 5).squareRoot())) < 1e-9, "falling: request \(i) at \(time)")
        }
        var fromZero = LoadSchedule(
            LoadProfile(perSecond: 10, arrivals: .ramp(fromPerSecond: 0, toPerSecond: 20), durationSeconds: 2))
        for i in 0..<20 {
            let time = fromZero.next()
            #expect(abs(time - (Double(i) / 5).squareRoot()) < 1e-9, "from zero: request \(i) at \(time)")
        }
        // Past the ramp's end (more requests than it holds), on at its last rate.
        #expect(abs(LoadSchedule.rampTime(45, from: 10, to: 30, seconds: 2) - (2 + 5.0 / 30)) < 1e-9)
    }

    /// A replay keeps the log's gaps; at a given rate they are scaled; past its end, the log
    /// starts again one mean gap after its last arrival.
    @Test func aReplayReproducesTheLogsGaps() throws {
        let log = try #require(ArrivalLog(source: "log", times: [10.5, 10, 10.25, 11]))
        #expect(log.perSecond == 3 && log.offsets == [0, 0.25, 0.5, 1], "sorted, from the first")
        var own = LoadSchedule(LoadProfile(perSecond: log.perSecond, arrivals: .replay(log)))
        let due = (0..<6).map { _ in own.next() }
        let expected = [0, 0.25, 0.5, 1, 4.0 / 3, 4.0 / 3 + 0.25]
        #expect(zip(due, expected).allSatisfy { abs($0 - $1) < 1e-9 }, "\(due)")
        var twice = LoadSchedule(LoadProfile(perSecond: 6, arrivals: .replay(log)))
        let fast = (0..<4).map { _ in twice.next() }
        #expect(
            zip(fast, [0, 0.125, 0.25, 0.5]).allSatisfy { abs($0 - $1) < 1e-9 }, "at twice the log's rate: \(fast)")
        #expect(LoadProfile(perSecond: 3, arrivals: .replay(log)).total(itemsPerPass: 50) == 4, "the log once")
        #expect(
            LoadProfile(perSecond: 3, arrivals: .replay(log), durationSeconds: 1.4).total(itemsPerPass: 50) == 5,
            "the log, then its first again at 1.33 s")
        #expect(LoadProfile(perSecond: 6, arrivals: .replay(log), durationSeconds: 0.3).total(itemsPerPass: 50) == 3)
    }
}
