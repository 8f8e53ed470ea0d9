import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// `plans/local.yaml` against the real local models: llama.cpp serving Gemma 3 270M, and
/// Tesseract reading the OCR fixtures.
///
/// scripts/test starts the server and sets ASSAY_LOCAL_BASE_URL; without it this test is
/// skipped (and scripts/test fails when it was). The model is tiny and mostly wrong: the
/// test asserts what must hold for real outputs, never that the answers are right.
@Suite(.serialized) struct LocalModelTests {
    static let baseURL = ProcessInfo.processInfo.environment["ASSAY_LOCAL_BASE_URL"]

    @Test(.enabled(if: baseURL != nil, "set ASSAY_LOCAL_BASE_URL (scripts/test starts the local model)"))
    func theLocalPlanRunsAgainstTheRealModel() async throws {
        let baseURL = try #require(Self.baseURL)
        let dir = try TempDirectory("assay-e2e")
        defer { dir.remove() }
        let storePath = dir.path("assay.sqlite")
        let run = try await runAssay([
            "run", "--plan", "plans/local.yaml", "--base-url", "local=\(baseURL)", "--store", storePath,
            "--reports", dir.path("reports"), "--no-cache",
        ])
        #expect(run.status == 0, "\(run)")

        let store = try Store(path: storePath)
        let manifest = try #require(try await store.runs().first)
        #expect(manifest.status == .completed)
        #expect(manifest.models == ["gemma3-270m", "tesseract-ocr"])
        func lines(_ suite: String) throws -> Int {
            try String(contentsOfFile: PackagePaths.root + "/evalsets/\(suite)/cases.jsonl", encoding: .utf8).split(
                separator: "\n"
            ).count
        }
        let sentiment = try lines("smoke-sentiment"), ocr = try lines("vision-ocr")
        let results = try await store.results(run: manifest.id)
        #expect(results.count == 2 * (sentiment + ocr), "every item stored, each model asked only what it can do")
        let gemma = results.filter { $0.model == "gemma3-270m" && $0.suiteID == "smoke-sentiment" }
        #expect(gemma.count == sentiment)
        // Served as the base model it is (scripts/llama_server.py's `plain` chat format), Gemma
        // continues the suite's worked examples with a label: a first run shows a real score.
        #expect(gemma.contains { $0.grade?.outcome == .pass }, "\(gemma.map { $0.output ?? "" })")
        for result in gemma {
            #expect(result.status == .graded, "\(result.caseID): \(result.errorMessage ?? "")")
            #expect(result.grade != nil)
            let usage = try #require(result.usage, "\(result.caseID): usage counted")
            #expect(usage.promptTokens > 0)
            #expect(usage.completionTokens > 0)
            let timing = try #require(result.timing)
            let ttft = try #require(timing.ttftMs, "\(result.caseID): streamed, so time to first token is measured")
            #expect(ttft > 0)
            #expect(timing.latencyMs >= ttft)
            #expect(result.finishReason == "stop" || result.finishReason == "length")
            #expect(result.servedBy == baseURL)
            #expect(
                result.cost == Cost(amount: 0, basis: .full), "the local model is free and its input price is known")
        }
        let tesseract = results.filter { $0.model == "tesseract-ocr" && $0.suiteID == "vision-ocr" }
        #expect(tesseract.count == ocr)
        #expect(
            tesseract.allSatisfy { $0.status == .graded }, "\(tesseract.filter { $0.status != .graded }.map(\.caseID))")
        #expect(tesseract.filter { $0.grade?.outcome == .pass }.count > ocr / 2, "Tesseract reads most of the fixtures")
        let unsupported = results.filter { $0.status == .unsupported }
        #expect(unsupported.count == sentiment + ocr, "gemma is not sent images, Tesseract no text")

        let summaryPath = dir.path("reports/\(manifest.id)/summary.json")
        let summary = try JSONDecoder().decode(
            JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: summaryPath)))
        let models = try #require(summary["models"]?.arrayValue)
        #expect(models.count == 2)
        let model = try #require(models.first { $0["model"] == "gemma3-270m" })
        #expect(model["n"] == .int(sentiment))
        #expect(model["errors"] == 0)
        #expect((model["spend"]?["completion_tokens"]?.intValue ?? 0) > 0)
        #expect((model["latency_ms"]?["p50"]?.doubleValue ?? 0) > 0)
        let baseline = try #require(models.first { $0["model"] == "tesseract-ocr" })
        #expect((baseline["score"]?.doubleValue ?? 0) > 0, "the first report has a non-zero score")
        let ocrSuite = baseline["suites"]?.arrayValue?.first { $0["suite"] == "vision-ocr" }
        #expect(ocrSuite?["ocr"]?["cer"]?.doubleValue != nil, "and a CER")

        // The report is rebuilt from the store alone.
        try FileManager.default.removeItem(atPath: summaryPath)
        let report = try await runAssay([
            "report", manifest.id, "--store", storePath, "--reports", dir.path("reports"), "--validate",
        ])
        #expect(report.status == 0, "\(report)")
        #expect(report.stdout.contains("report.xml is valid"))
        for name in ["index.html", "report.xml", "junit.xml", "summary.json", "summary.md"] {
            #expect(FileManager.default.fileExists(atPath: dir.path("reports/\(manifest.id)/\(name)")), "\(name)")
        }
        print("real-model end-to-end: \(gemma.count + tesseract.count) items graded against \(baseURL) and Tesseract")
    }

    /// The tool-use suite against the real model: the requests carry `tools` (llama.cpp's
    /// server takes them; the base model answers in text whatever it is offered), and every
    /// answer is read and graded, calls or not. Its grade can be anything; what must hold is
    /// that the request and the parsing are real: every item answered, graded (never an
    /// error), with the calls it made (none, for this model) in the evidence.
    @Test(.enabled(if: baseURL != nil, "set ASSAY_LOCAL_BASE_URL (scripts/test starts the local model)"))
    func theToolUseSuiteRunsAgainstTheRealModel() async throws {
        let baseURL = try #require(Self.baseURL)
        let dir = try TempDirectory("assay-e2e-tools")
        defer { dir.remove() }
        let storePath = dir.path("assay.sqlite")
        let run = try await runAssay([
            "run", "--suite", "evalsets/tool-use", "--model", "gemma3-270m", "--base-url", "local=\(baseURL)",
            "--store", storePath,
            "--reports", dir.path("reports"), "--no-cache", "--max-tokens", "32", "--concurrency", "1",
        ])
        #expect(run.status == 0 || run.status == 1, "\(run)")
        let store = try Store(path: storePath)
        let manifest = try #require(try await store.runs().first)
        let cases = try String(contentsOfFile: PackagePaths.root + "/evalsets/tool-use/cases.jsonl", encoding: .utf8)
            .split(separator: "\n").count
        let results = try await store.results(run: manifest.id)
        #expect(results.count == cases)
        for result in results {
            #expect(result.status == .graded, "\(result.caseID): \(result.errorMessage ?? "")")
            let grade = try #require(result.grade, "\(result.caseID)")
            #expect(grade.outcome != .error, "\(result.caseID): \(grade.failure ?? "")")
            #expect(ToolCall.calls(in: grade.evidence) != nil, "\(result.caseID): the calls made are in the evidence")
            #expect(result.usage.map { $0.promptTokens > 0 } == true, "\(result.caseID): usage counted")
        }
        let summary = try JSONDecoder().decode(
            JSONValue.self,
            from: Data(contentsOf: URL(fileURLWithPath: dir.path("reports/\(manifest.id)/summary.json"))))
        let suite = summary["models"]?.arrayValue?.first?["suites"]?.arrayValue?.first
        #expect(suite?["tools"]?["items"] == .int(cases), "the report has the tools block")
    }

    /// The entity suite asked of the real model with `response_format: json_schema`, which the
    /// local server (scripts/llama_server.py) turns into a grammar: whatever the tiny model
    /// extracts, every answer it returns must be JSON valid against the schema, finished (not
    /// cut off), and graded field by field. Six of the suite's cases (every eighth, English and
    /// Chinese), to keep the test to a minute or two on two cores.
    @Test(.enabled(if: baseURL != nil, "set ASSAY_LOCAL_BASE_URL (scripts/test starts the local model)"))
    func theEntitySuiteAnswersAreValidAgainstTheSchema() async throws {
        let baseURL = try #require(Self.baseURL)
        let dir = try TempDirectory("assay-e2e-fields")
        defer { dir.remove() }
        let shipped = PackagePaths.root + "/evalsets/entity-extraction"
        _ = try dir.write("suite/suite.yaml", try String(contentsOfFile: shipped + "/suite.yaml", encoding: .utf8))
        let cases = try String(contentsOfFile: shipped + "/cases.jsonl", encoding: .utf8).split(separator: "\n")
        let chosen = stride(from: 0, to: cases.count, by: 8).map { cases[$0] }
        _ = try dir.write("suite/cases.jsonl", chosen.joined(separator: "\n") + "\n")
        let storePath = dir.path("assay.sqlite")
        let run = try await runAssay([
            "run", "--suite", dir.path("suite"), "--model", "gemma3-270m", "--base-url", "local=\(baseURL)",
            "--store", storePath, "--reports", dir.path("reports"), "--no-cache", "--concurrency", "1",
        ])
        #expect(run.status == 0 || run.status == 1, "\(run)")
        let store = try Store(path: storePath)
        let manifest = try #require(try await store.runs().first)
        let results = try await store.results(run: manifest.id)
        #expect(results.count == chosen.count)
        for result in results {
            #expect(result.status == .graded, "\(result.caseID): \(result.errorMessage ?? "")")
            #expect(result.finishReason == "stop", "\(result.caseID): cut off: \(result.output ?? "")")
            let evidence = try #require(result.grade?.fieldsEvidence, "\(result.caseID)")
            #expect(
                evidence.schemaValid,
                "\(result.caseID): \(evidence.jsonError ?? "") \(evidence.schemaErrors) in \(result.output ?? "")")
            #expect(evidence.fields.count == 5)
        }
        let summary = try JSONDecoder().decode(
            JSONValue.self,
            from: Data(contentsOf: URL(fileURLWithPath: dir.path("reports/\(manifest.id)/summary.json"))))
        let fields = summary["models"]?.arrayValue?.first?["suites"]?.arrayValue?.first?["fields"]
        #expect(fields?["asked_with"] == "json_schema", "response_format went on the wire")
        #expect(fields?["schema_valid_rate"] == 1.0)
    }
}
