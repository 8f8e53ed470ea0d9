import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The 1K and 4K long-context suites against the real local model (llama.cpp serving Gemma 3
/// 270M with an 8,192-token window, scripts/local-model), and an 8K one that does not fit it.
///
/// Only the four-keys task, in English: its four cases share one haystack, and sent one after
/// another llama.cpp evaluates the shared prefix once (a 4K prompt takes ~35 s on two cores;
/// the other three ~1 s each). The model is tiny: the test asserts what must hold for real
/// answers (lengths as the server counted them, the window kept), never that they are right.
@Suite(.serialized) struct LongContextLocalModelTests {
    static let baseURL = ProcessInfo.processInfo.environment["ASSAY_LOCAL_BASE_URL"]

    @Test(.enabled(if: baseURL != nil, "set ASSAY_LOCAL_BASE_URL (scripts/test starts the local model)"))
    func theLongContextSuitesRunAgainstTheRealModel() async throws {
        let baseURL = try #require(Self.baseURL)
        let dir = try TempDirectory("assay-e2e-long-context")
        defer { dir.remove() }
        let generated = try await runAssay([
            "generate", "long-context", "--lengths", "1k,4k,8k", "--languages", "en", "--tasks", "niah-multikey",
            "--out", dir.path("suites"),
        ])
        #expect(generated.status == 0, "\(generated)")
        let run = try await runAssay([
            "run", "--suite", dir.path("suites/long-context-1k"), "--suite", dir.path("suites/long-context-4k"),
            "--suite", dir.path("suites/long-context-8k"), "--model", "gemma3-270m", "--base-url", "local=\(baseURL)",
            "--store", dir.path("s.sqlite"), "--reports", dir.path("reports"), "--no-cache", "--concurrency", "1",
        ])
        #expect(run.status == 0 || run.status == 1, "\(run)")

        let store = try Store(path: dir.path("s.sqlite"))
        let manifest = try #require(try await store.runs().first)
        let results = try await store.results(run: manifest.id)
        #expect(results.count == 12)
        for result in results {
            let length = try #require(ContextLength.of(tags: result.tags))
            if length.tokens == 8192 {
                // 8K of prompt and 128 of answer do not fit the 8,192-token window: never sent.
                #expect(result.status == .unsupported, "\(result.caseID) at 8k was sent")
                #expect(result.errorMessage?.contains("context window of 8192") == true)
                continue
            }
            #expect(result.status == .graded, "\(result.caseID) at \(length): \(result.errorMessage ?? "")")
            let usage = try #require(result.usage, "\(result.caseID): the server counted the prompt")
            let estimated = TokenEstimate.standard.tokens(result.prompt ?? "")
            // Gemma's tokenizer and the rule agree within a factor of 1.5 on English prose.
            #expect(
                Double(usage.promptTokens) > Double(estimated) / 1.5
                    && Double(usage.promptTokens) < Double(estimated) * 1.5,
                "\(result.caseID): \(usage.promptTokens) reported, \(estimated) estimated")
            #expect(usage.promptTokens > length.tokens / 2)
            // Timed (the base model often answers nothing past a long text: no first token then).
            #expect((result.timing?.latencyMs ?? 0) > 0)
        }

        // Sent one after another, the three 4k cases after the first find its haystack in
        // llama.cpp's cache (the shim reports it as prompt_tokens_details.cached_tokens).
        let fourK = results.filter { $0.tags.contains("length:4k") }
        let served = fourK.compactMap { result in
            result.usage.map { Double($0.cachedPromptTokens ?? 0) / Double(max(1, $0.promptTokens)) }
        }
        #expect(served.filter { $0 > 0.9 }.count >= 3, "cached shares of the 4k prompts: \(served)")

        let json = try JSONParser.parse(
            Array(try Data(contentsOf: URL(fileURLWithPath: dir.path("reports/\(manifest.id)/summary.json")))))
        let gemma = try #require(json["models"]?.arrayValue?.first { $0["model"]?.stringValue == "gemma3-270m" })
        let lengths = gemma["long_context"]?["by_length"]?.arrayValue ?? []
        #expect(lengths.map { $0["length"]?.stringValue } == ["1k", "4k", "8k"])
        #expect(lengths.map { $0["asked"]?.intValue } == [4, 4, 0])
        #expect(lengths.last?["unsupported"]?.intValue == 4)
        let reported = lengths.compactMap { $0["mean_prompt_tokens"]?.doubleValue }
        #expect(reported.count == 2 && reported[1] > reported[0] * 3, "reports use the reported figures: \(reported)")
        #expect((gemma["long_context"]?["cached_share"]?.doubleValue ?? 0) > 0.4)
    }
}
