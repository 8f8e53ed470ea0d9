import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The OCR suite end to end against the local Tesseract baseline: real OCR, real CER.
/// scripts/test installs Tesseract and requires this test to pass.
@Suite struct TesseractBaselineTests {
    static let installed = FileManager.default.isExecutableFile(atPath: "/usr/bin/tesseract")

    @Test(.enabled(if: installed, "apt-get install tesseract-ocr tesseract-ocr-chi-sim (scripts/test does)"))
    func theOCRSuiteRunsAgainstTesseractAndReportsCER() async throws {
        let dir = try TempDirectory("assay-ocr")
        defer { dir.remove() }
        let run = try await runAssay([
            "run", "--suite", "evalsets/vision-ocr", "--model", "tesseract-ocr", "--model", "gemma3-270m",
            "--base-url", "local=http://127.0.0.1:1/v1", "--store", dir.path("s.sqlite"), "--reports",
            dir.path("reports"), "--quiet",
        ])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("tesseract-ocr on vision-ocr: CER"))
        let runID = try #require(try await Store(path: dir.path("s.sqlite")).runs().first?.id)
        let summary = try JSONDecoder().decode(
            JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: dir.path("reports/\(runID)/summary.json"))))
        let models = summary["models"]?.arrayValue ?? []
        let tesseract = try #require(models.first { $0["model"] == "tesseract-ocr" })
        let suite = try #require(tesseract["suites"]?.arrayValue?.first)
        let cer = try #require(suite["ocr"]?["cer"]?.doubleValue)
        let images = try #require(suite["ocr"]?["items"]?.intValue)
        #expect(images >= 30)
        #expect(cer > 0 && cer < 0.2, "Tesseract reads the fixtures, imperfectly: CER \(cer)")
        #expect(tesseract["spend"]?["cost"] == 0, "a $0 baseline")
        #expect(tesseract["errors"] == 0)
        // The text-only local model is never sent an image (and its server is not even up).
        let gemma = try #require(models.first { $0["model"] == "gemma3-270m" })
        #expect(gemma["suites"]?.arrayValue?.first?["status"] == "unsupported")
        #expect(gemma["errors"] == 0)
        print("tesseract baseline: CER \(String(format: "%.3f", cer)) over \(images) images")
    }

    /// The receipt suite against the $0 floor: Tesseract's text read by fixed rules
    /// (`ReceiptExtractor`), asked with `response_format` like any model that takes it.
    /// Tesseract reads the clean English receipts well and the Chinese ones and the fapiao
    /// poorly: the floor is well above nothing and well below everything.
    @Test(.enabled(if: installed, "apt-get install tesseract-ocr tesseract-ocr-chi-sim (scripts/test does)"))
    func theReceiptSuiteRunsAgainstTesseractAsAFloor() async throws {
        let dir = try TempDirectory("assay-receipts")
        defer { dir.remove() }
        let run = try await runAssay([
            "run", "--suite", "evalsets/receipt-fields", "--model", "tesseract-ocr", "--store", dir.path("s.sqlite"),
            "--reports", dir.path("reports"), "--quiet",
        ])
        #expect(run.status == 0 || run.status == 1, "\(run)")
        let store = try Store(path: dir.path("s.sqlite"))
        let runID = try #require(try await store.runs().first?.id)
        let results = try await store.results(run: runID)
        #expect(results.count >= 30)
        #expect(results.allSatisfy { $0.status == .graded && $0.grade?.fieldsEvidence?.jsonValid == true })
        let summary = try JSONDecoder().decode(
            JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: dir.path("reports/\(runID)/summary.json"))))
        let fields = try #require(summary["models"]?.arrayValue?.first?["suites"]?.arrayValue?.first?["fields"])
        #expect(fields["asked_with"] == "json_schema")
        let accuracy = try #require(fields["field_accuracy"]?.doubleValue)
        let total = try #require(fields["per_field"]?["total"]?["accuracy"]?.doubleValue)
        let date = try #require(fields["per_field"]?["date"]?["accuracy"]?.doubleValue)
        #expect(accuracy > 0.4 && accuracy < 0.95, "a floor, not a ceiling: \(accuracy)")
        #expect(total > 0.5 && date > 0.7, "total \(total), date \(date)")
        print(
            "tesseract receipt floor: fields \(accuracy), total \(total), date \(date), micro F1 \(fields["micro_f1"] ?? .null)"
        )
    }
}
