import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// One stored run for the comparing verbs: the three suites the example routing policies
/// name, asked of every model they route to, through the shipped catalog, against
/// `assay serve-test` answering every case right except for GLM-4-9B, which answers every
/// one with "I do not know." (an invalid answer).
struct StoredRunFixture: Sendable {
    let directory: String
    let store: String
    let runID: String

    static let suites = [
        "evalsets/chinese-classification/intent", "evalsets/chinese-classification/sentiment",
        "evalsets/multistep-math",
    ]
    static let models = ["v4-flash", "qwen3-8b", "glm4-9b", "k2.5", "qwen3-32b"]

    /// Made once per test process and shared: the tests only read it.
    static let shared = Task { try await make() }

    static func make() async throws -> StoredRunFixture {
        let dir = try TempDirectory("assay-compare")
        let server = try await ServeTest(
            ["--wrong-model", "GLM-4-9B", "--ttft-ms", "1", "--chunk-delay-ms", "0"]
                + suites.flatMap { ["--suite", $0] })
        defer { server.stop() }
        let run = try await runAssay(
            [
                "run", "--concurrency", "16", "--store", dir.path("s.sqlite"), "--reports", dir.path("reports"),
                "--quiet", "--base-url", "unified=\(server.baseURL)",
            ]
                + suites.flatMap { ["--suite", $0] } + models.flatMap { ["--model", $0] },
            environment: ["ASSAY_UNIFIED_API_KEY": "test-key"])
        guard run.status == 0 else { throw CommandError(description: "the fixture run failed: \(run)") }
        guard let id = try await Store(path: dir.path("s.sqlite")).runs().first?.id else {
            throw CommandError(description: "no run stored")
        }
        return StoredRunFixture(directory: dir.path, store: dir.path("s.sqlite"), runID: id)
    }

    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
}

