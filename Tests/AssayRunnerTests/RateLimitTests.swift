import AssayAnalysis
import AssayConfig
import AssayCore
import AssayProviders
import AssayReports
@testable import AssayRunner
import AssayRuns
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Synchronization
import Testing

@Suite struct RateLimitHeadersTests {
    @Test func vendorsResetDurationsRead() {
        #expect(RateLimitHeaders.seconds("1s") == 1)
        #expect(RateLimitHeaders.seconds("20ms") == 0.02)
        #expect(RateLimitHeaders.seconds("6m0s") == 360)
        #expect(RateLimitHeaders.seconds("1h2m3.5s") == 3723.5)
        #expect(RateLimitHeaders.seconds("0.5") == 0.5)
        for bad in ["", "-1", "1x", "s", "1m2", "nan", "1e400", String(repeating: "9", count: 50)] {
            #expect(RateLimitHeaders.seconds(bad) == nil, "\(bad)")
        }
    }

    @Test func headersAreReadCaseInsensitivelyAndBadValuesLeftOut() {
        let sent = [
            "X-RateLimit-Limit-Requests": "6000", "x-ratelimit-remaining-requests": "5999",
            "x-ratelimit-reset-requests": "10ms",
            "x-ratelimit-limit-tokens": "-5", "x-ratelimit-remaining-tokens": "lots", "retry-after-ms": "250",
        ]
        let headers = RateLimitHeaders { name in sent.first { $0.key.lowercased() == name }?.value }
        #expect(
            headers
                == RateLimitHeaders(
                    limitRequests: 6000, remainingRequests: 5999, resetRequests: 0.01, retryAfterMs: 250))
        #expect(RateLimitHeaders { _ in nil } == nil, "no headers, nothing to learn")
    }
}

@Suite struct AdaptiveRateTests {
    @Test func theFirstRefusalSetsTheRateJustUnderWhatWasAccepted() {
        // A second into the run, 100 went out in the second before the refusal: 95 a second.
        let steady = AdaptiveRate(acceptedLastSecond: 100, inUse: .seconds(5), now: at(10))
        #expect(abs(steady.perSecond - 95) < 1e-9)
        // A quarter second in, 125 accepted: a second's burst and a quarter second's rate.
        let early = AdaptiveRate(acceptedLastSecond: 125, inUse: .milliseconds(250), now: at(10))
        #expect(abs(early.perSecond - 95) < 1e-9)
        #expect(
            AdaptiveRate(acceptedLastSecond: 0, inUse: .zero, now: at(0)).perSecond == AdaptiveRate.floor, "never zero")
    }

    @Test func refusalsCutOncePerEpisodeAndAcceptsGrowTheRateBack() {
        var rate = AdaptiveRate(acceptedLastSecond: 100, inUse: .seconds(5), now: at(10))
        let early = rate.refused(sentAt: at(9.9), now: at(10.1))
        #expect(!early, "sent before the cut: already answered for")
        #expect(abs(rate.perSecond - 95) < 1e-9)
        let cut = rate.refused(sentAt: at(10.2), now: at(10.3))
        #expect(cut)
        #expect(abs(rate.perSecond - 85.5) < 1e-9, "cut to 0.9 of itself")
        // A second's worth of accepted requests adds 1% of the rate at the cut.
        for index in 0..<86 { rate.accepted(now: at(11 + Double(index) / 86)) }
        #expect(abs(rate.perSecond - (85.5 + 0.855)) < 0.01, "\(rate.perSecond)")
    }

    /// Slow start: until the second refusal, a second's worth of accepts grows the rate by a
    /// fifth, so a first estimate far too low (2 a second) recovers in seconds, not minutes.
    @Test func untilTheSecondRefusalTheRateGrowsMultiplicatively() {
        var rate = AdaptiveRate(acceptedLastSecond: 2, inUse: .zero, now: at(0))
        #expect(rate.probing && abs(rate.perSecond - 1.9) < 1e-9)
        var now = 0.0
        while now < 12 {
            if rate.take(now: at(now)) == .zero { rate.accepted(now: at(now)) }
            now += 0.001
        }
        #expect(rate.perSecond > 15, "about 1.2^12 times the start: \(rate.perSecond)")
        let cut = rate.refused(sentAt: at(now), now: at(now))
        #expect(cut && !rate.probing)
    }

    /// A burst of 429s (a blip: refusals a fifth of a second apart cutting 50 a second to
    /// under 3) costs seconds once answers succeed again: 2 s of quiet, then the rate doubles
    /// per second back to what the burst's first cut set, under 7 s in all.
    @Test func aBurstOf429sIsForgottenInSecondsOnceAnswersSucceed() {
        var rate = AdaptiveRate(acceptedLastSecond: 50, inUse: .seconds(5), now: at(0))
        rate.accepted(now: at(0.01))
        var now = 0.0
        while rate.perSecond > 2.5 {
            now += 0.2
            let cut = rate.refused(sentAt: at(now), now: at(now))
            #expect(cut)
        }
        #expect(rate.recoverTo > 42 && rate.recoverTo < 48, "the burst's first cut: \(rate.recoverTo)")
        let blipEnded = now
        var recovered: Double?
        while now < blipEnded + 30 {
            if rate.take(now: at(now)) == .zero { rate.accepted(now: at(now)) }
            if recovered == nil && rate.perSecond >= rate.recoverTo - 1e-9 { recovered = now - blipEnded }
            now += 0.001
        }
        let seconds = recovered ?? .infinity
        #expect(seconds > AdaptiveRate.quiet.inSeconds && seconds < 7, "recovered in \(seconds) s")
        // Not past it: past the episode's rate, growth is the gentle probe again.
        #expect(rate.perSecond < rate.recoverTo * 1.1, "\(rate.perSecond)")
    }

    @Test func theLearnedRateIsPacedWithoutABurst() {
        var rate = AdaptiveRate(acceptedLastSecond: 100, inUse: .seconds(5), now: at(0))
        let first = rate.take(now: at(0))
        #expect(first > .zero, "nothing saved up at the cut")
        var sent = 0
        var now = 0.0
        while now < 2 {
            if rate.take(now: at(now)) == .zero { sent += 1 }
            now += 0.001
        }
        #expect(sent >= 185 && sent <= 195, "95 a second for 2 s: \(sent)")
    }
}

