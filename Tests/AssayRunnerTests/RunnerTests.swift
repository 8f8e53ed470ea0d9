import AssayAnalysis
import AssayConfig
import AssayCore
import AssayProviders
import AssayReports
import AssayRunner
import AssayRuns
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// The whole request path in one process: suite -> test server -> grader -> store -> summary.
@Suite struct RunnerTests {
    struct Setup {
        let dir: TempDirectory
        let server: TestServer
        let plan: Plan
    }

    /// Runs `body` with a server whose "good" model answers every case right and whose "bad"
    /// model answers every case "positive" (right on odd cases only), and a plan for it; the
    /// server is stopped and the directory removed when `body` ends.
    func withSetup(
        cases: Int = 6, models: [String] = ["good", "bad"], extraSuite: (yaml: String, cases: String)? = nil,
        _ body: (Setup) async throws -> Void
    ) async throws {
        var script = TestScript(
            defaultReply: .init(text: "positive", usage: .init(promptTokens: 100, completionTokens: 10)))
        for index in 1...cases {
            script.rules.append(
                .init(
                    model: "good", promptEquals: Fixtures.sentimentPrompt(index),
                    reply: .init(
                        text: Fixtures.sentimentLabel(index), ttftMs: 5,
                        usage: .init(promptTokens: 100, completionTokens: 10))))
        }
        let dir = try TempDirectory()
        defer { dir.remove() }
        try await TestServer.withTestServer(script: script) { server in
            try dir.write("catalog.yaml", Fixtures.catalog(baseURL: server.baseURL, models: models, output: "2.0"))
            let fixture = Fixtures.sentimentSuite(count: cases)
            try dir.write("suites/mini/suite.yaml", fixture.yaml)
            try dir.write("suites/mini/cases.jsonl", fixture.cases)
            var suites = [dir.path("suites/mini")]
            if let extraSuite {
                try dir.write("suites/extra/suite.yaml", extraSuite.yaml)
                try dir.write("suites/extra/cases.jsonl", extraSuite.cases)
                suites.append(dir.path("suites/extra"))
            }
            let plan = Plan(
                suites: suites, models: models, concurrency: 4, catalog: dir.path("catalog.yaml"),
                store: dir.path("assay.sqlite"),
                reports: dir.path("reports"))
            try await body(Setup(dir: dir, server: server, plan: plan))
        }
    }

    func run(_ plan: Plan, environment: [String: String] = [:]) async throws -> (RunManifest, any RunStore) {
        let session = try await RunSession.prepare(plan, environment: environment)
        return (try await session.run(), session.store)
    }

    @Test func everyItemIsAskedGradedAndStored() async throws {
        try await withSetup { setup in
            let (manifest, store) = try await run(setup.plan)
            #expect(manifest.status == .completed)
            #expect(setup.server.requestCount == 12)

            let results = try await store.results(run: manifest.id)
            try #require(results.count == 12)
            #expect(Set(results.map(\.key)).count == 12, "no item is stored twice")
            let odd = results.filter { !($0.status == .graded && $0.attempts == 1 && $0.usage != nil) }
            #expect(
                odd.isEmpty,
                "\(odd.map { "\($0.caseID)@\($0.model): \($0.status) after \($0.attempts) attempts, usage \(String(describing: $0.usage)), \($0.errorMessage ?? "")" })"
            )
            let good = results.filter { $0.model == "good" }
            let bad = results.filter { $0.model == "bad" }
            try #require(good.count == 6 && bad.count == 6)
            #expect(good.allSatisfy { $0.grade?.outcome == .pass })
            #expect(bad.filter { $0.grade?.outcome == .pass }.map(\.caseID).sorted() == ["c1", "c3", "c5"])
            // 10 completion tokens at $2 per million, input price unknown: output-only cost.
            #expect(results.allSatisfy { $0.cost == Cost(amount: 0.00002, basis: .outputOnly) })
            // Every streamed answer is timed, and the time to first token is within the latency.
            // The client's clock starts when its event loop sees the request written, which a
            // loaded machine can delay past the server's start: the 5 ms the server waits shows
            // in the slowest item, not in each one.
            #expect(
                good.allSatisfy { result in
                    result.timing.map { ($0.ttftMs ?? -1) > 0 && ($0.ttftMs ?? 0) <= $0.latencyMs } ?? false
                })
            #expect((good.compactMap { $0.timing?.ttftMs }.max() ?? 0) >= 5)