@Suite struct CompareGateRouteTests {
    @Test func compareTwoModelsOfOneRunWritesHTMLMarkdownAndJSON() async throws {
        let fixture = try await StoredRunFixture.shared.value
        let out = fixture.path("compare-\(UUID().uuidString)")
        let result = try await runAssay([
            "compare", "v4-flash", "glm4-9b", "--run", "latest", "--store", fixture.store, "--out", out,
        ])
        #expect(result.status == 0, "\(result)")
        // GLM-4-9B broke every classification item and every math item.
        let intent = result.stdout.split(separator: "\n").first { $0.hasPrefix("zh-intent ") }.map(String.init) ?? ""
        #expect(
            intent.contains(" 40 ") && intent.contains("100.0%") && intent.contains("0.0%")
                && intent.contains("-100.0 pts"), "\(result.stdout)")
        #expect(result.stdout.contains("McNemar p"))
        for name in ["index.html", "summary.md", "comparison.json"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name)")
        }
        let json = try JSONDecoder().decode(
            JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/comparison.json")))
        #expect(json["base"]?.stringValue == "\(fixture.runID)@deepseek-v4-flash")
        #expect(json["paired_items"] == 142)
        #expect(json["suites"]?.arrayValue?.count == 3)
        let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(html.contains("Broken items: zh-intent"))
    }

    @Test func projectPricesAMonthPerModelAndPolicy() async throws {
        let fixture = try await StoredRunFixture.shared.value
        let result = try await runAssay([
            "project", "--run", "latest", "--store", fixture.store, "--mix", "zh-intent=80,multistep-math=20",
            "--requests", "30M",
            "--routing", "routing/cheap-first.yaml",
        ])
        #expect(result.status == 0, "\(result)")
        #expect(
            result.stdout.contains("mix: zh-intent 80.0%, multistep-math 20.0%")
                && result.stdout.contains("30M requests a month"), "\(result.stdout)")
        let line = { (name: String) in
            result.stdout.split(separator: "\n").first { $0.hasPrefix(name + " ") }.map(String.init) ?? ""
        }
        #expect(line("GLM-4-9B").contains(" 0.0% "), "it answered nothing right: \(result.stdout)")
        #expect(line("deepseek-v4-flash").contains("100.0%") && line("deepseek-v4-flash").contains("30M"))
        #expect(line("policy cheap-first").contains("30M"))
        #expect(line("Qwen/Qwen3-8B").hasSuffix("*"), "no input price: output only, flagged")

        let unknown = try await runAssay([
            "project", "--run", "latest", "--store", fixture.store, "--mix", "nope=1", "--requests", "1M",
        ])
        #expect(unknown.status == 2 && unknown.stderr.contains("--mix names nope, not in run"), "\(unknown)")
        let neither = try await runAssay([
            "project", "--run", "latest", "--store", fixture.store, "--mix", "zh-intent=1",
        ])
        #expect(neither.status == 2 && neither.stderr.contains("give --requests or --tokens"))
    }

    @Test func compareNamesWhatIsMissing() async throws {
        let fixture = try await StoredRunFixture.shared.value
        let ambiguous = try await runAssay(["compare", fixture.runID, "latest@v4-flash", "--store", fixture.store])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stderr.contains("has 5 models"), "\(ambiguous)")
        let unknown = try await runAssay(["compare", "nope@v4-flash", "latest@v4-flash", "--store", fixture.store])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no run 'nope' in the store"))
        let noStore = try await runAssay(["compare", "a", "b", "--store", fixture.path("missing.sqlite")])
        #expect(noStore.status == 2)
        #expect(noStore.stderr.contains("no store here"))
    }

    @Test func theGateExitsZeroWhenItPassesOneWhenItFailsAndTwoOnBadInput() async throws {
        let fixture = try await StoredRunFixture.shared.value
        let gate = fixture.path("gate-\(UUID().uuidString).yaml")
        try """
        required_suites: [zh-intent, zh-sentiment, multistep-math]
        min_score: {"*": 0.9}
        regression_tolerance: 0.02
        max_cost_increase_percent: 10
        max_error_rate: 0.01
        """.write(toFile: gate, atomically: true, encoding: .utf8)
        // Qwen3-8B and GLM-4-9B have no quoted input price: their costs are compared with V4
        // Flash's full one only with a stated assumption (without it the gate exits 2).
        let plain = ["gate", "--policy", gate, "--run", "latest", "--store", fixture.store]
        let refused = try await runAssay(
            plain + [
                "--baseline", "v4-flash", "--candidate", "qwen3-8b", "--out",
                fixture.path("refused-\(UUID().uuidString)"),
            ])
        #expect(refused.status == 2 && refused.stderr.contains("cost basis: output tokens only"), "\(refused)")
        let common = plain + ["--assume-input-ratio", "0.5"]

        // Qwen3-8B answers as well as V4 Flash, for a 25th of the price: pass.
        let passOut = fixture.path("pass-\(UUID().uuidString)")
        let pass = try await runAssay(common + ["--baseline", "v4-flash", "--candidate", "qwen3-8b", "--out", passOut])
        #expect(pass.status == 0, "\(pass)")
        #expect(pass.stdout.contains("gate passed"))
        #expect(pass.stdout.contains("pass  cost increase"))

        // GLM-4-9B gets everything wrong: fail, with each failed rule and its numbers.
        let failOut = fixture.path("fail-\(UUID().uuidString)")
        let fail = try await runAssay(common + ["--baseline", "v4-flash", "--candidate", "glm4-9b", "--out", failOut])
        #expect(fail.status == 1, "\(fail)")
        #expect(
            fail.stdout.contains("FAIL  min score zh-intent: zh-intent: 0.0% against a minimum of 90.0%"),
            "\(fail.stdout)")
        #expect(
            fail.stdout.contains(
                "FAIL  no significant regression on zh-intent: zh-intent: 100.0% -> 0.0%, -100.0 points"))
        #expect(fail.stdout.contains("0 fixed / 40 broken, McNemar p = 1.819e-12 < 0.05"), "\(fail.stdout)")
        #expect(fail.stderr.contains("gate failed"))
        let junit = try String(contentsOfFile: failOut + "/junit.xml", encoding: .utf8)
        #expect(
            junit.contains("<failure type=\"gate\" message=\"zh-intent: 0.0% against a minimum of 90.0%\""), "\(junit)")
        let summary = try String(contentsOfFile: failOut + "/summary.md", encoding: .utf8)
        #expect(summary.hasPrefix("## Assay gate failed"))

        // Bad input: a policy that does not parse, a model the run lacks.
        let badPolicy = fixture.path("bad-\(UUID().uuidString).yaml")
        try "alpha: 3\n".write(toFile: badPolicy, atomically: true, encoding: .utf8)
        let bad = try await runAssay([
            "gate", "--policy", badPolicy, "--run", "latest", "--store", fixture.store, "--baseline", "v4-flash",
            "--candidate", "qwen3-8b",
        ])
        #expect(bad.status == 2, "\(bad)")
        #expect(bad.stderr.contains("\(badPolicy):1: alpha must be between 0 and 1"))
        let noPolicy = try await runAssay(["gate", "--baseline", "v4-flash", "--candidate", "qwen3-8b"])
        #expect(noPolicy.status == 2, "a command line that does not parse is bad input too: \(noPolicy)")
        #expect(noPolicy.stderr.contains("Missing expected argument '--policy <file>'"))
        let missing = try await runAssay(common + ["--baseline", "v4-flash", "--candidate", "glm5"])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("has no model 'glm5'"))
    }

    @Test(arguments: [
        "cheap-first", "reasoning-to-kimi", "flash-with-failover", "keyword-to-kimi", "flash-windowed-failover",
    ])
    func routeSimulatePrintsTheExamplePoliciesScoreAndCostPerSuite(policy: String) async throws {
        let fixture = try await StoredRunFixture.shared.value
        let result = try await runAssay([
            "route", "simulate", "routing/\(policy).yaml", "--run", "latest", "--store", fixture.store,
        ])
        #expect(result.status == 0, "\(result)")
        for suite in ["zh-intent", "zh-sentiment", "multistep-math"] {
            let row = result.stdout.split(separator: "\n").first { $0.hasPrefix(suite + " ") }
            #expect(row?.contains("100.0%") == true, "\(suite): \(result.stdout)")
            #expect(row?.contains("$") == true, "cost per 1k on \(suite)")
        }
        #expect(result.stdout.contains("how often each rule fired"))
    }

    @Test func routeSimulateCountsRulesAndFallbacksInJSON() async throws {
        let fixture = try await StoredRunFixture.shared.value
        let result = try await runAssay([
            "route", "simulate", "routing/cheap-first.yaml", "--run", "latest", "--store", fixture.store, "--json",
        ])
        #expect(result.status == 0, "\(result)")
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(result.stdout.utf8))
        let rules = try #require(json["rules"]?.arrayValue)
        // GLM-4-9B took the 40 intent items and answered none: all 40 went on to V4 Flash.
        #expect(rules[0]["items"] == 40 && rules[0]["fell_back"] == 40, "\(rules[0])")
        #expect(rules[1]["items"] == 36 && rules[1]["fell_back"] == 0)
        #expect(rules[2]["items"] == 66 && rules[2]["fell_back"] == .null)
        let suites = try #require(json["suites"]?.arrayValue)
        let intent = try #require(suites.first { $0["suite"] == "zh-intent" })
        #expect(intent["score"] == 1)
        // Each intent item paid for GLM-4-9B's answer and V4 Flash's: more than V4 Flash alone.
        let flash = try await runAssay([
            "route", "simulate", "routing/flash-with-failover.yaml", "--run", "latest", "--store", fixture.store,
            "--json",
        ])
        let flashJSON = try JSONDecoder().decode(JSONValue.self, from: Data(flash.stdout.utf8))
        let flashIntent = try #require(flashJSON["suites"]?.arrayValue?.first { $0["suite"] == "zh-intent" })
        #expect((intent["cost_per_1k"]?.doubleValue ?? 0) > (flashIntent["cost_per_1k"]?.doubleValue ?? .infinity))
    }

    /// Production's 80/10/5/5 mix (V4 Flash's code and text 80, images 10, reasoning 5,
    /// Chinese 5): the run has Chinese classification and math, no images, code or other
    /// text, so the two 5s are renormalised to 1/2 each and the other two shares are named as
    /// missing.
    @Test func routeSimulateWeighsByATrafficMix() async throws {
        let fixture = try await StoredRunFixture.shared.value
        let args = [
            "route", "simulate", "routing/cheap-first.yaml", "--run", "latest", "--store", fixture.store, "--traffic",
            "traffic/production-80-10-5-5.yaml",
        ]
        let result = try await runAssay(args + ["--json"])
        #expect(result.status == 0, "\(result)")
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(result.stdout.utf8))
        let shares = try #require(json["weighted"]?["shares"]?.arrayValue)
        #expect(shares.map { $0["name"]?.stringValue ?? "" } == ["vision", "chinese", "reasoning", "code-and-text"])
        #expect(shares.map { $0["items"] } == [0, 76, 66, 0])
        #expect(
            abs((shares[1]["weight"]?.doubleValue ?? 0) - 0.5) < 1e-12
                && abs((shares[2]["weight"]?.doubleValue ?? 0) - 0.5) < 1e-12)
        #expect(
            abs((json["weighted"]?["score"]?.doubleValue ?? 0) - 1) < 1e-9, "every routed answer is right in this run")
        let text = try await runAssay(args)
        #expect(
            text.stdout.contains("weighted by traffic/production-80-10-5-5.yaml: score 100.0%")
                && text.stdout.contains("vision: no items, left out"),
            "\(text.stdout)")

        let bad = fixture.path("mix-\(UUID().uuidString).yaml")
        try
            "traffic:\n  - {name: a, match: {kind: classification}, weight: 0}\n  - {name: b, match: {knd: math}, weight: 1}\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try await runAssay([
            "route", "simulate", "routing/cheap-first.yaml", "--run", "latest", "--store", fixture.store, "--traffic",
            bad,
        ])
        #expect(refused.status == 2, "\(refused)")
        #expect(
            refused.stderr.contains("\(bad):2") && refused.stderr.contains("weight must be a number above 0"),
            "\(refused.stderr)")
        #expect(refused.stderr.contains("\(bad):3") && refused.stderr.contains("knd"), "\(refused.stderr)")
    }

    @Test func aRoutedModelWithNoResultsIsAnErrorThatNamesIt() async throws {
        let fixture = try await StoredRunFixture.shared.value
        let policy = fixture.path("glm5-\(UUID().uuidString).yaml")
        try
            "name: glm5\nrules:\n  - match: {kind: math}\n    model: glm5\n  - model: v4-flash\n    fallback: {model: v3.2}\n"
            .write(toFile: policy, atomically: true, encoding: .utf8)
        let result = try await runAssay(["route", "simulate", policy, "--run", "latest", "--store", fixture.store])
        #expect(result.status == 2, "\(result)")
        #expect(
            result.stderr.contains("model GLM-5 (rule 'rule 1') has no results for suite multistep-math in this run"),
            "\(result.stderr)")
    }

    @Test func routeCompareGatesTheCandidatePolicy() async throws {
        let fixture = try await StoredRunFixture.shared.value
        let gate = fixture.path("route-gate-\(UUID().uuidString).yaml")
        try "min_score: {\"*\": 0.9}\nregression_tolerance: 0.02\n".write(
            toFile: gate, atomically: true, encoding: .utf8)
        let glm = fixture.path("glm-\(UUID().uuidString).yaml")
        try "name: glm-everything\nrules:\n  - model: glm4-9b\n".write(toFile: glm, atomically: true, encoding: .utf8)
        let out = fixture.path("route-\(UUID().uuidString)")
        let good = try await runAssay([
            "route", "compare", "routing/flash-with-failover.yaml", "routing/cheap-first.yaml", "--run", "latest",
            "--store", fixture.store,
            "--policy", gate, "--out", out,
        ])
        #expect(good.status == 0, "\(good)")
        #expect(good.stdout.contains("flash-with-failover: score"), "side by side: \(good.stdout)")
        #expect(good.stdout.contains("cheap-first: score"))
        let bad = try await runAssay([
            "route", "compare", "routing/flash-with-failover.yaml", glm, "--run", "latest", "--store", fixture.store,
            "--policy", gate, "--out", out,
        ])
        #expect(bad.status == 1, "\(bad)")
        #expect(bad.stdout.contains("FAIL  no significant regression on zh-sentiment"))
        let summary = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        #expect(summary.contains("### Routing policies (simulated from stored answers)"))
    }
}
