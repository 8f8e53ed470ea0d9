import AssayAnalysis
import AssayCore
import Testing

/// Sweep levels, service levels and the knee (issue 35).
@Suite struct SweepTests {
    @Test func concurrencyRangesDoubleOrTakeLogSteps() throws {
        #expect(try Sweep.concurrencyLevels("1..128", steps: nil) == [1, 2, 4, 8, 16, 32, 64, 128])
        #expect(try Sweep.concurrencyLevels("3..40", steps: nil) == [3, 6, 12, 24, 40])
        #expect(try Sweep.concurrencyLevels("1..100", steps: 3) == [1, 10, 100])
        #expect(try Sweep.concurrencyLevels("16", steps: nil) == nil)
        #expect(throws: SweepError.self) { try Sweep.concurrencyLevels("8..2", steps: nil) }
        #expect(throws: SweepError.self) { try Sweep.concurrencyLevels("0..8", steps: nil) }
        #expect(throws: SweepError.self) { try Sweep.concurrencyLevels("a..8", steps: nil) }
        // Past a plan's bounds (and past what an Int holds): refused, not a trap.
        #expect(throws: SweepError.self) { try Sweep.concurrencyLevels("1..9223372036854775807", steps: nil) }
        #expect(throws: SweepError.self) { try Sweep.rateLevels("1/s..1e300/s", steps: 3) }
    }

    @Test func rateRangesAreEvenlySpaced() throws {
        #expect(try Sweep.rateLevels("10/s..200/s", steps: 8)?.count == 8)
        let levels = try #require(try Sweep.rateLevels("10/s..50/s", steps: 5))
        #expect(levels == [10, 20, 30, 40, 50])
        #expect(try Sweep.rateLevels("600/min..1200/min", steps: 2) == [10, 20])
        #expect(try Sweep.rateLevels("50/s", steps: nil) == nil)
        #expect(throws: SweepError.self) { try Sweep.rateLevels("10/s..200/s", steps: 1) }
    }

    @Test func levelsHaveWarmUpsAndEnoughRequestsToHoldThem() {
        let sweep = Sweep(dimension: .concurrency, levels: [1, 64])
        #expect(sweep.warmupRequests(at: 1) == 5 && sweep.warmupRequests(at: 64) == 64)
        #expect(sweep.requests(at: 64, itemsPerPass: 20) == 256 && sweep.requests(at: 1, itemsPerPass: 20) == 20)
        let rates = Sweep(dimension: .rate, levels: [10], warmup: 0, requests: 30)
        #expect(rates.warmupRequests(at: 10) == 0 && rates.requests(at: 10, itemsPerPass: 5) == 30)
        #expect(rates.title(10) == "10/s" && sweep.title(64) == "64")
    }

    @Test func slasParseAndBadOnesSayHow() throws {
        let sla = try SweepSLA.parse("p99<=800ms, availability>=99.9%, ttft_p99<=300ms,itl_p99<=50ms,errors<=1%")
        #expect(sla.maxP99Ms == 800 && sla.minAvailability == 0.999 && sla.maxTTFTP99Ms == 300)
        #expect(sla.maxITLP99Ms == 50 && sla.maxErrorRate == 0.01)
        #expect(try SweepSLA.parse("p99<=x3").relativeP99 == 3)
        #expect(
            sla.description == "p99 ≤ 800 ms, TTFT p99 ≤ 300 ms, ITL p99 ≤ 50 ms, availability ≥ 99.9%, errors ≤ 1%")
        let error = #expect(throws: SweepError.self) { try SweepSLA.parse("p99 < 800") }
        #expect(error?.description.contains("'p99 < 800' is not a limit") == true)
    }

    static func level(_ level: Double, p99: Double, availability: Double = 1) -> SweepSummary.Level {
        SweepSummary.Level(
            level: level, runID: "r\(Int(level))", requests: 100, availability: availability,
            latency: LatencyStats(count: 100, p50Ms: p99 / 2, p99Ms: p99))
    }

    /// The knee is the last level before the first miss, counting up: a later level that
    /// meets the SLA again does not move it.
    @Test func theKneeIsTheLastLevelBeforeTheFirstMiss() {
        let levels = [
            Self.level(1, p99: 100), Self.level(2, p99: 110), Self.level(4, p99: 150), Self.level(8, p99: 900),
            Self.level(16, p99: 120),
        ]
        let model = SweepSummary.judge("m", levels, sla: SweepSLA(maxP99Ms: 800))
        #expect(model.knee == 2)
        #expect(model.levels[3].misses == ["p99 900 ms > 800 ms"])
        #expect(!model.kneeNotReached)
        // The standard SLA: p99 within twice the first level's, and 99.9% available.
        let standard = SweepSummary.judge(
            "m",
            [
                Self.level(1, p99: 100), Self.level(2, p99: 190), Self.level(4, p99: 150, availability: 0.99),
                Self.level(8, p99: 201),
            ],
            sla: .standard)
        #expect(standard.knee == 1 && standard.levels[2].misses == ["availability 99.0% < 99.9%"])
        #expect(standard.levels[3].misses == ["p99 201 ms > 200 ms"])
        // At least 50 ms of room: 10 ms growing to 45 ms is jitter, not a knee.
        let fast = SweepSummary.judge("m", [Self.level(1, p99: 10), Self.level(2, p99: 45)], sla: .standard)
        #expect(fast.levels[1].meetsSLA)
        let beyond = SweepSummary.judge("m", [Self.level(1, p99: 100), Self.level(2, p99: 100)], sla: .standard)
        #expect(beyond.knee == 1 && beyond.kneeNotReached)
        let none = SweepSummary.judge("m", [Self.level(1, p99: 900)], sla: SweepSLA(maxP99Ms: 800))
        #expect(none.knee == nil)
    }
}
