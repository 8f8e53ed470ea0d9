import AssayAnalysis
import AssayConfig
import AssayCore
import AssayRunner
import AssayRuns
import AssayTestServer
import Foundation

/// Output tokens per second and thinking time as Assay measures them for a model that
/// reasons before it answers, against the test server scripted to a known rate: 20 reasoning
/// words then 20 answer words, one every 25 ms (40 tokens a second), reasoning streamed as
/// `reasoning_content` and, for a second model, inline in a `<think>` block. Target: within
/// 5% of the scripted rate, and thinking time (first reasoning token to first answer token)
/// within 5% of the scripted 500 ms.
public enum ReasoningTimingBenchmark {
    public struct Measurement: Sendable {
        public var model: String
        public var tokensPerSecond: Double?
        public var thinking: LatencyStats
    }

    static let delayMs = 25.0
    static let words = 20

    public static func measure(requests: Int = 64, concurrency: Int = 16) async throws -> [Measurement] {
        let reasoning = (1...words).map { "r\($0)" }.joined(separator: " ")
        let answer = (1...words - 1).map { "a\($0)" }.joined(separator: " ") + " positive"
        var script = TestScript(
            defaultReply: .init(text: answer, reasoning: reasoning, ttftMs: 50, chunkDelayMs: delayMs))
        script.rules.append(
            .init(
                model: "inline",
                reply: .init(text: answer, reasoning: reasoning, inlineThink: true, ttftMs: 50, chunkDelayMs: delayMs)))
        let server = try await TestServer.start(script: script, keepRequests: false)
        let workspace = try RunnerBenchmarks.Workspace(cases: requests, server: server, models: ["bench", "inline"])
        defer { workspace.remove() }
        var plan = workspace.plan(concurrency: concurrency, models: ["bench", "inline"], rampUp: 1)
        plan.settings.generation.maxTokens = 64
        let (runID, store, _) = try await RunnerBenchmarks.run(plan)
        await server.shutdown()
        let summary = try await RunSummary.load(run: runID, from: store)
        return summary.models.map {
            Measurement(
                model: $0.model == "bench" ? "reasoning_content" : "inline <think>",
                tokensPerSecond: $0.outputTokensPerSecond, thinking: $0.thinking)
        }
    }

    public static func text(_ measurements: [Measurement]) -> String {
        let rate = 1000 / delayMs
        let thinking = Double(words) * delayMs
        var out = String(
            format: "reasoning: scripted %.0f tokens/s (reasoning and answer), thinking %.0f ms\n", rate, thinking)
        for m in measurements {
            let measured = m.tokensPerSecond ?? 0
            out += String(
                format: "  %@ %6.1f tokens/s (error %+.1f%%)   thinking p50 %6.1f ms (error %+.1f%%)\n",
                m.model.padding(toLength: 18, withPad: " ", startingAt: 0), measured,
                (measured - rate) / rate * 100, m.thinking.p50Ms ?? 0,
                ((m.thinking.p50Ms ?? 0) - thinking) / thinking * 100)
        }
        return out + "  target: within 5% of the scripted figures\n"
    }
}