@Suite struct EndpointLimiterTests {
    @Test func headersSetTheRateAndWhatRemainsLessWhatWentOutSince() async throws {
        let limiter = EndpointLimiter(limits: EndpointLimits(), name: "vendor")
        let first = try await limiter.admit(estimatedTokens: 10)
        for _ in 0..<5 { _ = try await limiter.admit(estimatedTokens: 10) }
        // The first request's answer: 6,000 a minute (100 a second), 3 left when it arrived;
        // 5 went out after it, so none is left now.
        limiter.record(
            status: 200, message: "", admission: first,
            headers: RateLimitHeaders(limitRequests: 6000, remainingRequests: 3))
        let traffic = limiter.traffic
        #expect(traffic.limitPerSecond == 100 && traffic.limitSource == .headers)
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await limiter.admit(estimatedTokens: 10)
        #expect(clock.now - start >= .milliseconds(9), "waited for the refill")
    }

    @Test func aRefusalWithNoLimitKnownThrottlesAndIsCounted() async throws {
        let throttles = Mutex<[Double]>([])
        let limiter = EndpointLimiter(
            limits: EndpointLimits(), name: "vendor",
            onThrottle: { rate, source in
                #expect(source == .adaptive)
                throttles.withLock { $0.append(rate) }
            })
        var admissions: [EndpointLimiter.Admission] = []
        for _ in 0..<40 { admissions.append(try await limiter.admit(estimatedTokens: 1)) }
        for admission in admissions.prefix(30) { limiter.record(status: 200, message: "", admission: admission) }
        for admission in admissions.suffix(10) {
            limiter.record(status: 429, message: "slow down", admission: admission)
        }
        let traffic = limiter.traffic
        #expect(traffic.attempts == 40 && traffic.rateLimited == 10)
        #expect(traffic.limitSource == .adaptive)
        #expect(throttles.withLock { $0.count } == 1, "ten refusals of requests already in flight: one cut")
        #expect(traffic.warning != nil, "25% answered 429 is worth a warning")
    }
}

