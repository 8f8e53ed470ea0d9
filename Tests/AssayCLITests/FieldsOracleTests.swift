import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// `assay serve-test --suite evalsets/receipt-fields` knows each receipt by its image (every
/// case has the same prompt) and answers with its expected fields: the shipped suite, asked of
/// a shipped vision model (json_object, the schema in its prompt), passes every item it
/// answers right and no item it answers wrong.
@Suite struct FieldsOracleTests {
    @Test func theReceiptOracleIsGradedRightItemByItem() async throws {
        let dir = try TempDirectory("assay-fields-oracle")
        defer { dir.remove() }
        let suite = "evalsets/receipt-fields"
        let server = try await ServeTest([
            "--suite", suite, "--wrong-every", "5", "--ttft-ms", "1", "--chunk-delay-ms", "0",
        ])
        defer { server.stop() }
        let run = try await runAssay(
            [
                "run", "--suite", suite, "--model", "qwen3-vl", "--quiet", "--base-url", "unified=\(server.baseURL)",
                "--store", dir.path("s.sqlite"), "--reports", dir.path("reports"),
            ],
            environment: ["ASSAY_UNIFIED_API_KEY": "test-key"])
        #expect(run.status == 0 || run.status == 1, "\(run)")
        let store = try Store(path: dir.path("s.sqlite"))
        let manifest = try #require(try await store.runs().first)
        let results = try await store.results(run: manifest.id)
        let cases = try String(contentsOfFile: PackagePaths.root + "/" + suite + "/cases.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try JSONParser.parse(Array($0.utf8))["id"]?.stringValue ?? "" }
        #expect(results.count == cases.count && cases.count >= 30)
        for result in results {
            let index = try #require(cases.firstIndex(of: result.caseID))
            let wrong = (index + 1) % 5 == 0
            #expect(
                result.grade?.outcome == (wrong ? .invalid : .pass),
                "\(result.caseID): \(result.grade?.evidence ?? [:])")
        }
        let markdown = try String(
            contentsOfFile: dir.path("reports/\(manifest.id)/summary.md"), encoding: .utf8)
        #expect(
            markdown.contains("receipt-fields / Qwen/Qwen3-VL-32B (json_object + schema in the prompt)"), "\(markdown)")
    }
}
