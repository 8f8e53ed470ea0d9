import AssayCore
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// `assay run --rate`: requests start on a schedule, not as slots free up, and the run says
/// what rate it held, how far behind it fell, and the latency under that load.
@Suite struct OpenLoopTests {
    /// 200 requests at 50/s against a server that takes about 300 ms to answer: a closed
    /// loop of 8 in flight could not pass about 26/s; the open loop holds 50 within 2%,
    /// measured by the server's own clock as well as Assay's.
    @Test func aRunAtFiftyPerSecondHoldsTheRateAndReportsLatencyUnderLoad() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: 4)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        try dir.write("catalog.yaml", Fixtures.catalog(baseURL: "http://127.0.0.1:1/v1", models: ["alpha", "beta"]))
        let script = TestScript(defaultReply: .init(text: "positive answer", ttftMs: 150, chunkDelayMs: 150))
        let store = dir.path("store.sqlite")
        let (run, arrivals) = try await TestServer.withTestServer(script: script) { server in
            let run = try await runAssay([
                "run", "--suite", dir.path("suite"), "--model", "alpha", "--model", "beta", "--catalog", dir.path("catalog.yaml"),
                "--base-url", "test=\(server.baseURL)", "--store", store, "--reports", dir.path("reports"), "--rate", "50/s", "--requests", "200",
            ])
            return (run, server.received.filter { $0.path.hasSuffix("chat/completions") }.map(\.receivedAt))
        }
        #expect(run.status == 0, "\(run)")
        #expect(arrivals.count == 200, "every scheduled request was sent, none from the cache")
        let serverRate = Double(arrivals.count - 1) / ((arrivals.max() ?? 0) - (arrivals.min() ?? 0))
        #expect(abs(serverRate / 50 - 1) < 0.02, "the server saw \(serverRate)/s")

        let manifest = try #require(try await Store(path: store).runs().first)
        let load = try #require(manifest.load)
        let achieved = try #require(load.achievedPerSecond)
        #expect(abs(achieved / 50 - 1) < 0.02, "achieved \(achieved)/s")
        #expect(load.started == 200 && load.scheduled == 200)
        #expect(load.peakInFlight > 8, "open loop: more in flight than a closed loop's 8 (\(load.peakInFlight))")
        #expect(manifest.epochs == 25, "4 cases x 2 models a pass: the plan sent 25 times, as epochs")
        #expect(manifest.settings?.cache == .off)
        #expect(run.stdout.contains("load: open loop at 50.0/s (constant), 200 of 200 requests: achieved"), "\(run.stdout)")
        #expect(run.stdout.contains("alpha under that load: latency p50"))

        let json = try JSONDecoder().decode(JSONValue.self, from: Data(try String(contentsOfFile: dir.path("reports/\(manifest.id)/summary.json"), encoding: .utf8).utf8))
        #expect(json["load"]?["started"] == 200)
        let latency = try #require(json["models"]?.arrayValue?.first?["latency_ms"]?["p50"]?.doubleValue)
        #expect(latency >= 290 && latency < 1000, "latency under load, p50 \(latency) ms")
    }

    @Test func loadFlagsAreChecked() async throws {
        let alone = try await runAssay(["run", "--suite", "evalsets/smoke-sentiment", "--model", "gemma3-270m", "--requests", "10"])
        #expect(alone.status == 2 && alone.stderr.contains("--requests shapes an open-loop load: give --rate too"), "\(alone)")
        let bad = try await runAssay(["run", "--suite", "evalsets/smoke-sentiment", "--model", "gemma3-270m", "--rate", "fast"])
        #expect(bad.status == 2 && bad.stderr.contains("--rate 'fast' is not a rate"), "\(bad)")
        let both = try await runAssay(["run", "--suite", "evalsets/smoke-sentiment", "--model", "gemma3-270m", "--rate", "5/s", "--requests", "3", "--duration", "2s"])
        #expect(both.status == 2 && both.stderr.contains("not both"), "\(both)")
    }
}
