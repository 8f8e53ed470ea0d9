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
}
