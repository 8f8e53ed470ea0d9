import AssayCore
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// `assay run --concurrency LOW..HIGH`: the plan at each level, and the knee named (issue 35).
@Suite(.serialized) struct SweepCLITests {
    /// A server that answers in about 60 ms until more than 8 requests are in flight, then
    /// 150 ms slower per request over: the sweep 1..32 names the knee within one step of 8,
    /// as the issue asks, stores a run per level, and writes sweep.json and the page that
    /// draws it.
    @Test func aConcurrencySweepNamesTheKneeOfAServerThatSlowsPastItsCapacity() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: 8)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        try dir.write("catalog.yaml", Fixtures.catalog(baseURL: "http://127.0.0.1:1/v1", models: ["alpha"]))
        let script = TestScript(
            defaultReply: .init(text: "positive answer", ttftMs: 40, chunkDelayMs: 20),
            load: .init(capacity: 8, ttftMsPerRequestOver: 150))
        let store = dir.path("store.sqlite")
        let run = try await TestServer.withTestServer(script: script) { server in
            try await runAssay([
                "run", "--suite", dir.path("suite"), "--model", "alpha", "--catalog", dir.path("catalog.yaml"),
                "--base-url", "test=\(server.baseURL)", "--store", store, "--reports", dir.path("reports"),
                "--concurrency", "1..32", "--run-id", "knee", "--quiet",
            ])
        }
        #expect(run.status == 0, "\(run)")
        // Within one step of the capacity, as the issue asks: 8 on a quiet machine, but a
        // request sent as the one before it finishes can still find 8 in flight at the
        // server, and a busy machine slows the first level.
        #expect(
            ["knee: 4 in flight", "knee: 8 in flight", "knee: 16 in flight"].contains { run.stdout.contains($0) },
            "\(run.stdout)")
        let sweep = try JSONParser.parse(
            try Data(contentsOf: URL(fileURLWithPath: dir.path("reports/knee/sweep.json"))))
        let model = try #require(sweep["models"]?.arrayValue?.first)
        let knee = try #require(model["knee"]?.doubleValue)
        #expect([4, 8, 16].contains(knee), "\(model)")
        #expect(model["levels"]?.arrayValue?.map { $0["level"]?.doubleValue } == [1, 2, 4, 8, 16, 32])
        let met = model["levels"]?.arrayValue?.map { $0["meets_sla"]?.boolValue == true } ?? []
        #expect(met.prefix(3).allSatisfy { $0 } && met.last == false, "\(met)")
        let page = try String(contentsOfFile: dir.path("reports/knee/index.html"), encoding: .utf8)
        #expect(page.contains(">knee</text>") && page.contains("href=\"../knee-4/index.html\""))
        // Each level is a run of its own, with its report; the warm-ups are not stored.
        let runs = try await Store(path: store).runs().map(\.id).sorted()
        #expect(runs == (1...6).map { "knee-\($0)" })
        for level in 1...6 {
            #expect(FileManager.default.fileExists(atPath: dir.path("reports/knee-\(level)/index.html")))
        }
        let top = try #require(try await Store(path: store).run("knee-6"))
        #expect(top.concurrency == 32 && top.settings?.requests == 128 && top.settings?.cache == .off)
    }

    /// A rate sweep: each level an open loop at its rate (poisson arrivals, as asked), its
    /// start rate held and reported, the requests per level as given.
    @Test func aRateSweepRunsAnOpenLoopAtEachLevel() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: 4)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        try dir.write("catalog.yaml", Fixtures.catalog(baseURL: "http://127.0.0.1:1/v1", models: ["alpha"]))
        let store = dir.path("store.sqlite")
        let run = try await TestServer.withTestServer(
            script: TestScript(defaultReply: .init(text: "positive answer", ttftMs: 20, chunkDelayMs: 10))
        ) { server in
            try await runAssay([
                "run", "--suite", dir.path("suite"), "--model", "alpha", "--catalog", dir.path("catalog.yaml"),
                "--base-url", "test=\(server.baseURL)", "--store", store, "--reports", dir.path("reports"),
                "--rate", "10/s..30/s", "--steps", "3", "--requests", "24", "--warmup", "2", "--arrivals", "poisson",
                "--run-id", "rates", "--quiet",
            ])
        }
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("started/s"), "\(run.stdout)")
        for (index, rate) in [10.0, 20, 30].enumerated() {
            let manifest = try #require(try await Store(path: store).run("rates-\(index + 1)"))
            let load = try #require(manifest.load)
            #expect(load.profile.perSecond == rate && load.started == 24 && load.profile.arrivals == .poisson)
            #expect(manifest.concurrency == 1024, "an open loop's generous cap, not the plan's 8")
        }
        let sweep = try JSONParser.parse(
            try Data(contentsOf: URL(fileURLWithPath: dir.path("reports/rates/sweep.json"))))
        #expect(sweep["dimension"]?.stringValue == "rate")
        let levels = try #require(sweep["models"]?.arrayValue?.first?["levels"]?.arrayValue)
        #expect(levels.count == 3 && levels.allSatisfy { $0["achieved_rate"]?.doubleValue != nil })
    }

    @Test func sweepFlagsAreChecked() async throws {
        let refused = try await runAssay(["run", "--suite", "x", "--model", "alpha", "--sla", "p99<=800ms"])
        #expect(refused.status == 2 && refused.stderr.contains("--sla shapes a sweep"), "\(refused)")
        let badRange = try await runAssay(["run", "--suite", "x", "--model", "alpha", "--concurrency", "64..8"])
        #expect(badRange.status == 2 && badRange.stderr.contains("the first level must be below the last"))
        let badSLA = try await runAssay([
            "run", "--suite", "x", "--model", "a", "--concurrency", "1..8", "--sla", "fast",
        ])
        #expect(badSLA.status == 2 && badSLA.stderr.contains("'fast' is not a limit"), "\(badSLA)")
        let both = try await runAssay(["run", "--suite", "x", "--model", "a", "--concurrency", "1..8", "--rate", "5/s"])
        #expect(both.status == 2 && both.stderr.contains("sweep one thing at a time"), "\(both)")
    }
}
