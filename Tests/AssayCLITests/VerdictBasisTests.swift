import AssayCore
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// Verdicts that cannot mislead: every number that feeds one carries its basis (a full or an
/// output-only cost, a fresh or a replayed answer), and a verdict refuses what it cannot compare.
@Suite struct VerdictBasisTests {
    /// A run of two models as the shipped catalog prices them: `flash` with a quoted input
    /// price, `pro` with its output price only (V4 Flash and V4 Pro).
    func runTwoModels(_ dir: TempDirectory, _ server: TestServer, extra: [String] = []) async throws -> CommandResult {
        let fixture = Fixtures.sentimentSuite(count: 6)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        try dir.write(
            "catalog.yaml",
            """
            prices: {currency: USD, date: "2026-11-23", source: test}
            endpoints:
              - {name: test, base_url: "http://127.0.0.1:1/v1", api_key_env: null}
            models:
              - {id: flash, family: Test, endpoint: test, capabilities: [text], price: {input: 0.15, output: 0.25}}
              - {id: pro, family: Test, endpoint: test, capabilities: [text], price: {input: null, output: 0.78}}
            """)
        return try await runAssay(
            [
                "run", "--suite", dir.path("suite"), "--model", "flash", "--model", "pro", "--catalog",
                dir.path("catalog.yaml"),
                "--base-url", "test=\(server.baseURL)", "--store", dir.path("store.sqlite"), "--reports",
                dir.path("reports"),
            ] + extra)
    }

    static let script = TestScript(
        defaultReply: .init(text: "positive", ttftMs: 2, usage: .init(promptTokens: 150, completionTokens: 3)))

