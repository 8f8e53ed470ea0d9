import AssayAnalysis
import AssayConfig
import AssayCore
import AssayProviders
import AssayRunner
import AssayRuns
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// The runner against a misbehaving server: faults, failing regions, failing models, caps
/// and limits. Nothing is lost, nothing is counted twice, and what succeeds scores as in a
/// clean run.
@Suite struct ResilienceTests {
    static let cases = 30

    /// Runs `body` with a server where model "good" answers every case right, stopped when
    /// `body` ends.
    func withServer<Result>(
        faults: TestScript.FaultMix? = nil, ttftMs: Double = 2, _ body: (TestServer) async throws -> Result
    ) async throws -> Result {
        var script = TestScript(defaultReply: .init(text: "positive", ttftMs: ttftMs), faults: faults)
        for index in 1...Self.cases {
            script.rules.append(
                .init(
                    promptEquals: Fixtures.sentimentPrompt(index),
                    reply: .init(text: Fixtures.sentimentLabel(index), ttftMs: ttftMs)))
        }
        return try await TestServer.withTestServer(script: script, body)
    }

    func plan(
        _ dir: TempDirectory, catalog: String, models: [String] = ["good", "other"],
        settings: RunSettings = RunSettings(), concurrency: Int = 8
    ) throws -> Plan {
        let fixture = Fixtures.sentimentSuite(count: Self.cases)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        try dir.write("catalog.yaml", catalog)
        return Plan(
            suites: [dir.path("suite")], models: models, concurrency: concurrency, settings: settings,
            catalog: dir.path("catalog.yaml"),
            store: dir.path("assay.sqlite"), reports: dir.path("reports"))
    }

    func run(_ plan: Plan) async throws -> (RunManifest, [ItemResult], RunSummary) {
        let session = try await RunSession.prepare(plan, environment: [:])
        let manifest = try await session.run()
        return (
            manifest, try await session.store.results(run: manifest.id),
            try await RunSummary.load(run: manifest.id, from: session.store)
        )
    }

    static var quickRetries: RunSettings {
        var settings = RunSettings(cache: .off)
        settings.retry = RetryPolicy(maxAttempts: 8, baseDelay: 0.02, maxDelay: 0.2, itemDeadline: 60)
        // Short enough that the hang fault costs little, long enough that a loaded machine
        // (the sandbox tests grading code beside these) never trips them on a real answer.
        settings.timeouts = RequestTimeouts(connect: 5, firstToken: 5, idle: 5, total: 20)
        return settings
    }

    /// For tests that count requests: timeouts a busy machine cannot trip (a request timed
    /// out and retried would be counted twice by the server).
    static var patientRetries: RunSettings {
        var settings = quickRetries
        settings.timeouts = RequestTimeouts(connect: 10, firstToken: 30, idle: 30, total: 60)
        return settings
    }

