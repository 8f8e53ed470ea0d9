import AssayAnalysis
import AssayConfig
import AssayCore
import AssayReports
import AssayRunner
import AssayRuns
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// A thinking and a plain variant of one API model, and an R1-style model that thinks inline,
/// run side by side against the test server: what issue 15 promises, end to end.
@Suite struct ReasoningRunTests {
    static let cases = 6
    /// Milliseconds between chunks: 40 tokens a second, reasoning and answer alike.
    static let chunkDelay = 25.0

    static func catalog(_ baseURL: String) -> String {
        """
        prices: {currency: USD, date: "2026-11-26", source: test}
        endpoints:
          - {name: vendor, base_url: "\(baseURL)"}
        models:
          - {id: k-plain, family: Kimi, endpoint: vendor, api_id: kimi-k2.5, request: {thinking: {type: disabled}}, price: {input: 0.60, output: 3.00}}
          - {id: k-thinking, family: Kimi, endpoint: vendor, api_id: {vendor: kimi-k2.5}, request: {thinking: {type: enabled}}, max_tokens_floor: 512, price: {input: 0.60, output: 3.50}}
          - {id: r1-distill, family: DeepSeek, endpoint: vendor, price: {input: 0.10, output: 0.20}}
        """
    }

    /// Case i is "positive" when odd. The answer is 14 words ending in the label; the
    /// thinking variant (the request says `"type":"enabled"`) first reasons 17 words that
    /// name both labels; the R1 model does the same inline, in a <think> block. Case 6 is cut
    /// off at max_tokens for every model.
    static func script() -> TestScript {
        var script = TestScript(defaultReply: .init(text: "?"))
        for index in 1...cases {
            let label = index % 2 == 1 ? "positive" : "negative"
            let answer = "After reading the review with care my final judgement is that it is \(label)"
            let reasoning =
                "is it positive or negative the reviewer says number \(index) which I weigh and then decide now"
            let finish = index == cases ? "length" : "stop"
            let prompt = "Review: review number \(index)"
            script.rules.append(
                .init(
                    promptEquals: prompt, bodyContains: #""type":"enabled""#,
                    reply: .init(
                        text: answer, reasoning: reasoning, ttftMs: 20, chunkDelayMs: chunkDelay, finishReason: finish))
            )
            script.rules.append(
                .init(
                    model: "r1-distill", promptEquals: prompt,
                    reply: .init(
                        text: answer, reasoning: reasoning, inlineThink: true, ttftMs: 20, chunkDelayMs: chunkDelay,
                        finishReason: finish)))
            script.rules.append(
                .init(
                    promptEquals: prompt,
                    reply: .init(text: answer, ttftMs: 20, chunkDelayMs: chunkDelay, finishReason: finish)))
        }
        return script
    }