    @Test func aCostRuleOverDifferentBasesExitsTwoUntilAnAssumptionIsStated() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("gate.yaml", "max_cost_increase_percent: 50\n")
        try await TestServer.withTestServer(script: Self.script) { server in
            let run = try await runTwoModels(dir, server)
            #expect(run.status == 0, "\(run)")
            let gate = [
                "gate", "--policy", dir.path("gate.yaml"), "--run", "latest", "--baseline", "flash", "--candidate",
                "pro", "--store", dir.path("store.sqlite"),
            ]
            let refused = try await runAssay(gate + ["--out", dir.path("gate-refused")])
            #expect(refused.status == 2, "a full cost against an output-only one is not compared: \(refused)")
            #expect(refused.stderr.contains("cost basis: output tokens only"), "\(refused.stderr)")
            #expect(refused.stderr.contains("--assume-input-ratio"), "it says how to fix it: \(refused.stderr)")

            // With an explicit assumption the rule judges, and the verdict's files say what was assumed:
            // pro's 150 prompt tokens at 0.6 x 0.78 make it about 3.6 times flash's cost, past +50%.
            let assumed = try await runAssay(gate + ["--assume-input-ratio", "0.6", "--out", dir.path("gate-assumed")])
            #expect(assumed.status == 1, "\(assumed)")
            #expect(assumed.stdout.contains("FAIL  cost increase"), "\(assumed.stdout)")
            #expect(assumed.stdout.contains("cost basis: input tokens at an assumed price"), "\(assumed.stdout)")
            let markdown = try String(contentsOfFile: dir.path("gate-assumed/summary.md"), encoding: .utf8)
            #expect(markdown.contains("estimated costs: input tokens at 0.6 x the output price"), "\(markdown)")

            // Reports rank pro apart until an assumption is stated, and then say what it was.
            let plain = try JSONDecoder().decode(
                JSONValue.self,
                from: Data(try String(contentsOfFile: try summaryPath(dir, "reports"), encoding: .utf8).utf8))
            #expect(plain["rankings"]?["output_only"] == ["pro"])
            #expect(
                plain["rankings"]?["by_quality_per_dollar"]?.arrayValue?.last == "pro",
                "ranked after the model costed in full")
            #expect(plain["frontier"]?.arrayValue?.contains("pro") == false, "an output-only cost is off the frontier")
            let report = try await runAssay(
                [
                    "report", "latest", "--store", dir.path("store.sqlite"), "--reports", dir.path("estimated"),
                    "--assume-input-ratio", "0.6",
                ])
            #expect(report.status == 0, "\(report)")
            #expect(
                report.stdout.contains("~ estimated cost: input tokens at 0.6 x the output price"), "\(report.stdout)")
            let estimated = try String(contentsOfFile: try summaryPath(dir, "estimated"), encoding: .utf8)
            #expect(
                estimated.contains("\"cost_basis\":\"estimated\"")
                    || estimated.contains("\"cost_basis\": \"estimated\""), "\(estimated.prefix(400))")
            let html = try String(
                contentsOfFile: try summaryPath(dir, "estimated").replacingOccurrences(
                    of: "summary.json", with: "index.html"), encoding: .utf8)
            #expect(html.contains("are <strong>estimated</strong>: input tokens at 0.6 x the output price"))
            let bad = try await runAssay([
                "report", "latest", "--store", dir.path("store.sqlite"), "--assume-input-ratio", "-1",
            ])
            #expect(bad.status == 2 && bad.stderr.contains("--assume-input-ratio"), "\(bad)")
        }
    }

    @Test func aCachedRerunSaysSoEverywhereAndATimingGateRefusesIt() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("sla.yaml", "max_p99_ms: 800\n")
        try await TestServer.withTestServer(script: Self.script) { server in
            let first = try await runTwoModels(dir, server)
            #expect(first.status == 0, "\(first)")
            #expect(!first.stdout.contains("replayed from cache"), "the first run asked every item")
            let second = try await runTwoModels(dir, server)
            #expect(second.status == 0, "\(second)")
            #expect(second.stdout.contains("12 of 12 answers replayed from cache"), "\(second.stdout)")
            #expect(second.stderr.contains("replayed from cache 6"), "the progress line says it: \(second.stderr)")
            let manifests = try await Store(path: dir.path("store.sqlite")).runs()
            let rerun = try #require(manifests.first { $0.startedAt == manifests.map(\.startedAt).max() })
            let markdown = try String(contentsOfFile: dir.path("reports/\(rerun.id)/summary.md"), encoding: .utf8)
            #expect(markdown.contains("**Replayed from cache:** 12 of 12 answers"), "\(markdown)")
            let html = try String(contentsOfFile: dir.path("reports/\(rerun.id)/index.html"), encoding: .utf8)
            #expect(html.contains("<strong>Replayed from cache:</strong> 12 of 12 answers"))

            let gate = try await runAssay([
                "gate", "--policy", dir.path("sla.yaml"), "--baseline",
                "\(manifests.first { $0.id != rerun.id }?.id ?? "")@flash",
                "--candidate", "\(rerun.id)@flash", "--store", dir.path("store.sqlite"), "--out", dir.path("gate"),
            ])
            #expect(gate.status == 2, "a latency rule with no fresh answer judges nothing: \(gate)")
            #expect(gate.stderr.contains("no fresh timing"), "\(gate.stderr)")
            let compare = try await runAssay([
                "compare", "\(manifests.first { $0.id != rerun.id }?.id ?? "")@flash", "\(rerun.id)@flash", "--store",
                dir.path("store.sqlite"),
                "--out", dir.path("compare"),
            ])
            #expect(compare.status == 0, "\(compare)")
            #expect(
                compare.stdout.contains(
                    "the candidate replayed 6 of its 6 paired answers from the response cache (first asked 20"),
                "\(compare.stdout)")
            #expect(markdown.contains(", first asked 20"), "when the replayed answers were first asked: \(markdown)")

            // A bounded age asks again what is older, and refreshes the cache.
            try await Task.sleep(for: .milliseconds(1100))
            let asked = server.received.count
            let bounded = try await runTwoModels(dir, server, extra: ["--max-cache-age", "1s"])
            #expect(bounded.status == 0, "\(bounded)")
            #expect(server.received.count - asked == 12, "every answer was older than a second: asked again")
            #expect(!bounded.stdout.contains("replayed from cache"), "\(bounded.stdout)")
            let young = try await runTwoModels(dir, server, extra: ["--max-cache-age", "1d"])
            #expect(young.stdout.contains("12 of 12 answers replayed from cache"), "\(young.stdout)")
            let bad = try await runTwoModels(dir, server, extra: ["--max-cache-age", "soon"])
            #expect(bad.status == 2 && bad.stderr.contains("--max-cache-age 'soon' is not an age"), "\(bad)")
        }
    }

    /// Shards written by separate processes of the shipped catalog merge: a model's
    /// capabilities are a set, and a set's order differs from process to process, so the
    /// manifests must write them sorted (Qwen3-Omni has three).
    @Test func fourShardsOverTheShippedCatalogMerge() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: 8)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        try await TestServer.withTestServer(script: Self.script) { server in
            func run(_ store: String, _ extra: [String]) async throws -> CommandResult {
                try await runAssay(
                    [
                        "run", "--suite", dir.path("suite"), "--model", "qwen3-omni", "--model", "glm4.6v", "--model",
                        "v4-flash",
                        "--base-url", "unified=\(server.baseURL)", "--store", dir.path(store), "--reports",
                        dir.path("reports-\(store)"),
                        "--no-cache", "--run-id", "sweep",
                    ] + extra, environment: ["ASSAY_UNIFIED_API_KEY": "test-key"])
            }
            let whole = try await run("whole.sqlite", [])
            #expect(whole.status == 0, "\(whole)")
            var stores: [String] = []
            for index in 1...4 {
                let shard = try await run("shard-\(index).sqlite", ["--shard", "\(index)/4"])
                #expect(shard.status == 0 || shard.status == 3, "\(shard)")
                stores.append(dir.path("shard-\(index).sqlite"))
            }
            let merge = try await runAssay(["merge"] + stores + ["--into", dir.path("merged.sqlite")])
            #expect(merge.status == 0, "\(merge)")
            let report = try await runAssay([
                "report", "sweep", "--store", dir.path("merged.sqlite"), "--reports", dir.path("reports-merged"),
            ])
            #expect(report.status == 0, "\(report)")
            func summary(_ reports: String) throws -> JSONValue {
                try JSONDecoder().decode(
                    JSONValue.self,
                    from: Data(contentsOf: URL(fileURLWithPath: dir.path("\(reports)/sweep/summary.json"))))
            }
            #expect(
                ShardMergeTests.untimed(try summary("reports-merged"))
                    == ShardMergeTests.untimed(try summary("reports-whole.sqlite")))
        }
    }

    /// The newest run's summary.json under `reports`.
    func summaryPath(_ dir: TempDirectory, _ reports: String) throws -> String {
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir.path(reports)).filter { $0 != "index.html" }
            .sorted()
        return dir.path("\(reports)/\(try #require(runs.last))/summary.json")
    }
}