    @Test func underInjectedFaultsNothingIsLostDuplicatedOrMisgraded() async throws {
        let cleanDir = try TempDirectory()
        let faultyDir = try TempDirectory()
        defer {
            cleanDir.remove()
            faultyDir.remove()
        }
        let faults = TestScript.FaultMix(
            seed: 42, rateLimited: 0.08, retryAfterSeconds: 0.3, internalError: 0.05, badGateway: 0.05,
            unavailable: 0.05, reset: 0.05,
            hang: 0.03, cutStream: 0.05, malformedJSON: 0.05, slowTrickle: 0.05)
        let cleanResults = try await withServer { clean in
            try await run(
                plan(
                    cleanDir, catalog: Fixtures.catalog(baseURL: clean.baseURL, models: ["good", "other"]),
                    settings: Self.quickRetries)
            ).1
        }
        try await withServer(faults: faults) { faulty in
            let (_, results, summary) = try await run(
                plan(
                    faultyDir, catalog: Fixtures.catalog(baseURL: faulty.baseURL, models: ["good", "other"]),
                    settings: Self.quickRetries))

            #expect(results.count == 2 * Self.cases, "every item ends with a result")
            #expect(Set(results.map(\.key)).count == results.count, "none twice")
            for result in results {
                switch result.status {
                case .graded: #expect(result.grade != nil)
                case .error: #expect(result.errorKind != nil, "\(result.caseID): a classified error")
                default: Issue.record("\(result.caseID): \(result.status)")
                }
                if result.attempts > 1 {
                    #expect(result.lastErrorKind != nil, "\(result.caseID): the retried error is recorded")
                }
            }
            let faultsServed = faulty.received.compactMap(\.fault)
            #expect(Set(faultsServed).count >= 6, "the mix of faults was served: \(Set(faultsServed))")
            #expect(results.contains { $0.attempts > 1 && $0.status == .graded }, "retries recovered items")
            // Whatever succeeded scores as in the clean run.
            let cleanGrades = Dictionary(uniqueKeysWithValues: cleanResults.map { ($0.key, $0.grade?.outcome) })
            for result in results where result.status == .graded {
                #expect(result.grade?.outcome == cleanGrades[result.key] ?? nil, "\(result.key)")
            }
            #expect(summary.models.reduce(0) { $0 + $1.overall.retried } > 0)

            // Every request the server saw is an attempt, with how it ended: what an SLA counts.
            let chats = faulty.received.filter { $0.path.hasSuffix("chat/completions") }
            let tallies = summary.attempts.models.map(\.tally)
            let attempts = tallies.reduce(0) { $0 + $1.attempts }
            #expect(attempts == chats.count, "one stored attempt per request the server received")
            #expect(
                tallies.reduce(0) { $0 + $1.succeeded } == results.filter { $0.status == .graded }.count,
                "one success per answered item")
            #expect(
                results.reduce(0) { $0 + $1.attempts } == attempts,
                "the results' attempt counts add up to the attempts stored")
            let served429 = chats.filter { $0.fault == .rateLimited }.count
            let rateLimited = tallies.reduce(0) { $0 + $1.rateLimited }
            #expect(
                rateLimited > 0 && rateLimited <= served429,
                "429s counted before retries: \(rateLimited) of \(served429) served")
            #expect(
                tallies.reduce(0) { $0 + $1.server } > 0 && tallies.reduce(0) { $0 + $1.timeouts } > 0
                    && tallies.reduce(0) { $0 + $1.connection } > 0)
            let good = try #require(summary.attempts.model("good"))
            let availability = try #require(good.availability)
            #expect(availability < 0.8 && availability > 0.2, "about half the attempts were faulted: \(availability)")
            #expect(summary.attempts.baseURLs.count == 1 && summary.attempts.baseURLs.first?.baseURL == faulty.baseURL)

            // A gate on availability reads the same attempts.
            let store = try Store(path: faultyDir.path("assay.sqlite"))
            let side = try await Side.load(run: results[0].runID, model: "good", from: store)
            #expect(side.attempts == good)
            let comparison = Comparison.compute(base: side, candidate: side, resamples: 100)
            func verdict(_ minimum: Double) -> Gate.Verdict? {
                try? Gate.evaluate(GatePolicy(regressionTolerance: nil, minAvailability: minimum), comparison).first {
                    $0.rule == "availability"
                }
            }
            #expect(verdict(availability)?.passed == true)
            let failed = try #require(verdict(0.999))
            #expect(
                !failed.passed && failed.detail.contains("\(good.succeeded) of \(good.attempts) attempts succeeded"),
                "\(failed.detail)")
        }
    }

    /// After a 429 or 503 with Retry-After, the same request comes back no sooner. Only those
    /// two faults, and timeouts no busy machine trips: in the mix above, a request the client
    /// had already given up on can be answered 429 late, and its retry is no retry of that 429.
    @Test func retriesWaitForRetryAfter() async throws {
        let faults = TestScript.FaultMix(seed: 7, rateLimited: 0.2, retryAfterSeconds: 0.3, unavailable: 0.1)
        let dir = try TempDirectory()
        defer { dir.remove() }
        try await withServer(faults: faults) { server in
            var settings = Self.patientRetries
            settings.retry = RetryPolicy(maxAttempts: 12, baseDelay: 0.02, maxDelay: 0.2, itemDeadline: 120)
            let (_, results, _) = try await run(
                plan(
                    dir, catalog: Fixtures.catalog(baseURL: server.baseURL, models: ["good"]), models: ["good"],
                    settings: settings))
            try #require(results.count == Self.cases)
            #expect(
                results.allSatisfy { $0.status == .graded },
                "\(results.filter { $0.status != .graded }.map { "\($0.caseID): \($0.errorMessage ?? "")" })")
            var byBody: [String: [TestServer.ReceivedRequest]] = [:]
            for request in server.received where request.path.hasSuffix("chat/completions") {
                byBody[request.body, default: []].append(request)
            }
            var checked = 0
            for attempts in byBody.values {
                for (first, second) in zip(attempts, attempts.dropFirst())
                where first.fault == .rateLimited || first.fault == .unavailable {
                    let gap = second.receivedAt - first.receivedAt
                    #expect(gap >= .milliseconds(290), "retried \(gap.inSeconds) s after a Retry-After of 0.3 s")
                    checked += 1
                }
            }
            #expect(checked >= 5, "some retries followed a Retry-After: \(checked)")
        }
    }

    @Test func aFailingRegionIsLeftForTheNextOne() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try await TestServer.withTestServer(script: TestScript(defaultReply: .init(text: "down", status: 502))) {
            broken in
            try await withServer { healthy in
                let catalog = """
                    prices: {currency: USD, date: "2026-11-23", source: test}
                    endpoints:
                      - {name: test, base_urls: ["\(broken.baseURL)", "\(healthy.baseURL)"]}
                    models:
                      - {id: good, family: Test, endpoint: test, price: {input: null, output: 1}}
                    """
                let started = ContinuousClock.now
                let (_, results, _) = try await run(
                    plan(dir, catalog: catalog, models: ["good"], settings: Self.quickRetries, concurrency: 1))
                let elapsed = ContinuousClock.now - started
                try #require(results.count == Self.cases)
                #expect(results.allSatisfy { $0.status == .graded && $0.grade?.outcome == .pass })
                #expect(results.allSatisfy { $0.servedBy == healthy.baseURL })
                // 3 failures open the breaker for 30 s; after that one request probes it again (a
                // loaded machine can take that long over the run).
                let probes = Int(elapsed / .seconds(30))
                #expect(
                    broken.requestCount >= 3 && broken.requestCount <= 3 + probes,
                    "the breaker opened after 3 failures: \(broken.requestCount) in \(elapsed)")
                // Per region, before retries: the broken one answered nothing, the healthy one everything.
                let summary = try await RunSummary.load(
                    run: results[0].runID, from: try Store(path: dir.path("assay.sqlite")))
                let regions = Dictionary(
                    uniqueKeysWithValues: summary.attempts.baseURLs.compactMap { group in
                        group.baseURL.map { ($0, group.tally) }
                    })
                // (Exact counts only where a loaded machine cannot change them: a request that
                // times out on a busy machine is one more failed attempt, of kind timeout.)
                let down = try #require(regions[broken.baseURL]), up = try #require(regions[healthy.baseURL])
                #expect(down.attempts == broken.requestCount && down.server >= 3 && down.availability == 0, "\(down)")
                #expect(
                    up.succeeded == Self.cases && up.latency.count == Self.cases,
                    "latency per region, of the attempts that succeeded")
                let model = try #require(summary.attempts.model("good"))
                #expect(model.attempts == down.attempts + up.attempts && model.succeeded == Self.cases)
                #expect(
                    model.attempts == results.reduce(0) { $0 + $1.attempts },
                    "the results' attempt counts add up to the attempts stored")
            }
        }
    }

    @Test func aFallbackAnswerIsTheFallbacksNeverThePrimarys() async throws {
        var script = TestScript(defaultReply: .init(text: "negative"))
        script.rules.append(.init(model: "primary", reply: .init(text: "overloaded", status: 500)))
        for index in 1...Self.cases {
            script.rules.append(
                .init(
                    model: "backup", promptEquals: Fixtures.sentimentPrompt(index),
                    reply: .init(text: Fixtures.sentimentLabel(index))))
        }
        let dir = try TempDirectory()
        defer { dir.remove() }
        try await TestServer.withTestServer(script: script) { server in
            var settings = Self.quickRetries
            settings.retry.maxAttempts = 2
            settings.fallbacks = ["primary": FallbackRule(model: "backup", onError: true, errorRate: 0.5, window: 10)]
            let (_, results, summary) = try await run(
                plan(
                    dir, catalog: Fixtures.catalog(baseURL: server.baseURL, models: ["primary", "backup"]),
                    models: ["primary"], settings: settings, concurrency: 1))
            let primary = results.filter { $0.model == "primary" }
            let backup = results.filter { $0.model == "backup" }
            try #require(primary.count == Self.cases)
            #expect(primary.allSatisfy { $0.status == .fellBack })
            try #require(backup.count == Self.cases)
            #expect(backup.allSatisfy { $0.fallbackFor == "primary" && $0.grade?.outcome == .pass })
            // Once the window filled with errors, items went straight to the fallback, unasked.
            #expect(primary.contains { $0.attempts == 0 && $0.errorMessage?.contains("error rate") == true })
            #expect(server.received.filter { $0.body.contains("\"model\":\"primary\"") }.count < 2 * Self.cases)

            let primaryRow = try #require(summary.model("primary"))
            #expect(primaryRow.overall.n == 0, "no fallback answer counts in the primary's score")
            #expect(primaryRow.overall.fellBack == Self.cases)
            let fallbackRow = try #require(summary.model("backup (fallback for primary)"))
            #expect(fallbackRow.overall.score == 1)
            #expect(summary.model("backup") == nil, "the fallback's own row stays empty: it was not a model of the run")
        }
    }

    @Test func theSpendingCapStopsNewRequestsAndResumeFinishes() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try await withServer { server in
            // Each answer: ~9 prompt words at $1000/M input + 1 completion token at $1000/M output,
            // estimated as ~19 prompt tokens + 8 max tokens: a few cents each.
            var settings = Self.patientRetries
            settings.maxCost = 0.3
            let catalog = Fixtures.catalog(baseURL: server.baseURL, models: ["good"], input: "1000", output: "1000")
            var runPlan = try plan(dir, catalog: catalog, models: ["good"], settings: settings, concurrency: 2)
            let (manifest, results, summary) = try await run(runPlan)
            #expect(manifest.status == .budgetStopped)
            #expect(results.count < Self.cases)
            #expect(results.count > 0)
            #expect(summary.models[0].spend.cost <= 0.3, "never past the cap: \(summary.models[0].spend.cost)")
            let asked = server.requestCount

            // Resume with a higher cap: the rest, and nothing twice.
            runPlan.settings.maxCost = 100
            let session = try await RunSession.prepare(runPlan, environment: [:])
            let store = session.store
            let resumed = try await session.run(.resume(manifest))
            #expect(resumed.status == .completed)
            let all = try await store.results(run: manifest.id)
            #expect(all.count == Self.cases)
            #expect(
                server.requestCount == Self.cases, "\(asked) asked before, \(server.requestCount) in all: none twice")
        }
    }

    @Test func endpointConcurrencyAndRequestRateAreHonoured() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try await withServer(ttftMs: 60) { server in
            var settings = Self.patientRetries
            settings.endpointLimits = ["test": EndpointLimits(concurrency: 2)]
            let (_, results, _) = try await run(
                plan(
                    dir, catalog: Fixtures.catalog(baseURL: server.baseURL, models: ["good"]), models: ["good"],
                    settings: settings, concurrency: 16))
            #expect(results.count == Self.cases)
            #expect(server.maxConcurrentRequests <= 2, "at most 2 at once: \(server.maxConcurrentRequests)")
        }

        // 1,200 requests a minute, kept as 20 a second with a second's burst (not a minute's:
        // 1,200 at once would be all 60 requests in the first instant).
        let ratedDir = try TempDirectory()
        defer { ratedDir.remove() }
        try await withServer { rated in
            var limited = Self.patientRetries
            limited.endpointLimits = ["test": EndpointLimits(requestsPerMinute: 1200)]
            _ = try await run(
                plan(
                    ratedDir, catalog: Fixtures.catalog(baseURL: rated.baseURL, models: ["good", "other"]),
                    settings: limited, concurrency: 16))
            let arrivals = rated.received.filter { $0.path.hasSuffix("chat/completions") }.map(\.receivedAt).sorted()
            let times = arrivals.first.map { first in arrivals.map { ($0 - first).inSeconds } } ?? []
            #expect(times.count == 2 * Self.cases)
            // The bucket's promise, which a busy machine can only make easier to keep: in any
            // stretch of t seconds, at most 20 + 20 t requests (plus one for the send jitter
            // between the gate and the server). Without the limit, 60 would arrive in about a second.
            var worst = 0.0
            for i in times.indices {
                for j in times.indices where j > i {
                    worst = max(worst, Double(j - i + 1) - (20 + 20 * (times[j] - times[i])))
                }
            }
            if let first = times.first, let last = times.last {
                #expect(last - first >= 1.5, "40 past the burst at 20 a second")
            }
            #expect(worst <= 1, "\(worst) requests over what the bucket allows")
        }
    }

    @Test func tokensPerMinuteHoldRequestsBack() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try await withServer { server in
            // Each request is estimated at its prompt (about 10 tokens) plus max_tokens (100), and
            // answers with 100 tokens (scripted usage); 5,000 a minute is 83 a second, the bucket
            // holds 5,000 (burst_seconds: 60, a minute's worth, set here to show the knob) and
            // starts half full: about 2,500 tokens' worth go at once, the other 500 or so wait
            // six seconds for the refill.
            // The estimates alone exceed the bucket, so the wait does not depend on how fast the
            // answers come back to correct them.
            var script = server.script
            script.rules = script.rules.map { rule in
                var rule = rule
                rule.reply.usage = .init(promptTokens: 90, completionTokens: 10)
                return rule
            }
            server.setScript(script)
            var settings = Self.patientRetries
            settings.endpointLimits = ["test": EndpointLimits(tokensPerMinute: 5000, burstSeconds: 60)]
            settings.generation.maxTokens = 100
            _ = try await run(
                plan(
                    dir, catalog: Fixtures.catalog(baseURL: server.baseURL, models: ["good"]), models: ["good"],
                    settings: settings, concurrency: 16))
            let arrivals = server.received.filter { $0.path.hasSuffix("chat/completions") }.map(\.receivedAt).sorted()
            let times = arrivals.first.map { first in arrivals.map { ($0 - first).inSeconds } } ?? []
            #expect(times.count == Self.cases)
            if let first = times.first, let last = times.last {
                #expect(last - first >= 4, "the token bucket spread the requests: \(last - first) s")
                #expect(last - first < 40)
            }
        }
    }
}
