import AssayCore
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// `assay run --rate`: requests start on a schedule, not as slots free up, and the run says
/// what rate it held, how far behind it fell, and the latency under that load.
@Suite(.serialized) struct OpenLoopTests {
    /// 200 requests at 50/s against a server that takes about 300 ms to answer: a closed
    /// loop of 8 in flight could not pass about 26/s; the open loop holds 50 within 2%,
    /// measured by the server's own clock as well as Assay's.
    /// 200 requests at 50/s over two models and a four-case suite, against `script`: the
    /// run, the chat requests the server received, and the store.
    func runFiftyPerSecond(
        _ dir: TempDirectory, script: TestScript
    ) async throws -> (run: CommandResult, received: [TestServer.ReceivedRequest], store: String) {
        let fixture = Fixtures.sentimentSuite(count: 4)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        try dir.write("catalog.yaml", Fixtures.catalog(baseURL: "http://127.0.0.1:1/v1", models: ["alpha", "beta"]))
        let store = dir.path("store.sqlite")
        let (run, received) = try await TestServer.withTestServer(script: script) { server in
            let run = try await runAssay([
                "run", "--suite", dir.path("suite"), "--model", "alpha", "--model", "beta", "--catalog",
                dir.path("catalog.yaml"),
                "--base-url", "test=\(server.baseURL)", "--store", store, "--reports", dir.path("reports"), "--rate",
                "50/s", "--requests", "200",
            ])
            return (run, server.received.filter { $0.path.hasSuffix("chat/completions") })
        }
        return (run, received, store)
    }

    @Test func aRunAtFiftyPerSecondHoldsTheRateAndReportsLatencyUnderLoad() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let (run, received, store) = try await runFiftyPerSecond(
            dir, script: TestScript(defaultReply: .init(text: "positive answer", ttftMs: 150, chunkDelayMs: 150)))
        let arrivals = received.map(\.receivedAt)
        #expect(run.status == 0, "\(run)")
        #expect(arrivals.count == 200, "every scheduled request was sent, none from the cache")
        // The rate the server saw: the slope of arrival time against arrival number (least
        // squares), which a few requests delayed on a busy machine (new connections at the
        // start) barely move, where first-to-last would.
        let sorted = arrivals.sorted()
        let times = sorted.first.map { first in sorted.map { ($0 - first).inSeconds } } ?? []
        let serverRate = ArrivalRate.perSecond(times)
        // 2% on a quiet machine (scripts/test); in a parallel `swift test`, only that the
        // loop is open: a closed loop of 8 in flight would not pass about 26/s (-48%).
        #expect(abs(serverRate / 50 - 1) < (WallClock.isQuiet ? 0.02 : 0.35), "the server saw \(serverRate)/s")