    @Test func thinkingAndPlainVariantsSideBySide() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write(
            "suite/suite.yaml",
            """
            id: sentiment
            kind: classification
            grader:
              name: label
              labels: {positive: [], negative: []}
            prompt:
              system: Answer positive or negative.
              template: "Review: {{review}}"
            generation: {max_tokens: 64}
            """)
        try dir.write(
            "suite/cases.jsonl",
            (1...Self.cases).map { index in
                #"{"id": "c\#(index)", "input": {"review": "review number \#(index)"}, "expected": {"label": "\#(index % 2 == 1 ? "positive" : "negative")"}}"#
            }.joined(separator: "\n") + "\n")
        try await TestServer.withTestServer(script: Self.script()) { server in
            try dir.write("catalog.yaml", Self.catalog(server.baseURL))
            var settings = RunSettings(cache: .off)
            settings.modelRequests = ["r1-distill": ["temperature": 0.6]]
            let plan = Plan(
                suites: [dir.path("suite")], models: ["k-plain", "k-thinking", "r1-distill"], concurrency: 6,
                settings: settings,
                catalog: dir.path("catalog.yaml"), store: dir.path("assay.sqlite"), reports: dir.path("reports"))
            let session = try await RunSession.prepare(plan, environment: [:])
            let manifest = try await session.run()
            let results = try await session.store.results(run: manifest.id)
            let summary = try await RunSummary.load(run: manifest.id, from: session.store)

            // The vendor is sent its own id, with each variant's fields; the plan's override lands.
            let bodies = server.received.filter { $0.path.hasSuffix("chat/completions") }.map(\.body)
            #expect(bodies.count == 3 * Self.cases)
            #expect(
                bodies.filter { $0.contains(#""model":"kimi-k2.5""#) }.count == 2 * Self.cases,
                "both variants ask kimi-k2.5")
            #expect(
                bodies.filter { $0.contains(#""thinking":{"type":"enabled"}"#) && $0.contains(#""max_tokens":512"#) }
                    .count == Self.cases)
            #expect(
                bodies.filter { $0.contains(#""thinking":{"type":"disabled"}"#) && $0.contains(#""max_tokens":64"#) }
                    .count == Self.cases)
            #expect(
                bodies.filter { $0.contains(#""model":"r1-distill""#) && $0.contains(#""temperature":0.6"#) }.count
                    == Self.cases)

            // Identical graded answers where only the thinking differs, and the reasoning (which
            // names both labels) never reaches the grader.
            func graded(_ model: String) -> [String: String] {
                Dictionary(
                    uniqueKeysWithValues: results.filter { $0.model == model }.map {
                        ($0.caseID, "\($0.grade?.outcome.rawValue ?? "-") \($0.grade?.extracted ?? "-")")
                    })
            }
            #expect(graded("k-plain") == graded("k-thinking"))
            #expect(graded("k-plain") == graded("r1-distill"))
            #expect(
                results.allSatisfy { $0.grade?.outcome == .pass },
                "\(results.map { "\($0.model) \($0.caseID) \($0.grade?.outcome.rawValue ?? "-")" })")
            for result in results where result.model != "k-plain" {
                #expect(
                    result.reasoning?.contains("positive or negative") == true
                        && result.output?.contains("think") == false)
            }

            // Reasoning tokens counted and priced as output, at the thinking variant's price.
            let thinking = try #require(summary.model("k-thinking"))
            let plain = try #require(summary.model("k-plain"))
            #expect(
                thinking.spend.reasoningTokens == 17 * Self.cases && plain.spend.reasoningTokens == 0,
                "\(thinking.spend.reasoningTokens)")
            let expected =
                (Double(thinking.spend.promptTokens) * 0.60 + Double(thinking.spend.completionTokens) * 3.50)
                / 1_000_000
            #expect(abs(thinking.spend.cost - expected) < 1e-12 && thinking.spend.completionTokens == 31 * Self.cases)

            // Tokens per second from the first token of any kind to the last, reasoning tokens
            // included. (How close that comes to the scripted 40 a second is measured by
            // `assay-bench timing`, not here: a busy machine bunches the server's chunks.)
            for model in summary.models {
                let answered = results.filter { $0.model == model.model && $0.status == .graded }
                var tokens = 0.0, seconds = 0.0, fromAnswer = 0.0
                for result in answered {
                    guard let timing = result.timing, let usage = result.usage,
                        let first = [timing.ttftMs, timing.firstReasoningMs].compactMap({ $0 }).min()
                    else { continue }
                    tokens += Double(usage.completionTokens - 1)
                    seconds += (timing.latencyMs - first) / 1000
                    fromAnswer += (timing.latencyMs - (timing.ttftMs ?? first)) / 1000
                }
                let rate = try #require(model.outputTokensPerSecond)
                #expect(abs(rate - tokens / seconds) < 1e-6, "\(model.model)")
                if model.model != "k-plain" {
                    #expect(rate < tokens / fromAnswer, "\(model.model): the clock starts at the first reasoning token")
                }
            }
            #expect(thinking.thinking.count == Self.cases && (thinking.thinking.p50Ms ?? 0) > 0)
            #expect((thinking.firstToken.p50Ms ?? 0) < (thinking.ttft.p50Ms ?? 0), "the first token is reasoning")
            #expect(plain.thinking.count == 0)

            // Every truncated answer counted and visible.
            for model in summary.models { #expect(model.overall.truncated == 1, "\(model.model)") }
            let lines = Truncation.lines(summary)
            #expect(lines.contains("k-thinking on sentiment: 1 of 6 answers cut off at max_tokens 512"), "\(lines)")
            #expect(lines.contains("k-plain on sentiment: 1 of 6 answers cut off at max_tokens 64"))
            let written = try await ReportFiles.write(run: manifest.id, from: session.store, under: dir.path("reports"))
            let html = try String(contentsOfFile: written.path("index.html"), encoding: .utf8)
            #expect(
                html.components(separatedBy: #"data-truncated="1""#).count - 1 == 3
                    && html.contains(#"id="f-truncated""#))
            let junit = try String(contentsOfFile: written.path("junit.xml"), encoding: .utf8)
            #expect(junit.isEmpty == false)
            let json = try String(contentsOfFile: written.path("summary.json"), encoding: .utf8)
            #expect(json.contains(#""truncated" : 1"#) || json.contains(#""truncated": 1"#), "summary.json counts it")
            #expect(json.contains("cut off at max_tokens 512"))
            let xml = try String(contentsOfFile: written.path("report.xml"), encoding: .utf8)
            #expect(xml.contains(#"finishReason="length""#) && xml.contains(#"truncated="1""#))
        }
    }

    @Test func aRequestThatIsNotAMappingIsRefusedWhereItIs() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write(
            "catalog.yaml",
            """
            prices: {currency: USD, date: "2026-11-26", source: test}
            endpoints:
              - {name: vendor, base_url: "http://127.0.0.1:9/v1"}
            models:
              - {id: a, family: A, endpoint: vendor, price: {output: 1}}
              - id: b
                family: B
                endpoint: vendor
                request: [enable_thinking, false]
                price: {output: 1}
              - {id: c, family: C, endpoint: vendor, request: {model: other, stream: false}, api_id: {nowhere: x}, think_tag: "<x>", price: {output: 1}}
            """)
        let error = #expect(throws: InputError.self) { try CatalogFile.load(dir.path("catalog.yaml")) }
        let text = error?.description ?? ""
        #expect(text.contains("catalog.yaml:9:") && text.contains("model 'b': request must be a mapping"), "\(text)")
        #expect(text.contains("model 'c': request may not set model, stream"))
        #expect(text.contains("api_id names endpoint 'nowhere'"))
        #expect(text.contains("think_tag must be a tag name"))
        try dir.write("plan.yaml", "models: [a]\nrequest:\n  a: 5\n")
        let planError = #expect(throws: InputError.self) { try PlanFile.load(dir.path("plan.yaml")) }
        #expect(
            planError?.description.contains("plan.yaml:3:") == true
                && planError?.description.contains("model 'a': request must be a mapping") == true,
            "\(planError?.description ?? "")")
    }
}