            let summary = try await RunSummary.load(run: manifest.id, from: store)
            #expect(summary.models.map(\.model) == ["good", "bad"])
            #expect(summary.models[0].overall.score == 1)
            #expect(summary.models[1].overall.score == 0.5)
            #expect(summary.models[1].overall.n == 6)
            #expect(summary.models[1].overall.failed == 3)
            #expect(abs(summary.models[0].spend.cost - 0.00012) < 1e-12)
            #expect(summary.models[0].spend.outputOnly)
            #expect(summary.models[0].spend.completionTokens == 60)
            #expect(summary.models[0].latency.count == 6)
            #expect((summary.models[0].latency.maxMs ?? 0) >= 5)
        }
    }

    @Test func aRampUpSpacesTheFirstRequestsEvenly() async throws {
        try await withSetup { setup in
            var plan = setup.plan
            plan.settings.rampUp = 2  // 4 slots: one opens every 0.5 s
            let before = ContinuousClock.now
            let (manifest, _) = try await run(plan)
            #expect(manifest.status == .completed)
            #expect(manifest.settings?.rampUp == 2, "kept for --resume")
            // Lower bounds only (a slot never opens early; a busy machine can only delay): the
            // k-th request reaches the server at least k * 0.5 s after the run began.
            let times = setup.server.received.map { ($0.receivedAt - before).inSeconds }.sorted()
            #expect(times.count == 12)
            for k in 1..<4 where times.count > k {
                #expect(times[k] >= Double(k) * 0.5, "request \(k + 1) arrived \(times[k]) s in")
            }
        }
    }

    @Test func theSummaryJSONAndTableCarryTheNumbers() async throws {
        try await withSetup(cases: 4) { setup in
            let (manifest, store) = try await run(setup.plan)
            let written = try await ReportFiles.write(run: manifest.id, from: store, under: setup.plan.reports)
            let summary = written.summary
            let path = written.path("summary.json")
            #expect(path == setup.dir.path("reports/\(manifest.id)/summary.json"))
            #expect(ReportSchema.validate(written.path("report.xml")) == [])
            let json = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(json["schema"] == "assay.summary/1")
            #expect(json["run"]?["id"] == .string(manifest.id))
            #expect(json["run"]?["status"] == "completed")
            let bad = try #require(json["models"]?.arrayValue?.last)
            #expect(bad["model"] == "bad")
            #expect(bad["score"] == 0.5)
            #expect(bad["n"] == 4)
            #expect(bad["spend"]?["output_only"] == true)
            #expect(bad["suites"]?.arrayValue?.first?["suite"] == "mini")
            #expect(bad["latency_ms"]?["p99"]?.doubleValue != nil)
            #expect(bad["ttft_ms"]?["p50"]?.doubleValue != nil)

            let table = SummaryTable.render(summary)
            #expect(table.contains("good"))
            #expect(table.contains("100.0%"))
            #expect(table.contains("50.0%"))
            #expect(table.contains("* output tokens only (no input price quoted)"), "\(table)")
        }
    }

    @Test func failedRequestsAreStoredAsClassifiedErrors() async throws {
        try await withSetup(cases: 4, models: ["good"]) { setup in
            var script = setup.server.script
            script.rules.insert(
                .init(promptEquals: Fixtures.sentimentPrompt(2), reply: .init(text: "overloaded", status: 503)), at: 0)
            script.rules.insert(
                .init(promptEquals: Fixtures.sentimentPrompt(3), reply: .init(text: "cut", fault: .cutStream)), at: 0)
            setup.server.setScript(script)
            let (manifest, store) = try await run(setup.plan)
            let results = try await store.results(run: manifest.id)
            #expect(results.count == 4, "a failed request is stored, not lost")
            let byCase = Dictionary(uniqueKeysWithValues: results.map { ($0.caseID, $0) })
            #expect(byCase["c2"]?.status == .error)
            #expect(byCase["c2"]?.errorKind == .server)
            #expect(byCase["c3"]?.errorKind == .decode)
            #expect(byCase["c1"]?.status == .graded)
            let summary = try await RunSummary.load(run: manifest.id, from: store)
            #expect(summary.models[0].overall.errors == 2)
            #expect(summary.models[0].overall.score == 0.5, "errors count as wrong answers")
            #expect(summary.models[0].errorKinds == ["server": 1, "decode": 1])
            #expect(summary.models[0].latency.count == 2, "latency is measured over answered requests only")
        }
    }

    @Test func identicalRequestsAreServedFromTheCache() async throws {
        try await withSetup(cases: 3, models: ["good"]) { setup in
            let (first, store) = try await run(setup.plan)
            #expect(setup.server.requestCount == 3)
            let (second, _) = try await run(setup.plan)
            #expect(setup.server.requestCount == 3, "the second run sent nothing")
            let cached = try await store.results(run: second.id)
            try #require(cached.count == 3)
            #expect(cached.allSatisfy { $0.cached && $0.attempts == 0 && $0.grade?.outcome == .pass })
            let asked = try await store.results(run: first.id)
            try #require(asked.count == 3)
            #expect(asked.allSatisfy { !$0.cached })

            var fresh = setup.plan
            fresh.settings.cache = .off
            _ = try await run(fresh)
            #expect(setup.server.requestCount == 6)
        }
    }

    @Test func refreshSendsAgainAndOverwritesWhileOffNeitherReadsNorWrites() async throws {
        try await withSetup(cases: 2, models: ["good"]) { setup in
            var off = setup.plan
            off.settings.cache = .off
            let (_, store) = try await run(off)
            #expect(setup.server.requestCount == 2)
            let (first, _) = try await run(setup.plan)
            #expect(setup.server.requestCount == 4, "the run with the cache off stored nothing to answer from")
            let firstHash = try #require(try await store.results(run: first.id).first?.requestHash)
            let stored = try #require(try await store.cachedCompletion(hash: firstHash))

            var script = setup.server.script
            script.rules = script.rules.map { rule in
                var rule = rule
                rule.reply.text = "negative"
                return rule
            }
            setup.server.setScript(script)
            let (cached, _) = try await run(setup.plan)
            #expect(setup.server.requestCount == 4, "answered from the cache")
            let fromCache = try await store.results(run: cached.id)
            try #require(fromCache.count == 2)
            #expect(fromCache.allSatisfy { $0.cached })

            var refresh = setup.plan
            refresh.settings.cache = .refresh
            let (refreshed, _) = try await run(refresh)
            #expect(setup.server.requestCount == 6, "refresh sends again")
            let sentAgain = try await store.results(run: refreshed.id)
            try #require(sentAgain.count == 2)
            #expect(sentAgain.allSatisfy { !$0.cached })
            #expect(
                try await store.cachedCompletion(hash: firstHash)?.text != stored.text,
                "and overwrites the cached answer")
        }
    }

    @Test func epochsAreDistinctRequests() async throws {
        try await withSetup(cases: 2, models: ["good"]) { setup in
            var plan = setup.plan
            plan.epochs = 3
            let (manifest, store) = try await run(plan)
            let results = try await store.results(run: manifest.id)
            #expect(results.count == 6)
            #expect(Set(results.map(\.requestHash)).count == 6)
            #expect(setup.server.requestCount == 6, "the cache never answers epoch 2 with epoch 1")
        }
    }

    @Test func modelsWithoutARequiredCapabilityAreSkipped() async throws {
        let vision = Fixtures.sentimentSuite(id: "seeing", count: 2, requires: "[text, vision]")
        try await withSetup(cases: 2, models: ["good", "eye-vision"], extraSuite: vision) { setup in
            let (manifest, store) = try await run(setup.plan)
            let results = try await store.results(run: manifest.id)
            let skipped = results.filter { $0.status == .unsupported }
            try #require(skipped.count == 2)
            #expect(
                skipped.allSatisfy { $0.model == "good" && $0.suiteID == "seeing" && $0.errorMessage == "needs vision" }
            )
            #expect(
                setup.server.requestCount == 6, "2 + 2 text items for both models, 2 vision items for the vision model")
            let summary = try await RunSummary.load(run: manifest.id, from: store)
            #expect(summary.models[0].overall.unsupported == 2)
            #expect(summary.models[0].overall.n == 2)
        }
    }

    @Test func aMissingKeyStopsTheRunBeforeTheFirstRequest() async throws {
        try await withSetup(cases: 2, models: ["good"]) { setup in
            try setup.dir.write(
                "catalog.yaml",
                Fixtures.catalog(baseURL: setup.server.baseURL, models: ["good"], apiKeyEnv: "TEST_RUN_KEY"))
            let error = await #expect(throws: InputError.self) { try await run(setup.plan, environment: [:]) }
            #expect(error?.description.contains("set TEST_RUN_KEY") == true)
            #expect(setup.server.requestCount == 0)
            _ = try await run(setup.plan, environment: ["TEST_RUN_KEY": "k"])
            #expect(setup.server.requestCount == 2)
        }
    }

    @Test func planProblemsAreAllReportedBeforeRunning() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("catalog.yaml", Fixtures.catalog(baseURL: "http://127.0.0.1:9/v1", models: ["alpha", "beta"]))
        let plan = Plan(
            suites: [dir.path("missing-suite")], models: ["alpah", "gamma"], catalog: dir.path("catalog.yaml"),
            baseURLs: ["nowhere": "http://x/v1"])
        let error = await #expect(throws: InputError.self) { try await RunSetup.prepare(plan) }
        let text = error?.description ?? ""
        #expect(text.contains("unknown model 'alpah'; did you mean 'alpha'"))
        #expect(text.contains("unknown model 'gamma'"))
        #expect(text.contains("no endpoint 'nowhere'"))
        #expect(text.contains("no such suite directory"))
    }

    @Test func plansAreReadFromYAML() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = try dir.write(
            "plan.yaml",
            """
            suites: [evalsets/a, evalsets/b]
            models: [v4-flash]
            epochs: 3
            concurrency: 16
            generation: {max_tokens: 64, temperature: 0.2}
            stream: false
            endpoints: {local: "http://127.0.0.1:9000/v1"}
            """)
        let plan = try PlanFile.load(path)
        #expect(plan.suites == ["evalsets/a", "evalsets/b"])
        #expect(plan.models == ["v4-flash"])
        #expect(plan.epochs == 3)
        #expect(plan.concurrency == 16)
        #expect(plan.settings.generation == Generation(maxTokens: 64, temperature: 0.2))
        #expect(!plan.settings.stream)
        #expect(plan.baseURLs == ["local": "http://127.0.0.1:9000/v1"])

        try dir.write(
            "full.yaml",
            """
            suites: [evalsets/a]
            models: [v4-flash]
            cache: refresh
            max_cost: 2.5
            ramp_up: 4
            retry: {max_attempts: 6, base_delay: 0.25, max_delay: 10, item_deadline: 120}
            timeouts: {connect: 5, first_token: 30, idle: 20, total: 300}
            limits:
              endpoints: {unified: {concurrency: 16, requests_per_minute: 600, tokens_per_minute: 200000}}
              models: {deepseek-r1: 2}
            fallbacks:
              v4-flash: {model: qwen3-32b, error_rate: 0.25, p99_ms: 8000}
            """)
        let full = try PlanFile.load(dir.path("full.yaml"))
        #expect(full.settings.cache == .refresh)
        #expect(full.settings.maxCost == 2.5)
        #expect(full.settings.rampUp == 4)
        #expect(full.settings.retry == RetryPolicy(maxAttempts: 6, baseDelay: 0.25, maxDelay: 10, itemDeadline: 120))
        #expect(full.settings.timeouts == RequestTimeouts(connect: 5, firstToken: 30, idle: 20, total: 300))
        #expect(
            full.settings.endpointLimits["unified"]
                == EndpointLimits(concurrency: 16, requestsPerMinute: 600, tokensPerMinute: 200_000))
        #expect(full.settings.modelConcurrency == ["deepseek-r1": 2])
        #expect(
            full.settings.fallbacks["v4-flash"]
                == FallbackRule(model: "qwen3-32b", onError: true, errorRate: 0.25, p99Ms: 8000, window: 50))

        try dir.write(
            "bad.yaml",
            "suites: [a]\nmodels: [b]\ncache: sometimes\nretry: {max_attempt: 3}\nfallbacks: {b: {model: c, error_rate: 2}}\nramp_up: -1\n"
        )
        let bad = #expect(throws: InputError.self) { try PlanFile.load(dir.path("bad.yaml")) }
        let badText = bad?.description ?? ""
        #expect(badText.contains("bad.yaml:3: cache must be true, false or refresh"))
        #expect(badText.contains("bad.yaml:4: unknown key 'max_attempt' in retry"))
        #expect(badText.contains("fallbacks.b.error_rate must be from 0 to 1"))
        #expect(badText.contains("ramp_up must be from 0 to 3600 seconds"))

        try dir.write("plan.yaml", "suites: [a]\nmodels: [b]\nepoch: 3\nconcurrency: 0\n")
        let error = #expect(throws: InputError.self) { try PlanFile.load(path) }
        #expect(error?.description.contains("plan.yaml:3: unknown key 'epoch' in a plan") == true)
    }

    @Test func aCodeSuiteRunsInTheSandboxWithPassAtK() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try await TestServer.withTestServer(script: TestScript()) { server in
            try dir.write("catalog.yaml", Fixtures.catalog(baseURL: server.baseURL, models: ["coder"]))
            try dir.write(
                "code/suite.yaml",
                "id: code-mini\nkind: code\ngrader: {name: code, timeout_seconds: 5}\nprompt: \"{{prompt}}\"\n")
            try dir.write(
                "code/cases.jsonl",
                #"{"id": "add", "input": {"prompt": "Write add(a, b).", "entry_point": "add"}, "expected": {"tests": "def check(candidate):\n    assert candidate(2, 3) == 5\n"}}"#
                    + "\n"
                    + #"{"id": "neg", "input": {"prompt": "Write neg(a).", "entry_point": "neg"}, "expected": {"tests": "def check(candidate):\n    assert candidate(2) == -2\n"}}"#
                    + "\n")
            server.setScript(
                TestScript(rules: [
                    .init(
                        promptEquals: "Write add(a, b).",
                        reply: .init(text: "```python\ndef add(a, b):\n    return a + b\n```")),
                    .init(
                        promptEquals: "Write neg(a).", reply: .init(text: "```python\ndef neg(a):\n    return a\n```")),
                ]))
            var plan = Plan(
                suites: [dir.path("code")], models: ["coder"], epochs: 3, catalog: dir.path("catalog.yaml"),
                store: dir.path("assay.sqlite"), reports: dir.path("reports"))
            plan.settings.cache = .off
            let (manifest, store) = try await run(plan)
            #expect(manifest.sandbox?.hasPrefix("bubblewrap") == true)
            let results = try await store.results(run: manifest.id)
            #expect(results.count == 6)
            let add = results.filter { $0.caseID == "add" }, neg = results.filter { $0.caseID == "neg" }
            try #require(add.count == 3 && neg.count == 3, "3 epochs of each case")
            #expect(add.allSatisfy { $0.grade?.outcome == .pass })
            #expect(neg.allSatisfy { $0.grade?.evidence["assertion"] == "assert candidate(2) == -2" })
            let summary = try await RunSummary.load(run: manifest.id, from: store)
            let suite = try #require(summary.models.first?.suites.first)
            #expect(suite.passAtK == [1: 0.5, 3: 0.5])
            let json = SummaryJSON.document(summary)
            #expect(json["run"]?["sandbox"]?.stringValue?.hasPrefix("bubblewrap") == true)
            #expect(json["run"]?["unsandboxed_code"] == false)
            #expect(
                json["models"]?.arrayValue?.first?["suites"]?.arrayValue?.first?["pass_at_k"] == ["1": 0.5, "3": 0.5])
        }
    }
}