        let manifest = try #require(try await Store(path: store).runs().first)
        let load = try #require(manifest.load)
        let achieved = try #require(load.achievedPerSecond)
        #expect(abs(achieved / 50 - 1) < 0.02, "achieved \(achieved)/s")
        #expect(load.started == 200 && load.scheduled == 200)
        #expect(load.peakInFlight > 8, "open loop: more in flight than a closed loop's 8 (\(load.peakInFlight))")
        #expect(manifest.epochs == 25, "4 cases x 2 models a pass: the plan sent 25 times, as epochs")
        #expect(manifest.settings?.cache == .off)
        #expect(
            run.stdout.contains("load: open loop at 50.0/s (constant), 200 of 200 requests: achieved"), "\(run.stdout)")
        #expect(run.stdout.contains("alpha under that load: latency p50"))

        let json = try JSONDecoder().decode(
            JSONValue.self,
            from: Data(
                try String(contentsOfFile: dir.path("reports/\(manifest.id)/summary.json"), encoding: .utf8).utf8))
        #expect(json["load"]?["started"] == 200)
        // report.xml carries the same load and every attempt (checked against its XSD as it is written).
        let xml = try String(contentsOfFile: dir.path("reports/\(manifest.id)/report.xml"), encoding: .utf8)
        #expect(
            xml.contains(#"<load ratePerSecond="50" arrivals="constant" scheduled="200" started="200""#),
            "\(xml.prefix(4000))")
        #expect(
            xml.contains(#"<attempts><group by="model" name="alpha" attempts=""#)
                || xml.contains(#"<group by="model" name="alpha""#))
        let latency = try #require(json["models"]?.arrayValue?.first?["latency_ms"]?["p50"]?.doubleValue)
        #expect(latency >= 290 && latency < 1000, "latency under load, p50 \(latency) ms")
    }

    /// A load test measures the server, not the client: a server that answers 429 to a tenth
    /// of the requests (with Retry-After) does not slow the offered load. The 429s are counted
    /// and retried; the schedule holds 50/s (it fell to 2.2/s when the adaptive limiter,
    /// meant for runs that are not load tests, learned from those 429s).
    @Test func a429FromTheServerNeverSlowsTheOfferedLoad() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let (run, received, store) = try await runFiftyPerSecond(
            dir,
            script: TestScript(
                defaultReply: .init(text: "positive answer", ttftMs: 20),
                faults: .init(seed: 7, rateLimited: 0.1, retryAfterSeconds: 1)))
        let refused = received.count { $0.fault == .rateLimited }
        #expect(refused >= 8, "the server refused about a tenth: \(refused) of \(received.count)")
        let manifest = try #require(try await Store(path: store).runs().first)
        let load = try #require(manifest.load)
        let achieved = try #require(load.achievedPerSecond)
        #expect(load.started == 200)
        #expect(abs(achieved / 50 - 1) < (WallClock.isQuiet ? 0.05 : 0.35), "achieved \(achieved)/s")
        let traffic = try #require(manifest.traffic?.first)
        #expect(traffic.rateLimited == refused, "every 429 counted")
        #expect(traffic.limitSource == nil, "nothing learned from the 429s holds the load back")
        #expect(run.status == 0 || run.status == 3, "\(run)")
    }

    @Test func loadFlagsAreChecked() async throws {
        let alone = try await runAssay([
            "run", "--suite", "evalsets/smoke-sentiment", "--model", "gemma3-270m", "--requests", "10",
        ])
        #expect(
            alone.status == 2 && alone.stderr.contains("--requests shapes an open-loop load: give --rate too"),
            "\(alone)")
        let bad = try await runAssay([
            "run", "--suite", "evalsets/smoke-sentiment", "--model", "gemma3-270m", "--rate", "fast",
        ])
        #expect(bad.status == 2 && bad.stderr.contains("--rate 'fast' is not a rate"), "\(bad)")
        let both = try await runAssay([
            "run", "--suite", "evalsets/smoke-sentiment", "--model", "gemma3-270m", "--rate", "5/s", "--requests", "3",
            "--duration", "2s",
        ])
        #expect(both.status == 2 && both.stderr.contains("not both"), "\(both)")
    }

    /// A load test of a routing policy: each case goes only to its rule's model, the rule's
    /// fallback answers for a failed request, and the load counts the routed requests.
    @Test func aRoutingPolicyUnderLoadAsksEachCaseOfItsModelOnly() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: 10)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        try dir.write(
            "catalog.yaml", Fixtures.catalog(baseURL: "http://127.0.0.1:1/v1", models: ["kimi", "flash", "qwen"]))
        try dir.write(
            "policy.yaml",
            """
            name: odd-to-kimi
            rules:
              - {name: odd, match: {prompt_regex: "number (1|3|5)$"}, model: kimi}
              - {name: rest, model: flash, fallback: {model: qwen, on: [error]}}
            """)
        try dir.write("plan.yaml", "retry: {max_attempts: 1}\n")
        var script = TestScript(defaultReply: .init(text: "positive", ttftMs: 5))
        script.episodes = [TestEpisode(model: "flash", requests: 2...3, status: 500)]
        let (run, requests) = try await TestServer.withTestServer(script: script) { server in
            let run = try await runAssay([
                "run", "--plan", dir.path("plan.yaml"), "--suite", dir.path("suite"), "--catalog",
                dir.path("catalog.yaml"),
                "--base-url", "test=\(server.baseURL)", "--store", dir.path("store.sqlite"), "--reports",
                dir.path("reports"),
                "--route", dir.path("policy.yaml"), "--rate", "20/s", "--requests", "30",
            ])
            return (run, server.received.filter { $0.path.hasSuffix("chat/completions") })
        }
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.contains("routing by odd-to-kimi: each case goes to one model"))
        var byModel: [String: [String]] = [:]
        for request in requests {
            let json = try JSONDecoder().decode(JSONValue.self, from: Data(request.body.utf8))
            let prompt = json["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
            byModel[json["model"]?.stringValue ?? "", default: []].append(prompt)
        }
        // 3 passes over 10 cases: 1, 3 and 5 to Kimi (9), the other 7 to Flash (21), whose
        // 2nd and 3rd requests failed and were answered by Qwen.
        #expect(
            byModel["kimi"]?.count == 9 && byModel["flash"]?.count == 21 && byModel["qwen"]?.count == 2,
            "\(byModel.mapValues(\.count))")
        #expect(Set(byModel["kimi"] ?? []) == Set([1, 3, 5].map(Fixtures.sentimentPrompt)))
        #expect(Set(byModel["flash"] ?? []).isDisjoint(with: byModel["kimi"] ?? []))
        let manifest = try #require(try await Store(path: dir.path("store.sqlite")).runs().first)
        #expect(manifest.load?.started == 30 && manifest.settings?.routing?.name == "odd-to-kimi")
    }

    /// `--max-cost` guards a load as any run: the schedule stops when the cap would be passed.
    @Test func theSpendingCapStopsALoad() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: 4)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        // $1,000 per million output tokens, 8 max_tokens: each request reserves about $0.008.
        try dir.write(
            "catalog.yaml",
            Fixtures.catalog(baseURL: "http://127.0.0.1:1/v1", models: ["alpha"], input: "0", output: "1000"))
        let script = TestScript(
            defaultReply: .init(text: "positive", ttftMs: 2, usage: .init(promptTokens: 10, completionTokens: 8)))
        let (run, sent) = try await TestServer.withTestServer(script: script) { server in
            let run = try await runAssay([
                "run", "--suite", dir.path("suite"), "--model", "alpha", "--catalog", dir.path("catalog.yaml"),
                "--base-url", "test=\(server.baseURL)",
                "--store", dir.path("store.sqlite"), "--reports", dir.path("reports"), "--rate", "40/s", "--requests",
                "100", "--max-cost", "0.1",
            ])
            return (run, server.requestCount)
        }
        #expect(run.status == 3 && run.stderr.contains("spending cap"), "\(run)")
        #expect(sent >= 5 && sent <= 13, "$0.1 at $0.008 a request: about 12 sent, not 100 (\(sent))")
        let manifest = try #require(try await Store(path: dir.path("store.sqlite")).runs().first)
        #expect(manifest.status == .budgetStopped && (manifest.load?.started ?? 0) < 100)
    }

    /// A one-model run of `extra` load flags against `script`: the run, the chat requests'
    /// arrival times at the server (seconds from the first), and the store.
    func runShaped(
        _ dir: TempDirectory, _ extra: [String],
        script: TestScript = TestScript(defaultReply: .init(text: "positive", ttftMs: 20))
    ) async throws -> (run: CommandResult, times: [Double], store: String) {
        let fixture = Fixtures.sentimentSuite(count: 4)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        try dir.write("catalog.yaml", Fixtures.catalog(baseURL: "http://127.0.0.1:1/v1", models: ["alpha"]))
        let store = dir.path("store.sqlite")
        let (run, arrivals) = try await TestServer.withTestServer(script: script) { server in
            let run = try await runAssay(
                [
                    "run", "--suite", dir.path("suite"), "--model", "alpha", "--catalog", dir.path("catalog.yaml"),
                    "--base-url", "test=\(server.baseURL)", "--store", store, "--reports", dir.path("reports"),
                ] + extra)
            return (run, server.received.filter { $0.path.hasSuffix("chat/completions") }.map(\.receivedAt).sorted())
        }
        let times = arrivals.first.map { first in arrivals.map { ($0 - first).inSeconds } } ?? []
        return (run, times, store)
    }

    /// `--arrivals burst:10/0.5s`: the server sees the thirty requests come in three groups of
    /// ten, half a second apart; the reports name the shape and hold the achieved rate to the
    /// schedule's own (29 gaps in 1 s), not to the average of 20/s.
    @Test func burstsReachTheServerInGroups() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let (run, times, store) = try await runShaped(
            dir, ["--rate", "20/s", "--arrivals", "burst:10/0.5s", "--requests", "30"])
        #expect(run.status == 0, "\(run)")
        #expect(times.count == 30, "\(times)")
        // Arrivals less than 0.2 s after the one before belong to its group.
        var groups: [[Double]] = []
        for time in times {
            if let last = groups.last?.last, time - last < 0.2 {
                groups[groups.count - 1].append(time)
            } else {
                groups.append([time])
            }
        }
        if WallClock.isQuiet {
            #expect(groups.map(\.count) == [10, 10, 10], "\(times)")
            let starts = groups.compactMap(\.first)
            #expect(zip(starts, [0, 0.5, 1]).allSatisfy { abs($0 - $1) < 0.1 }, "bursts at \(starts)")
        } else {
            // Beside other tests, a stalled client may split a burst; it never merges two.
            #expect(groups.count >= 3 && groups.allSatisfy { $0.count <= 10 }, "\(times)")
        }
        let manifest = try #require(try await Store(path: store).runs().first)
        let load = try #require(manifest.load)
        #expect(load.profile.arrivals == .burst(size: 10, everySeconds: 0.5) && load.profile.perSecond == 20)
        #expect(load.started == 30 && load.scheduledPerSecond == 29, "\(load)")
        #expect(run.stdout.contains("load: open loop at 20.0/s (burst:10/0.5s), 30 of 30 requests"), "\(run.stdout)")
        #expect(run.stdout.contains("against the schedule's 29.00/s"), "\(run.stdout)")
        let xml = try String(contentsOfFile: dir.path("reports/\(manifest.id)/report.xml"), encoding: .utf8)
        #expect(xml.contains(#"arrivals="burst:10/0.5s""#) && xml.contains(#"scheduledPerSecond="29""#))
    }

    /// `--arrivals replay:FILE` without `--rate`: the log's six arrivals, sent once, reach the
    /// server with the log's gaps (two close together, then 0.4 s apart).
    @Test func aReplayedLogReachesTheServerWithItsGaps() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let log = [5.0, 5.02, 5.4, 5.42, 5.8, 5.82]
        try dir.write("arrivals.jsonl", log.map { "{\"t\": \($0), \"path\": \"/v1/chat/completions\"}\n" }.joined())
        let (run, times, store) = try await runShaped(dir, ["--arrivals", "replay:\(dir.path("arrivals.jsonl"))"])
        #expect(run.status == 0, "\(run)")
        let expected = log.map { $0 - 5 }
        let tolerance = WallClock.isQuiet ? 0.06 : 0.5
        #expect(
            times.count == 6 && zip(times, expected).allSatisfy { abs($0 - $1) < tolerance },
            "the server saw \(times), the log says \(expected)")
        let manifest = try #require(try await Store(path: store).runs().first)
        let load = try #require(manifest.load)
        #expect(load.started == 6 && abs(load.profile.perSecond - 5 / 0.82) < 1e-9, "\(load)")
        #expect(run.stdout.contains("(replay:\(dir.path("arrivals.jsonl")))"), "\(run.stdout)")
    }

    @Test func shapeFlagsAreChecked() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let base = ["run", "--suite", "evalsets/smoke-sentiment", "--model", "gemma3-270m"]
        let disagree = try await runAssay(base + ["--rate", "10/s", "--arrivals", "burst:20/5s"])
        #expect(
            disagree.status == 2
                && disagree.stderr.contains("--rate and --arrivals disagree: burst:20/5s averages 4/s, not 10/s"),
            "\(disagree)")
        let unknown = try await runAssay(base + ["--arrivals", "burst:20"])
        #expect(
            unknown.status == 2 && unknown.stderr.contains("burst:20")
                && unknown.stderr.contains("write constant, poisson, burst:20/5s"), "\(unknown)")
        let rateless = try await runAssay(base + ["--arrivals", "poisson"])
        #expect(rateless.status == 2 && rateless.stderr.contains("give --rate too"), "\(rateless)")
        try dir.write("bad.txt", "0\n0.5\nsoon\n")
        let badLog = try await runAssay(base + ["--arrivals", "replay:\(dir.path("bad.txt"))"])
        #expect(
            badLog.status == 2 && badLog.stderr.contains("\(dir.path("bad.txt")):3: 'soon' is not a time"), "\(badLog)")
    }
}
