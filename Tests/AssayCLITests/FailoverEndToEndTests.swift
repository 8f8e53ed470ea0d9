import AssayCore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// The seeds' windowed failover, end to end: a real run against the test server, whose V4
/// Flash slows down at its 70th to 72nd requests and fails its 120th and 121st; then
/// `assay route simulate` on the stored run. Where each rule fires is computed by hand:
///
/// - seed 001 verbatim (routing/flash-windowed-failover.yaml: errors over 0.5% or p99 over
///   800 ms, window 100, after 50): after the 70th answer, the p99 of 70 latencies (nearest
///   rank: the 70th of 70, the slowest) is about 1,000 ms: c71 is the first item diverted,
///   and the 130 items from c71 to c200 go to Qwen3-32B unasked (a window that fired holds);
/// - errors only: after the 120th answer (a 500), 1 error in the last 100 is 1% > 0.5%: c121
///   first, 80 items;
/// - p99 only, warm-up 80: nothing may fire before the 80th answer, when the three slow ones
///   are still in the window: c81 first, 120 items.
@Suite(.enabled(if: WallClock.isQuiet, "latencies against 800 ms: run alone, by scripts/test (ASSAY_QUIET_TESTS=1)"))
struct FailoverEndToEndTests {
    static let cases = 200

    @Test func routeSimulateFiresWhereTheHandComputationSays() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: Self.cases)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        var script = TestScript(defaultReply: .init(text: "negative", ttftMs: 1))
        for index in 1...Self.cases {
            script.rules.append(
                .init(
                    promptEquals: Fixtures.sentimentPrompt(index),
                    reply: .init(text: Fixtures.sentimentLabel(index), ttftMs: 1)))
        }
        script.episodes = [
            TestEpisode(model: "v4-flash", requests: 70...72, ttftMs: 1000),
            TestEpisode(model: "v4-flash", requests: 120...121, status: 500),
        ]
        try dir.write(
            "plan.yaml",
            """
            suites: [\(dir.path("suite"))]
            models: [v4-flash, qwen3-32b]
            concurrency: 1                  # sent in item order: the server's request numbers are the cases'
            retry: {max_attempts: 1}        # a 500 is one failed request, not retried into the next number
            catalog: \(dir.path("catalog.yaml"))
            store: \(dir.path("store.sqlite"))
            reports: \(dir.path("reports"))
            """)
        try dir.write(
            "errors-only.yaml",
            """
            name: errors-only
            rules:
              - {name: flash, model: v4-flash, fallback: {model: qwen3-32b, on: [error], error_rate_over: 0.005, window: 100, min_requests: 50}}
            """)
        try dir.write(
            "p99-after-80.yaml",
            """
            name: p99-after-80
            rules:
              - {name: flash, model: v4-flash, fallback: {model: qwen3-32b, on: [error], p99_over_ms: 800, window: 100, min_requests: 80}}
            """)
        let run = try await TestServer.withTestServer(script: script) { server in
            try dir.write(
                "catalog.yaml",
                Fixtures.catalog(
                    baseURL: server.baseURL, models: ["v4-flash", "qwen3-32b"], input: "0.14", output: "0.28"))
            return try await runAssay(["run", "--plan", dir.path("plan.yaml")])
        }
        // Exit 3: the two failed requests leave the run incomplete (resumable), as they should.
        #expect(run.status == 3 && (run.stdout + run.stderr).contains("2 requests failed"), "\(run)")

        var availability: [String: JSONValue] = [:]
        func firing(_ policy: String) async throws -> JSONValue? {
            let result = try await runAssay([
                "route", "simulate", policy, "--run", "latest", "--store", dir.path("store.sqlite"), "--json",
            ])
            #expect(result.status == 0, "\(result)")
            let json = try JSONDecoder().decode(JSONValue.self, from: Data(result.stdout.utf8))
            availability[policy] = json["attempts"]
            return json["rules"]?.arrayValue?.first?["failover"]
        }
        let seed = try #require(try await firing("routing/flash-windowed-failover.yaml"))
        #expect(seed["first_item"] == "mini/c71" && seed["after_answers"] == 70 && seed["items"] == 130, "\(seed)")
        #expect(
            seed["reason"]?.stringValue?.hasPrefix("p99 10") == true
                && seed["reason"]?.stringValue?.contains("over the last 70 requests (limit 800 ms)") == true)

        let errors = try #require(try await firing(dir.path("errors-only.yaml")))
        #expect(
            errors["first_item"] == "mini/c121" && errors["after_answers"] == 120 && errors["items"] == 80, "\(errors)")
        #expect(errors["reason"] == "error rate 1.0% over the last 100 requests (limit 0.5%)")

        let warm = try #require(try await firing(dir.path("p99-after-80.yaml")))
        #expect(warm["first_item"] == "mini/c81" && warm["after_answers"] == 80 && warm["items"] == 120, "\(warm)")

        // Availability under each policy, from the attempts the run made for the requests the
        // policy would send: the seed's router diverted Flash before its failing 120th and
        // 121st requests (200 of 200); errors-only asked Flash 120 times (119 answered), then
        // Qwen for the failed 120th (on: [error]) and the 80 diverted (200 of 201).
        #expect(
            availability["routing/flash-windowed-failover.yaml"]?["succeeded"] == 200
                && availability["routing/flash-windowed-failover.yaml"]?["attempts"] == 200)
        #expect(
            availability[dir.path("errors-only.yaml")]?["succeeded"] == 200
                && availability[dir.path("errors-only.yaml")]?["attempts"] == 201)

        // A gate on TTFT p99 and availability fails the errors-only policy against the seed's.
        try dir.write("sla.yaml", "regression_tolerance: 0.5\nmax_ttft_p99_ms: 800\nmin_availability: 0.999\n")
        let gate = try await runAssay([
            "route", "compare", "routing/flash-windowed-failover.yaml", dir.path("errors-only.yaml"), "--run", "latest",
            "--store", dir.path("store.sqlite"),
            "--policy", dir.path("sla.yaml"), "--out", dir.path("gate"),
        ])
        #expect(gate.status == 1, "\(gate)")
        #expect(
            gate.stdout.contains(
                "FAIL  availability: 200 of 201 attempts succeeded (99.50%) against a minimum of 99.90%"),
            "\(gate.stdout)")
        #expect(
            gate.stdout.contains("FAIL  TTFT p99: TTFT p99 10"),
            "the errors-only policy keeps Flash's 1 s spike: \(gate.stdout)")

        // The stored attempts say the same: 2 of V4 Flash's 200 attempts failed, both 5xx.
        let summary = try JSONDecoder().decode(
            JSONValue.self,
            from: Data(try String(contentsOfFile: try reportPath(dir, "summary.json"), encoding: .utf8).utf8))
        let flash = summary["attempts"]?["models"]?.arrayValue?.first { $0["model"] == "v4-flash" }
        #expect(
            flash?["attempts"] == 200 && flash?["server_errors"] == 2 && flash?["availability"] == 0.99,
            "\(String(describing: flash))")
    }

    func reportPath(_ dir: TempDirectory, _ name: String) throws -> String {
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir.path("reports")).filter {
            $0 != "index.html"
        }
        return dir.path("reports/\(try #require(runs.first))/\(name)")
    }
}
