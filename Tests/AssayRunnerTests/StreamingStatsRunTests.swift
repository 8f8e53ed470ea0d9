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

/// Inter-token latency, time per output token and the latency splits, end to end against a
/// test server that paces its chunks (issue 35).
@Suite struct StreamingStatsRunTests {
    /// Milliseconds between the server's chunks, one word each.
    static let pace = 25.0

    static func workspace(_ dir: TempDirectory, baseURL: String, cases: Int) throws {
        try dir.write(
            "suite/suite.yaml",
            """
            id: echo
            kind: classification
            grader:
              name: label
              labels: {positive: [], negative: []}
            prompt: {template: "Review: {{n}}"}
            generation: {max_tokens: 64}
            """)
        try dir.write(
            "suite/cases.jsonl",
            (1...cases).map { #"{"id": "c\#($0)", "input": {"n": \#($0)}, "expected": {"label": "positive"}}"# }
                .joined(separator: "\n") + "\n")
        try dir.write(
            "catalog.yaml",
            """
            prices: {currency: USD, date: "2026-12-05", source: test}
            endpoints:
              - {name: vendor, base_url: "\(baseURL)"}
            models:
              - {id: paced, family: Test, endpoint: vendor, price: {input: 0.10, output: 0.20}}
            """)
    }

    /// Twenty words 25 ms apart: ITL and TPOT are 25 ms, latency per output token a little
    /// more (the TTFT is shared out too), every answer is short, and the region and base URL
    /// the run gives are the only ones.
    @Test func aServerPacingTokens25MsApartHasAnITLOf25Ms() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let words = (1...19).map { "word\($0)" }.joined(separator: " ") + " positive"
        let script = TestScript(defaultReply: .init(text: words, ttftMs: 30, chunkDelayMs: Self.pace))
        try await TestServer.withTestServer(script: script) { server in
            try Self.workspace(dir, baseURL: server.baseURL, cases: 12)
            var settings = RunSettings(cache: .off)
            settings.clientRegion = "eu-west"
            let plan = Plan(
                suites: [dir.path("suite")], models: ["paced"], concurrency: 4, settings: settings,
                catalog: dir.path("catalog.yaml"), store: dir.path("assay.sqlite"), reports: dir.path("reports"))
            let session = try await RunSession.prepare(plan, environment: [:])
            let manifest = try await session.run()
            let results = try await session.store.results(run: manifest.id)
            #expect(results.count == 12 && results.allSatisfy { $0.clientRegion == "eu-west" })
            #expect(results.allSatisfy { $0.timing?.answerChunks == 20 }, "\(results.map { $0.timing?.answerChunks })")

            let summary = try await RunSummary.load(run: manifest.id, from: session.store)
            let streaming = try #require(summary.model("paced")).streaming
            // Within 1 ms run alone (scripts/test); beside other suites the server's own
            // chunks are late, so only that the figure is the pace and not, say, the latency.
            let slack = WallClock.isQuiet ? 1.0 : 30.0
            let itl = try #require(streaming.interToken.p50Ms)
            #expect(abs(itl - Self.pace) <= slack, "ITL p50 \(itl) ms")
            let tpot = try #require(streaming.timePerOutputToken.p50Ms)
            #expect(abs(tpot - Self.pace) <= slack, "TPOT p50 \(tpot) ms")
            let perToken = try #require(streaming.latencyPerOutputToken.p50Ms)
            #expect(perToken > tpot - 1 && perToken < tpot + 5 * slack, "latency per token \(perToken) ms")
            #expect(streaming.maxStall.count == 12)
            #expect(streaming.latencyByLength.keys.sorted() == [.short])
            #expect(streaming.latencyByRegion.keys.sorted() == ["eu-west"])
            #expect(streaming.latencyByRegion["eu-west"]?.count == 12)
            #expect(streaming.latencyByBaseURL.keys.sorted() == [server.baseURL])

            // In every report: the XML validates with its streaming block, the JSON and the
            // markdown carry it.
            let written = try await ReportFiles.write(run: manifest.id, from: session.store, under: dir.path("reports"))
            #expect(ReportSchema.validate(written.path("report.xml")).isEmpty)
            let xml = try String(contentsOfFile: written.path("report.xml"), encoding: .utf8)
            #expect(xml.contains("<streaming>") && xml.contains(#"<byRegion region="eu-west""#))
            let json = try String(contentsOfFile: written.path("summary.json"), encoding: .utf8)
            #expect(json.contains(#""inter_token_ms""#) && json.contains(#""latency_by_client_region_ms""#))
            let markdown = try String(contentsOfFile: written.path("summary.md"), encoding: .utf8)
            #expect(markdown.contains("ITL p50"))
            let html = try String(contentsOfFile: written.path("index.html"), encoding: .utf8)
            #expect(html.contains("Latency by client region") && html.contains("TPOT p99"))
        }
    }

    /// An answer streamed whole in one chunk has no inter-token latency; unstreamed, none of
    /// the streamed figures.
    @Test func oneChunkOrNoStreamHasNoInterTokenLatency() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let script = TestScript(defaultReply: .init(text: "positive", ttftMs: 5))
        try await TestServer.withTestServer(script: script) { server in
            try Self.workspace(dir, baseURL: server.baseURL, cases: 3)
            for stream in [true, false] {
                var settings = RunSettings(cache: .off)
                settings.stream = stream
                let plan = Plan(
                    suites: [dir.path("suite")], models: ["paced"], concurrency: 2, settings: settings,
                    catalog: dir.path("catalog.yaml"), store: dir.path("assay-\(stream).sqlite"),
                    reports: dir.path("reports"))
                let session = try await RunSession.prepare(plan, environment: [:])
                let manifest = try await session.run()
                let results = try await session.store.results(run: manifest.id)
                #expect(results.count == 3)
                #expect(results.allSatisfy { $0.timing?.interTokenMs == nil && $0.timing?.maxStallMs == nil })
                #expect(results.allSatisfy { $0.timing?.answerChunks == (stream ? 1 : nil) })
            }
        }
    }
}
