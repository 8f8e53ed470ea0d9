import AssayConfig
import AssayCore
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// `assay import traffic` as a user runs it: a sample of production requests becomes a chat
/// suite and a traffic mix, a run asks both models of the keyword router, and `assay route
/// simulate` sends exactly the prompts that hold the router's words to Kimi.
@Suite struct TrafficImportEndToEndTests {
    static let policy = "routing/keyword-to-kimi.yaml"

    /// The keyword router's rules, read from the shipped policy (its words are not copied here).
    static func router() throws -> RoutingPolicy {
        try RoutingPolicyFile.load(
            PackagePaths.root + "/" + policy, catalog: CatalogFile.load(PackagePaths.root + "/catalog/models.yaml"))
    }

    /// `word` written in one of four casings, so that matching must fold case.
    static func casing(_ word: String, _ index: Int) -> String {
        switch index % 4 {
        case 0: return word.uppercased()
        case 1: return word.prefix(1).uppercased() + word.dropFirst()
        case 2:
            return String(
                word.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.uppercased()) : $0.element })
        default: return word
        }
    }

    /// Production-like requests that hold none of the router's words.
    static let plain = [
        "Summarise the meeting notes for team %d",
        "Write a haiku about the sea, number %d",
        "Translate 'good morning' into Spanish (%d)",
        "Draft a polite note declining invitation %d",
        "给我写一首关于春天的短诗 %d",
        "List three red fruits for shopping list %d",
        "What time zone is Tokyo in? Ticket %d",
    ]

    /// The sample: 200 requests in every shape a log holds, of which exactly the 20 at
    /// index 3, 13, 23, ... hold one of the router's words in their last user message (the
    /// others hold them, if at all, only in a system prompt or an earlier turn, which a
    /// routing rule does not read). Labels say which model should answer: the scripted
    /// server makes Kimi right on exactly "kimi" and Flash on exactly "flash", so a routing
    /// that scores 100% sent every item to its labelled model.
    static func sample(words: [String]) -> (lines: [String], kimi: Set<String>, prompts: [String: String]) {
        var lines: [String] = []
        var kimi = Set<String>()
        var prompts: [String: String] = [:]
        for index in 0..<200 {
            let id = String(format: "req-%03d", index)
            let keyword = index % 10 == 3
            var prompt =
                keyword
                ? "Request \(index): \(casing(words[(index / 10) % words.count], index / 10)) this for me, please."
                : String(format: plain[index % plain.count], index)
            if index % 25 == 0 { prompt += " Reply to user\(index)@example.com." }
            if keyword { kimi.insert(id) }
            prompts[id] = prompt.replacingOccurrences(of: "user\(index)@example.com", with: "[EMAIL]")
            let label = keyword ? "kimi" : "flash"
            let line: JSONValue
            switch index % 4 {
            case 0:
                line = ["id": .string(id), "prompt": .string(prompt), "label": .string(label), "tags": ["web"]]
            case 1:
                // The system prompt and an earlier turn hold the router's words: only the last
                // user message counts.
                line = [
                    "id": .string(id), "label": .string(label),
                    "messages": [
                        ["role": "system", "content": "Always explain why, step by step, with proof."],
                        ["role": "user", "content": "Can you prove it and calculate it?"],
                        ["role": "assistant", "content": "Here is the mathematical reasoning."],
                        ["role": "user", "content": .string(prompt)],
                    ],
                ]
            case 2:
                line = [
                    "model": "gpt-4o-mini", "temperature": 0.7, "stream": true, "id": .string(id),
                    "label": .string(label),
                    "messages": [
                        ["role": "user", "content": [["type": "text", "text": .string(prompt)]]]
                    ],
                ]
            default:
                line = ["id": .string(id), "prompt": .string(prompt), "label": .string(label)]
            }
            lines.append(line.compactJSON)
        }
        return (lines, kimi, prompts)
    }

    @Test func theKeywordRouterSendsExactlyTheKeywordPromptsToKimi() async throws {
        let router = try Self.router()
        let words = try #require(router.rules.first?.match.promptContains)
        #expect(words.count >= 5 && router.rules.map(\.model) == ["moonshot-k2.5", "deepseek-v4-flash"])
        let (lines, kimi, prompts) = Self.sample(words: words)
        #expect(kimi.count == 20 && prompts.count == 200)
        for (id, prompt) in prompts where !kimi.contains(id) {
            #expect(!words.contains { prompt.lowercased().contains($0.lowercased()) }, "\(id): \(prompt)")
        }

        let dir = try TempDirectory("assay-traffic")
        defer { dir.remove() }
        try dir.write("prompts.jsonl", lines.joined(separator: "\n") + "\n")
        let imported = try await runAssay([
            "import", "traffic", dir.path("prompts.jsonl"), "--out", dir.path("prod-sample"), "--redact", "email,phone",
        ])
        #expect(imported.status == 0, "\(imported)")
        #expect(
            imported.stdout.contains(
                "wrote 200 cases to \(dir.path("prod-sample")) (suite.yaml, cases.jsonl), graded by exact-label"),
            "\(imported.stdout)")
        #expect(imported.stdout.contains("redacted: 8 email, 0 phone"), "\(imported.stdout)")
        #expect(
            imported.stdout.contains(
                "traffic mix: \(dir.path("prod-sample/traffic.yaml")) (5 shares: tag:model:gpt-4o-mini 50, tag:web 50, script:han 10, script:latin 89, script:mixed 1)"
            ),
            "\(imported.stdout)")

        var script = TestScript(defaultReply: .init(text: "nobody", ttftMs: 1))
        script.rules = [
            .init(model: "moonshot-k2.5", reply: .init(text: "kimi", ttftMs: 1)),
            .init(model: "deepseek-v4-flash", reply: .init(text: "flash", ttftMs: 1)),
        ]
        let store = dir.path("store.sqlite")
        let run = try await TestServer.withTestServer(script: script) { server in
            try await runAssay(
                [
                    "run", "--suite", dir.path("prod-sample"), "--model", "k2.5", "--model", "v4-flash",
                    "--concurrency",
                    "16", "--store", store, "--reports", dir.path("reports"), "--quiet", "--base-url",
                    "unified=\(server.baseURL)",
                ],
                environment: ["ASSAY_UNIFIED_API_KEY": "test-key"])
        }
        #expect(run.status == 0, "\(run)")

        // The run sent production's messages: each result's routed prompt is the request's
        // last user message as logged (after redaction), and a multi-turn request went whole.
        let storeHandle = try Store(path: store)
        let runID = try #require(try await storeHandle.runs().first?.id)
        let results = try await storeHandle.results(run: runID)
        #expect(results.count == 400)
        let rewritten = results.filter { $0.routedPrompt?.text != prompts[$0.caseID] }
        #expect(
            rewritten.isEmpty,
            "\(rewritten.count) prompts not as logged, such as \(rewritten.prefix(3).map { "\($0.caseID): \($0.routedPrompt?.text ?? "none")" })"
        )
        let multiTurn = try #require(results.first { $0.caseID == "req-001" })
        #expect(
            multiTurn.prompt?.contains("Always explain why, step by step, with proof.") == true
                && multiTurn.prompt?.contains("Here is the mathematical reasoning.") == true,
            "\(multiTurn.prompt ?? "")")
        // From the store: the Kimi rule takes exactly the 20 keyword requests.
        let kimiRule = try #require(router.rules.first)
        let routedToKimi = Set(
            results.filter { $0.model == "moonshot-k2.5" }.filter {
                kimiRule.match.matches(suite: $0.suiteID, kind: .chat, tags: $0.tags, prompt: $0.routedPrompt)
            }.map(\.caseID))
        #expect(routedToKimi == kimi)

        // route simulate: 20 items to the Kimi rule, 180 to the other, and every item scored
        // right, which the labels allow only when each went to the model it names.
        let simulated = try await runAssay([
            "route", "simulate", Self.policy, "--run", runID, "--store", store, "--json",
        ])
        #expect(simulated.status == 0, "\(simulated)")
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(simulated.stdout.utf8))
        let rules = try #require(json["rules"]?.arrayValue)
        #expect(rules.map { $0["model"] } == ["moonshot-k2.5", "deepseek-v4-flash"])
        #expect(rules.map { $0["items"] } == [20, 180], "\(rules)")
        #expect(json["unrouted"] == 0)
        let overall = try #require(json["overall"])
        #expect(overall["n"] == 200 && overall["score"] == 1, "\(overall)")

        // Weighed by the sample's own mix: every share holds the items it was counted for.
        let weighted = try await runAssay([
            "route", "simulate", Self.policy, "--run", runID, "--store", store, "--json", "--traffic",
            dir.path("prod-sample/traffic.yaml"),
        ])
        #expect(weighted.status == 0, "\(weighted)")
        let mix = try JSONDecoder().decode(JSONValue.self, from: Data(weighted.stdout.utf8))["weighted"]
        let shares = try #require(mix?["shares"]?.arrayValue)
        #expect(shares.map { $0["items"] } == [50, 50, 10, 89, 1], "\(shares)")
        #expect(mix?["unmatched_items"] == 0)
        #expect(abs((mix?["score"]?.doubleValue ?? 0) - 1) < 1e-9, "\(mix ?? .null)")
    }

    @Test func aBadSampleIsRefusedAtItsLineAndWritesNothing() async throws {
        let dir = try TempDirectory("assay-traffic")
        defer { dir.remove() }
        try dir.write(
            "prompts.jsonl",
            #"{"prompt": "fine"}"# + "\n"
                + #"{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}"#
                + "\n")
        let result = try await runAssay(["import", "traffic", dir.path("prompts.jsonl"), "--out", dir.path("out")])
        #expect(result.status == 2, "\(result)")
        #expect(
            result.stderr.contains(
                "\(dir.path("prompts.jsonl")):2: messages[0].content[0] is an 'image_url' part: only text is imported"),
            "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["prompts.jsonl"])

        let badOption = try await runAssay([
            "import", "traffic", dir.path("prompts.jsonl"), "--out", dir.path("out"), "--redact", "ssn",
        ])
        #expect(badOption.status == 2 && badOption.stderr.contains("no built-in pattern 'ssn'"), "\(badOption)")

        let skipped = try await runAssay([
            "import", "traffic", dir.path("prompts.jsonl"), "--out", dir.path("out"), "--skip-non-text",
        ])
        #expect(skipped.status == 0, "\(skipped)")
        #expect(skipped.stdout.contains("skipped: 1 requests with a part that is not text"), "\(skipped.stdout)")
        #expect(try await runAssay(["validate", dir.path("out")]).status == 0)
    }
}
