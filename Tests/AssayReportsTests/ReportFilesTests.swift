import AssayAnalysis
import AssayCore
import AssayReports
import AssayStore
import AssayTestSupport
import Foundation
import FoundationXML
import Testing

@Suite struct ReportFilesTests {
    func written(hostile: Bool = false) async throws -> (TempDirectory, ReportFiles.Written) {
        let dir = try TempDirectory("assay-reports")
        let store = try await ReportFixture.store(at: dir.path("s.sqlite"), hostile: hostile)
        return (dir, try await ReportFiles.write(run: ReportFixture.runID, from: store, under: dir.path("reports")))
    }

    @Test func allFiveOutputsAndTheIndexAreWritten() async throws {
        let (dir, written) = try await written()
        defer { dir.remove() }
        for name in ReportFiles.fileNames {
            #expect(FileManager.default.fileExists(atPath: written.path(name)), "\(name)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: written.directory).filter {
            $0.contains(".partial")
        }
        #expect(leftovers.isEmpty, "no partial file is left behind")
        let index = try dir.read("reports/index.html")
        #expect(index.contains("href=\"\(ReportFixture.runID)/index.html\""))
        #expect(index.contains("best value: local"))
    }

    @Test func theXMLReportValidatesAgainstItsSchema() async throws {
        let (dir, written) = try await written()
        defer { dir.remove() }
        #expect(ReportSchema.validate(written.path("report.xml")) == [])
        // And the validator does reject a report that breaks the schema.
        let broken = try String(contentsOfFile: written.path("report.xml"), encoding: .utf8)
            .replacingOccurrences(of: "status=\"completed\"", with: "status=\"finished-ish\"")
        try dir.write("broken.xml", broken)
        let problems = ReportSchema.validate(dir.path("broken.xml"))
        #expect(!problems.isEmpty)
        #expect(problems.first?.contains("finished-ish") == true, "\(problems)")
    }

    @Test func theCommittedSchemaIsTheOneTheToolCarries() throws {
        let committed = try String(contentsOfFile: PackagePaths.root + "/schemas/assay-report-1.xsd", encoding: .utf8)
        #expect(committed == ReportSchema.xsd, "the EmbedFiles plugin builds schemas/assay-report-1.xsd in: rebuild")
    }

    @Test func junitHasASuitePerModelAndSuiteWithExpectedAndGot() async throws {
        let (dir, written) = try await written()
        defer { dir.remove() }
        let junit = try String(contentsOfFile: written.path("junit.xml"), encoding: .utf8)
        #expect(junit.components(separatedBy: "<testsuite ").count - 1 == 9)
        #expect(junit.contains("<testsuite name=\"beta / ocr\" tests=\"3\" failures=\"0\" errors=\"0\" skipped=\"3\""))
        #expect(junit.contains("<failure type=\"fail\" message=\"expected 9, got 99\">"))
        #expect(junit.contains("<error type=\"rate_limited\" message=\"rate_limited (HTTP 429): slow down\""))
        #expect(junit.contains("<skipped message=\"unsupported"))
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: written.path("junit.xml")))
        #expect(try document.nodes(forXPath: "//testcase").count == 42)
    }

    @Test func summaryJSONAndMarkdownCarryRankingsIntervalsAndTheFrontier() async throws {
        let (dir, written) = try await written()
        defer { dir.remove() }
        let json = try JSONDecoder().decode(
            JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: written.path("summary.json"))))
        #expect(json["rankings"]?["by_quality_per_dollar"]?.arrayValue?.first == "local")
        #expect(json["frontier"]?.arrayValue?.first == "local")
        // Per suite: on math beta's higher score puts it on the frontier; on sentiment it does not.
        #expect(json["frontier_by_suite"]?["math"] == ["local", "beta"])
        #expect(json["frontier_by_suite"]?["sentiment"] == ["local"])
        let betaMath = json["models"]?.arrayValue?.first { $0["model"] == "beta" }?["suites"]?.arrayValue?.first {
            $0["suite"] == "math"
        }
        #expect(
            betaMath?["quality_per_dollar"]?["correct_per_dollar"]?.doubleValue.map { abs($0 - 100_000) < 1e-6 } == true
        )
        let alpha = try #require(json["models"]?.arrayValue?.first { $0["model"] == "alpha" })
        #expect(alpha["ci_95"]?["lower"]?.doubleValue != nil)
        #expect(alpha["quality_per_dollar"]?["free"] == false)
        #expect(alpha["spend"]?["output_only"] == true)
        let markdown = try String(contentsOfFile: written.path("summary.md"), encoding: .utf8)
        #expect(markdown.contains("| # | model | correct per $ | score (95% CI) |"))
        #expect(
            markdown.contains("| 1 | local ★ | free |"), "ranked by value: the free model that got answers right first")
        let order = ["alpha", "beta"].compactMap { markdown.range(of: "| \($0) ")?.lowerBound }
        #expect(
            order.count == 2 && order[1] < order[0],
            "alpha (more correct per dollar, but costed on output tokens only) ranked apart, after beta")
        #expect(markdown.contains("Best score: **"))
        #expect(markdown.contains("output tokens only"))
    }

    @Test func hostileAnswersGiveASafePageAndAValidXML() async throws {
        let (dir, written) = try await written(hostile: true)
        defer { dir.remove() }
        let html = try String(contentsOfFile: written.path("index.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<script").count - 1 == 1, "only Assay's own script")
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("<evil>"))
        #expect(
            html.contains("&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&lt;/script&gt;"))
        #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" })
        #expect(html.contains("Content-Security-Policy"))
        let size = try FileManager.default.attributesOfItem(atPath: written.path("index.html"))[.size] as? Int ?? 0
        #expect(size < 2_000_000, "a 10 MB answer is cut in the page: \(size) bytes")
        #expect(ReportSchema.validate(written.path("report.xml")) == [])
        let xml = try XMLDocument(contentsOf: URL(fileURLWithPath: written.path("report.xml")))
        let outputs = try xml.nodes(forXPath: "//*[local-name()='output']").compactMap(\.stringValue)
        #expect(outputs.contains("]]><evil>&amp;</evil><![CDATA["), "text survives, escaped")
        #expect(outputs.contains { $0.hasPrefix("controls: \u{FFFD}") }, "forbidden characters become U+FFFD")
        #expect(
            ReportSchema.validate(written.path("junit.xml")).isEmpty == false,
            "junit.xml is not a report.xml (the validator is not a rubber stamp)")
        _ = try XMLDocument(contentsOf: URL(fileURLWithPath: written.path("junit.xml")))
    }
}
