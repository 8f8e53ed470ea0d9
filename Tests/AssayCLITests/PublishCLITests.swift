import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// `assay publish` as people use it: runs made with `assay run` (one labelled as it starts,
/// one afterwards with `assay label`), a compare and a gate kept by the verbs themselves,
/// then one site of it all.
@Suite struct PublishCLITests {
    @Test func runsLabelsACompareAndAGatePublishAsOneSite() async throws {
        let dir = try TempDirectory("assay-publish")
        defer { dir.remove() }
        let store = dir.path("s.sqlite")
        let server = try await ServeTest([
            "--suite", "evalsets/smoke-sentiment", "--wrong-model", "deepseek-v3.2", "--ttft-ms", "1",
            "--chunk-delay-ms", "0",
        ])
        defer { server.stop() }
        func run(_ models: [String], _ extra: [String]) async throws -> String {
            let result = try await runAssay(
                [
                    "run", "--suite", "evalsets/smoke-sentiment", "--store", store, "--reports", dir.path("reports"),
                    "--quiet", "--base-url", "unified=\(server.baseURL)",
                ] + models.flatMap { ["--model", $0] } + extra,
                environment: ["ASSAY_UNIFIED_API_KEY": "test-key"])
            #expect(result.status == 0, "\(result)")
            return try #require(try await Store(path: store).runs().first?.id)
        }
        let first = try await run(["v4-flash", "v3.2"], ["--label", "before V4 upgrade", "--note", "baseline week"])
        let second = try await run(["v4-flash", "qwen3-8b"], ["--run-id", "after-upgrade", "--no-cache"])
        #expect(
            try await Store(path: store).run(first)?.label == RunLabel(text: "before V4 upgrade", note: "baseline week")
        )

        let labelled = try await runAssay(["label", "latest", "after V4 upgrade", "--store", store])
        #expect(labelled.status == 0 && labelled.stdout.contains("after-upgrade"), "\(labelled)")
        #expect(try await Store(path: store).run(second)?.label == RunLabel(text: "after V4 upgrade"))

        let compare = try await runAssay([
            "compare", "\(first)@v4-flash", "\(second)@v4-flash", "--store", store, "--out", dir.path("cmp"),
        ])
        #expect(compare.status == 0, "\(compare)")
        #expect(compare.stderr.contains("kept in"), "\(compare.stderr)")
        let gate = try await runAssay([
            "gate", "--policy", "gates/upgrade.yaml", "--baseline", "\(first)@v3.2", "--candidate",
            "\(second)@v4-flash", "--store", store, "--out", dir.path("gate"),
        ])
        #expect(gate.status == 0, "\(gate)")
        let decisions = try await Store(path: store).decisions()
        #expect(decisions.map(\.kind) == [.compare, .gate])
        #expect(decisions.last?.passed == true && decisions.last?.runs == [first, second])

        let site = dir.path("site")
        let publish = try await runAssay(["publish", "--store", store, "--out", site])
        #expect(publish.status == 0, "\(publish)")
        #expect(publish.stdout.contains("published 2 runs and 2 decisions"), "\(publish.stdout)")
        let runs = try String(contentsOfFile: site + "/runs/index.html", encoding: .utf8)
        #expect(
            runs.contains("before V4 upgrade") && runs.contains("baseline week") && runs.contains("after V4 upgrade"))
        for decision in decisions {
            let page = try String(contentsOfFile: site + "/decisions/\(decision.id)/index.html", encoding: .utf8)
            #expect(page.contains("../../runs/\(first)/index.html") && page.contains("../../runs/\(second)/index.html"))
        }
        let gatePage = try String(
            contentsOfFile: site + "/decisions/\(decisions[1].id)/index.html", encoding: .utf8)
        #expect(gatePage.contains("Gate passed"))
        // The front page ranks v3.2 (every answer wrong) last among the models costed in full.
        let front = try String(contentsOfFile: site + "/index.html", encoding: .utf8)
        let order = front.components(separatedBy: "<td><a href=\"models/").dropFirst().prefix(3).map {
            String($0.prefix { $0 != "." })
        }
        #expect(order.first == "deepseek-v4-flash" && order.contains("deepseek-v3"), "\(order)")
        let again = try await runAssay(["publish", "--store", store, "--out", site])
        #expect(again.stdout.contains("0 run reports made, 2 kept; 0 files written"), "\(again.stdout)")
    }

    @Test func badLabelsAndPublishFlagsAreRefusedWithExitCode2() async throws {
        let dir = try TempDirectory("assay-publish-bad")
        defer { dir.remove() }
        let store = dir.path("s.sqlite")
        let cases: [([String], String)] = [
            (["label", "latest", "x", "--store", store], "no store here"),
            (["label", "latest", "--store", store], "give the label's TEXT, or --clear"),
            (["label", "latest", "x", "--clear", "--store", store], "--clear removes the label"),
            (["label", "latest", "two\nlines", "--store", store], "one line"),
            (["run", "--suite", "evalsets/smoke-sentiment", "--label", "  ", "--store", store], "is empty"),
            (
                ["run", "--suite", "evalsets/smoke-sentiment", "--note", "why", "--store", store],
                "--note goes with a label"
            ),
            (["publish", "--base-url", "ftp://example.com/", "--store", store], "not an http(s) URL"),
            (["publish", "--store", store, "--store", store], "named twice"),
            (["publish", "--store", store, "--out", dir.path("site")], "no store here"),
        ]
        for (arguments, message) in cases {
            let result = try await runAssay(arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        _ = try Store(path: store)
        let unknown = try await runAssay(["label", "no-such-run", "x", "--store", store])
        #expect(unknown.status == 2 && unknown.stderr.contains("no run 'no-such-run'"), "\(unknown)")
    }
}
