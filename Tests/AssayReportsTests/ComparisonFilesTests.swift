import AssayAnalysis
import AssayCore
import AssayReports
import AssayTestSupport
import Foundation
import FoundationXML
import Testing

@Suite struct ComparisonFilesTests {
    static let hostile = "<script>alert(1)</script>\"'&|`\u{0}"

    static func record(_ id: String, right: Bool, output: String, cost: Double) -> ItemRecord {
        ItemRecord(
            suite: "zh|sentiment", caseID: id, epoch: 1, kind: .classification, status: .graded,
            outcome: right ? .pass : .fail,
            score: right ? 1 : 0, cost: cost, latencyMs: 120, expected: "正面", output: output,
            extracted: right ? "正面" : "负面")
    }

    /// 20 items both right, 8 broken (the candidate answers with a smuggled script), 1 fixed.
    static func comparison() -> Comparison {
        var base: [ItemRecord] = [], candidate: [ItemRecord] = []
        for index in 0..<29 {
            let id = "c\(index)"
            let baseRight = index < 28, candidateRight = index < 20 || index == 28
            base.append(record(id, right: baseRight, output: baseRight ? "正面" : "负面", cost: 0.002))
            candidate.append(record(id, right: candidateRight, output: candidateRight ? "正面" : hostile, cost: 0.001))
        }
        func side(_ label: String, _ records: [ItemRecord]) -> Side {
            Side(
                label: label, records: Dictionary(uniqueKeysWithValues: records.map { ($0.key, $0) }),
                suites: ["zh|sentiment"])
        }
        return Comparison.compute(
            base: side("r1@v3.2", base), candidate: side("r2@<b>v4</b>", candidate), resamples: 2_000)
    }

    @Test func theFilesShowTheBrokenItemsSideBySideAndEscapeWhatModelsWrote() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let comparison = Self.comparison()
        let verdicts = try Gate.evaluate(GatePolicy(minScore: ["*": 0.9]), comparison)
        let written = try ComparisonFiles.write(comparison, verdicts: verdicts, to: dir.path("out"))
        #expect(
            written.map { ($0 as NSString).lastPathComponent } == [
                "index.html", "comparison.json", "summary.md", "junit.xml",
            ])

        let html = try String(contentsOfFile: dir.path("out/index.html"), encoding: .utf8)
        #expect(!html.contains("<script"), "the page has no script, and no model's script gets in")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("script-src 'none'"))
        #expect(html.contains("r2@&lt;b&gt;v4&lt;/b&gt;") && !html.contains("<b>v4</b>"))
        #expect(
            html.components(separatedBy: "<div class=\"pair\">").count - 1 == 9,
            "8 broken and 1 fixed, each side by side")
        #expect(html.contains("Gate failed"))
        #expect(!html.contains("\u{0}"))

        let json = try JSONDecoder().decode(
            JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: dir.path("out/comparison.json"))))
        #expect(json["schema"] == "assay.comparison/1")
        let suite = try #require(json["suites"]?.arrayValue?.first)
        #expect(suite["broken"] == 8 && suite["fixed"] == 1 && suite["both_right"] == 20 && suite["both_wrong"] == 0)
        #expect(suite["broken_items"]?.arrayValue?.first?["candidate"]?["answer"]?.stringValue == Self.hostile)
        #expect(abs((suite["mcnemar_p"]?.doubleValue ?? 0) - McNemar.exactP(b: 1, c: 8)) < 1e-12)
        #expect(json["changes"]?["cost_percent"]?.doubleValue == -50)
        #expect(json["gate"]?["passed"] == false)

        let markdown = try String(contentsOfFile: dir.path("out/summary.md"), encoding: .utf8)
        #expect(markdown.hasPrefix("## Assay gate failed"))
        #expect(
            markdown.contains("| min score zh\\|sentiment | **FAIL** |"), "a pipe in a name does not break the table")
        #expect(markdown.contains("| `zh\\|sentiment` | 29 | 96.6% | 72.4% | -24.1 pts"))
        #expect(markdown.contains("### Broken items"))
        // Outside the tables a pipe stays as it is: an escaped one would show its backslash.
        let brokenLines = markdown.split(separator: "\n").filter { $0.hasPrefix("- `zh|sentiment/") }
        #expect(brokenLines.count == 8)
        #expect(brokenLines.first == "- `zh|sentiment/c20`: expected `正面`; base `正面`, candidate `负面`")
        #expect(!brokenLines.contains { $0.contains("\\|") })

        let junit = try XMLDocument(contentsOf: URL(fileURLWithPath: dir.path("out/junit.xml")))
        let cases = try junit.nodes(forXPath: "//testcase")
        #expect(cases.count == verdicts.count)
        let failures = try junit.nodes(forXPath: "//testcase/failure")
        #expect(
            failures.count == verdicts.filter { !$0.passed }.count && failures.count == 2,
            "min score and the significant regression")
    }

    @Test func withoutAGateThereIsNoJUnitAndNoVerdict() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let written = try ComparisonFiles.write(Self.comparison(), to: dir.path("out"))
        #expect(written.count == 3)
        #expect(!FileManager.default.fileExists(atPath: dir.path("out/junit.xml")))
        let markdown = try String(contentsOfFile: dir.path("out/summary.md"), encoding: .utf8)
        #expect(markdown.hasPrefix("## Assay comparison:"))
        let table = ComparisonTable.render(Self.comparison())
        #expect(table.contains("zh|sentiment  29"), "\(table)")
        #expect(table.contains("-50.0%"))
    }
}