/// What the server counted.
struct ServerCounts {
    var requests: Int
    var rateLimited: Int
}

/// Whole runs against the test server enforcing a rate, as a vendor does.
@Suite struct RateLimitedRunTests {
    static let cases = 120

    func run(limit: TestScript.RateLimit, limits: EndpointLimits? = nil) async throws -> (
        RunManifest, [ItemResult], ServerCounts
    ) {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: Self.cases)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        return try await TestServer.withTestServer(
            script: TestScript(defaultReply: .init(text: "positive"), rateLimit: limit)
        ) { server in
            try dir.write("catalog.yaml", Fixtures.catalog(baseURL: server.baseURL, models: ["good"]))
            var settings = RunSettings(cache: .off)
            settings.retry = RetryPolicy(maxAttempts: 20, baseDelay: 0.05, maxDelay: 1, itemDeadline: 120)
            if let limits { settings.endpointLimits = ["test": limits] }
            let plan = Plan(
                suites: [dir.path("suite")], models: ["good"], concurrency: 16, settings: settings,
                catalog: dir.path("catalog.yaml"),
                store: dir.path("assay.sqlite"), reports: dir.path("reports"))
            let session = try await RunSession.prepare(plan, environment: [:])
            let manifest = try await session.run()
            let results = try await session.store.results(run: manifest.id)
            let summary = try await RunSummary.load(run: manifest.id, from: session.store)
            let json = SummaryJSON.render(summary)
            #expect(json.contains("\"endpoints\""), "summary.json reports the endpoint")
            return (
                manifest, results, ServerCounts(requests: server.requestCount, rateLimited: server.rateLimitedCount)
            )
        }
    }

    @Test func aConfiguredLimitIsKeptWithoutA429Storm() async throws {
        let (manifest, results, server) = try await run(
            limit: .init(requestsPerSecond: 20, headers: false), limits: EndpointLimits(requestsPerMinute: 1200))
        #expect(results.count == Self.cases && results.allSatisfy { $0.status != .error })
        // The bench holds the strict figure (1%); on a machine busy with other tests, a few
        // (the storm this replaced was 24%).
        #expect(server.rateLimited <= Self.cases / 10, "\(server.rateLimited) answered 429")
        let traffic = try #require(manifest.traffic?.first)
        #expect(
            traffic.attempts == server.requests && traffic.rateLimited == server.rateLimited,
            "the client's account is the server's")
    }

    /// The server holds a burst of 2, and 16 requests go out at once: however slow the
    /// machine, the first of them are refused.
    @Test func withNoLimitConfiguredTheRunLearnsOneFrom429s() async throws {
        let (manifest, results, server) = try await run(
            limit: .init(requestsPerSecond: 20, burstSeconds: 0.1, headers: false))
        #expect(
            results.count == Self.cases && results.allSatisfy { $0.status != .error }, "every item answered in the end")
        #expect(server.rateLimited > 0, "the server's burst was spent and it refused")
        let traffic = try #require(manifest.traffic?.first)
        #expect(traffic.limitSource == .adaptive && traffic.limitPerSecond != nil)
        #expect(traffic.attempts == server.requests && traffic.rateLimited == server.rateLimited)
        #expect(traffic.waitedSeconds > 0.5, "held by the Retry-After pause and the learned rate")
    }

    /// 16 in flight: fewer than the server's burst (20), as a vendor's burst is larger than
    /// the requests in flight before the first answer brings its headers.
    @Test func withHeadersTheRunPacesItselfToTheLimit() async throws {
        let (manifest, results, server) = try await run(limit: .init(requestsPerSecond: 20, headers: true))
        #expect(results.count == Self.cases && results.allSatisfy { $0.status != .error })
        let traffic = try #require(manifest.traffic?.first)
        #expect(traffic.limitSource == .headers && traffic.limitPerSecond == 20)
        #expect(server.rateLimited <= Self.cases / 20, "\(server.rateLimited) answered 429")
    }
}
