import AssayCore
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// The built `assay` binary, run as a user runs it.
@Suite struct CLITests {
    @Test(arguments: [
        "run", "report", "compare", "gate", "route simulate", "route compare", "models", "validate", "serve-test",
        "import humaneval", "import traffic",
    ])
    func everyVerbExplainsItselfWithAnExample(verb: String) async throws {
        let result = try await runAssay(verb.split(separator: " ").map(String.init) + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Example"), "\(verb) --help shows an example")
        #expect(result.stdout.contains("assay \(verb)"))
    }

    @Test(arguments: ["sandbox", "timing", "math"])
    func everyBenchmarkExplainsItselfWithAnExample(benchmark: String) async throws {
        let result = try await runBench([benchmark, "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Example"), "assay-bench \(benchmark) --help shows an example")
        #expect(result.stdout.contains("assay-bench \(benchmark)"))
    }

    /// The benchmarks are `assay-bench`'s: the tool users run lists none.
    @Test func assayListsNoBenchmark() async throws {
        let help = try await runAssay(["--help"])
        #expect(help.status == 0)
        let verbs = DocText.subcommands(in: help.stdout)
        #expect(verbs.contains("run") && !verbs.contains(where: { $0.contains("bench") }), "\(verbs)")
        let bench = try await runAssay(["bench", "timing"])
        #expect(bench.status == 2, "\(bench)")
    }

    @Test func benchTimingMeasuresBothShapesAgainstTheScriptedTruth() async throws {
        let result = try await runBench(["timing", "--concurrency", "8", "--rounds", "1"])
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first == "timing truth: server scripted to TTFT 200 ms and total 1000 ms, 8 requests, 8 in flight")
        #expect(
            lines.contains("  all 8 at once, in step:")
                && lines.contains("  ramped up over 1 s (--ramp-up 1), then steady:"))
        // Each shape: a TTFT and a latency line whose p50 is near its truth (a loaded machine
        // adds milliseconds, not hundreds).
        let truthLines = lines.prefix { !$0.hasPrefix("reasoning:") }
        let p50s = truthLines.compactMap { line -> Double? in
            guard let range = line.range(of: " p50 ") else { return nil }
            return Double(line[range.upperBound...].prefix(while: { $0 != "m" }).trimmingCharacters(in: .whitespaces))
        }
        #expect(p50s.count == 4, "\(lines)")
        for (index, p50) in p50s.enumerated() {
            let truth = index % 2 == 0 ? 200.0 : 1000.0
            #expect(abs(p50 - truth) < 150, "p50 \(p50) against \(truth)")
        }
        // Then the reasoning model: its tokens/s and thinking time, for both ways of streaming it.
        #expect(lines.contains("reasoning: scripted 40 tokens/s (reasoning and answer), thinking 500 ms"), "\(lines)")
        #expect(lines.filter { $0.contains(" tokens/s (error ") }.count == 2)
    }

    @Test func validatePassesTheShippedSuites() async throws {
        let result = try await runAssay(["validate", "evalsets/smoke-sentiment"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("ok: 1 suite valid"))
    }

    @Test func validateReportsEachProblemWithFileLineAndExitsTwo() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("bad/suite.yaml", "id: bad\nkind: classification\ngrader: nope\nprompt: \"{{text}}\"\n")
        try dir.write(
            "bad/cases.jsonl",
            #"{"id": "1", "input": {"text": "a"}, "expected": "x"}"# + "\n"
                + #"{"id": "1", "input": {"txt": "b"}, "expected": "y"}"#
                + "\nnot json\n")
        let fixture = Fixtures.sentimentSuite()
        try dir.write("good/suite.yaml", fixture.yaml)
        try dir.write("good/cases.jsonl", fixture.cases)
        let result = try await runAssay(["validate", dir.path])
        #expect(result.status == 2, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(dir.path("bad/suite.yaml") + ":3: unknown grader 'nope'") })
        #expect(lines.contains(dir.path("bad/cases.jsonl") + ":2: duplicate case id '1' (first used on line 1)"))
        #expect(
            lines.contains(
                dir.path("bad/cases.jsonl") + ":2: template slot '{{text}}' has no field 'text' in this case's input"))
        #expect(lines.contains { $0.hasPrefix(dir.path("bad/cases.jsonl") + ":3: invalid JSON") })
        #expect(!lines.contains { $0.contains("/good/") })
        #expect(result.stderr.contains("4 problems in 2 suites"))
    }

    @Test func hostileFilesGiveErrorsNotCrashes() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("a/suite.yaml", String(repeating: "[", count: 5000))
        try dir.write("b/suite.yaml", "id: b\nkind: code\ngrader: exact-label\nprompt: x\n")
        try dir.write(
            "b/cases.jsonl",
            String(repeating: "{\"id\": ", count: 3000) + "\n\u{0}\u{FFFF}\n" + String(repeating: "9", count: 400)
                + "\n")
        try FileManager.default.createDirectory(atPath: dir.path("c/suite.yaml"), withIntermediateDirectories: true)
        for suite in ["a", "b", "c"] {
            let result = try await runAssay(["validate", dir.path(suite)])
            #expect(result.status == 2, "\(suite): \(result)")
            #expect(result.stdout.contains(dir.path(suite)))
        }
    }

    @Test func modelsListsFamiliesAndJSON() async throws {
        let table = try await runAssay(["models"])
        #expect(table.status == 0)
        for name in [
            "DeepSeek", "Qwen", "Kimi", "GLM", "deepseek-v4-flash", "Qwen/Qwen3-VL-32B", "ASSAY_UNIFIED_API_KEY",
        ] {
            #expect(table.stdout.contains(name))
        }
        let json = try await runAssay(["models", "--json"])
        let document = try JSONDecoder().decode(JSONValue.self, from: Data(json.stdout.utf8))
        let flash = document["models"]?.arrayValue?.first { $0["id"] == "deepseek-v4-flash" }
        #expect(flash?["price"]?["output_per_million"] == 0.25)
        #expect(flash?["price"]?["input_per_million"] == 0.15)
        #expect(flash?["price"]?["cached_input_per_million"] == 0.08)
        let coder = document["models"]?.arrayValue?.first { $0["id"] == "deepseek-coder" }
        #expect(coder?["price"]?["input_per_million"] == .null, "no source quotes its input price")
        #expect(flash?["aliases"] == ["v4-flash"])
    }

    @Test func anUnknownModelExitsTwoNamingTheClosest() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let result = try await runAssay([
            "run", "--suite", "evalsets/smoke-sentiment", "--model", "qwen3-32", "--store", dir.path("never/s.sqlite"),
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown model 'qwen3-32'; did you mean 'Qwen/Qwen3-32B'"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("never")), "bad input creates no store")
    }

    @Test func aMissingKeyExitsTwoNamingTheVariable() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let result = try await runAssay(
            [
                "run", "--suite", "evalsets/smoke-sentiment", "--model", "v4-flash", "--store", dir.path("s.sqlite"),
                "--reports", dir.path("r"),
            ],
            environment: ["ASSAY_UNIFIED_API_KEY": ""])
        #expect(result.status == 2)
        #expect(result.stderr.contains("set ASSAY_UNIFIED_API_KEY to the API key of endpoint 'unified'"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("s.sqlite")), "a missing key creates no store")
    }

    @Test func runWritesTheStoreAndSummaryAndReportRebuildsItWithTheServerStopped() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: 4)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        var script = TestScript(
            defaultReply: .init(text: "negative", ttftMs: 2, usage: .init(promptTokens: 20, completionTokens: 1)))
        for index in [1, 3] {
            script.rules.append(
                .init(promptEquals: Fixtures.sentimentPrompt(index), reply: .init(text: "positive", ttftMs: 2)))
        }
        try dir.write(
            "catalog.yaml",
            Fixtures.catalog(baseURL: "http://127.0.0.1:1/v1", models: ["alpha"], input: "1.0", output: "4.0"))
        let store = dir.path("store.sqlite")
        let (run, requestCount) = try await TestServer.withTestServer(script: script) { server in
            let run = try await runAssay([
                "run", "--suite", dir.path("suite"), "--model", "alpha", "--catalog", dir.path("catalog.yaml"),
                "--base-url", "test=\(server.baseURL)", "--store", store, "--reports", dir.path("reports"),
                "--concurrency", "2",
            ])
            return (run, server.requestCount)
        }
        #expect(run.status == 0, "\(run)")
        #expect(requestCount == 4)
        #expect(run.stdout.contains("100.0%"))
        let runID = try #require(try await Store(path: store).runs().first?.id)
        let reports = dir.path("reports/\(runID)")
        #expect(run.stdout.contains("report: \(reports)/index.html"))
        var written: [String: String] = [:]
        for name in ["index.html", "report.xml", "junit.xml", "summary.json", "summary.md"] {
            written[name] = try String(contentsOfFile: reports + "/" + name, encoding: .utf8)
        }
        let json = try JSONDecoder().decode(JSONValue.self, from: Data((written["summary.json"] ?? "").utf8))
        #expect(json["models"]?.arrayValue?.first?["score"] == 1.0)
        // c2, c4: 20 prompt tokens at $1/M + 1 completion token at $4/M; c1, c3: usage counted
        // by the server as 9 prompt words ("Answer positive or negative (mini)." + the review) + 1.
        let spend = try #require(json["models"]?.arrayValue?.first?["spend"])
        #expect(spend["unknown_usage"] == 0)
        #expect(spend["output_only"] == false)
        #expect(abs((spend["cost"]?.doubleValue ?? 0) - (2 * 24e-6 + 2 * 13e-6)) < 1e-12, "\(spend)")

        // Rebuilt from the store alone (the server is gone), byte for byte, and valid.
        try FileManager.default.removeItem(atPath: reports)
        let report = try await runAssay([
            "report", "latest", "--store", store, "--reports", dir.path("reports"), "--validate",
        ])
        #expect(report.status == 0, "\(report)")
        #expect(report.stdout.contains("report.xml is valid against urn:assay:report:1"))
        for (name, text) in written {
            #expect(
                try String(contentsOfFile: reports + "/" + name, encoding: .utf8) == text, "\(name) rebuilt identically"
            )
        }
        #expect(FileManager.default.fileExists(atPath: dir.path("reports/index.html")))
        let list = try await runAssay(["report", "--list", "--store", store])
        #expect(list.stdout.contains(runID))
        let missing = try await runAssay(["report", "no-such-run", "--store", store])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no run 'no-such-run'"))
    }

    @Test func failedRequestsMakeTheRunExitThree() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: 2)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        let run = try await TestServer.withTestServer(
            script: TestScript(defaultReply: .init(text: "down", status: 500))
        ) { server in
            try dir.write("catalog.yaml", Fixtures.catalog(baseURL: server.baseURL, models: ["alpha"]))
            return try await runAssay([
                "run", "--suite", dir.path("suite"), "--model", "alpha", "--catalog", dir.path("catalog.yaml"),
                "--store", dir.path("s.sqlite"), "--reports", dir.path("reports"), "--quiet",
            ])
        }
        #expect(run.status == 3, "\(run)")
        #expect(run.stderr.contains("2 requests failed"))
        #expect(
            run.stdout.contains("completed with 2 failed requests (counted as wrong answers)"),
            "the status line agrees with the exit code: \(run)")
        #expect(run.stdout.contains("report:"), "the report is written all the same")
    }

    @Test func importHumanEvalWritesASuiteThatValidates() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let task: JSONValue = [
            "task_id": "T/0", "prompt": "def inc(x):\n", "canonical_solution": "    return x + 1\n",
            "test": "def check(candidate):\n    assert candidate(1) == 2\n", "entry_point": "inc",
        ]
        let file = try dir.write("t.jsonl", task.compactJSON + "\n")
        let result = try await runAssay(["import", "humaneval", file, "--out", dir.path("inc")])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("wrote 1 cases"))
        #expect(try await runAssay(["validate", dir.path("inc")]).status == 0)
        try dir.write("bad.jsonl", "{}\n")
        let bad = try await runAssay(["import", "humaneval", dir.path("bad.jsonl"), "--out", dir.path("bad")])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("bad.jsonl:1: missing required field 'task_id'"))
    }

    @Test func codeRunsOnlyInASandboxUnlessTheUserSaysOtherwise() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("code/suite.yaml", "id: c\nkind: code\ngrader: code\nprompt: \"{{prompt}}\"\n")
        try dir.write(
            "code/cases.jsonl",
            #"{"id": "one", "input": {"prompt": "Write one().", "entry_point": "one"}, "expected": {"tests": "def check(candidate):\n    assert candidate() == 1\n"}}"#
                + "\n")
        let script = TestScript(defaultReply: .init(text: "```python\ndef one():\n    return 1\n```"))
        let unsafe = try await TestServer.withTestServer(script: script) { server in
            try dir.write("catalog.yaml", Fixtures.catalog(baseURL: server.baseURL, models: ["alpha"]))
            let arguments = [
                "run", "--suite", dir.path("code"), "--model", "alpha", "--catalog", dir.path("catalog.yaml"),
                "--store", dir.path("s.sqlite"), "--reports", dir.path("reports"), "--quiet",
            ]
            let refused = try await runAssay(arguments, environment: ["ASSAY_BWRAP": "/nonexistent/bwrap"])
            #expect(refused.status == 2, "\(refused)")
            #expect(refused.stderr.contains("refusing to run model-written code"))
            #expect(server.requestCount == 0)

            return try await runAssay(
                arguments + ["--unsafe-no-sandbox"], environment: ["ASSAY_BWRAP": "/nonexistent/bwrap"])
        }
        #expect(unsafe.status == 0, "\(unsafe)")
        #expect(unsafe.stdout.contains("UNSAFE: model-written code ran without a sandbox"))
        let page = try String(
            contentsOfFile: dir.path(
                "reports/\(try #require(try await Store(path: dir.path("s.sqlite")).runs().first?.id))/index.html"),
            encoding: .utf8)
        #expect(page.contains("Unsafe run"))
        #expect(unsafe.stderr.contains("UNSANDBOXED"))
        let runID = try #require(try await Store(path: dir.path("s.sqlite")).runs().first?.id)
        let summary = try JSONDecoder().decode(
            JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: dir.path("reports/\(runID)/summary.json"))))
        #expect(summary["run"]?["unsandboxed_code"] == true)
        let results = try await Store(path: dir.path("s.sqlite")).results(run: runID)
        #expect(
            summary["models"]?.arrayValue?.first?["score"] == 1,
            "\(results.map { ($0.status, $0.grade?.evidence ?? [:], $0.errorMessage ?? "") })")
    }

    /// `assay serve-test` answering the shipped code suite (every 4th case wrongly), and
    /// `assay run` of that suite against it with two epochs: pass@1 and pass@2 in the summary.
    @Test func theCodeSuiteRunsAgainstServeTestWithPassAtK() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let server = try await ServeTest([
            "--suite", "evalsets/code-edge-cases", "--wrong-every", "4", "--ttft-ms", "1", "--chunk-delay-ms", "0",
        ])
        defer { server.stop() }
        try dir.write("catalog.yaml", Fixtures.catalog(baseURL: server.baseURL, models: ["alpha"]))
        let run = try await runAssay([
            "run", "--suite", "evalsets/code-edge-cases", "--model", "alpha", "--catalog", dir.path("catalog.yaml"),
            "--epochs", "2", "--concurrency", "8", "--store", dir.path("s.sqlite"), "--reports", dir.path("reports"),
            "--quiet",
        ])
        #expect(run.status == 0, "\(run)")
        let cases = try String(
            contentsOfFile: PackagePaths.root + "/evalsets/code-edge-cases/cases.jsonl", encoding: .utf8
        )
        .split(separator: "\n").count
        let right = cases - cases / 4
        let expected = Double(right) / Double(cases)
        #expect(
            run.stdout.contains("alpha on code-edge-cases: pass@1 \(String(format: "%.1f%%", expected * 100)), pass@2"),
            "\(run.stdout)")
        let runID = try #require(try await Store(path: dir.path("s.sqlite")).runs().first?.id)
        let summary = try JSONDecoder().decode(
            JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: dir.path("reports/\(runID)/summary.json"))))
        let suite = try #require(summary["models"]?.arrayValue?.first?["suites"]?.arrayValue?.first)
        #expect(suite["passed"] == .int(right * 2))
        #expect(abs((suite["pass_at_k"]?["1"]?.doubleValue ?? 0) - expected) < 1e-9)
        #expect(
            abs((suite["pass_at_k"]?["2"]?.doubleValue ?? 0) - expected) < 1e-9,
            "the same answer twice: pass@2 = pass@1")
        #expect(summary["run"]?["sandbox"]?.stringValue?.hasPrefix("bubblewrap") == true)
    }
}
