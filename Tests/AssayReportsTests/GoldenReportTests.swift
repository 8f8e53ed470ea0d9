import AssayCore
import AssayReports
import AssayTestSupport
import Foundation
import Testing

/// The HTML and XML of the fixture run, compared byte for byte with the recorded files in
/// Golden/. After an intended change, re-record: `ASSAY_RECORD_GOLDEN=1 swift test --filter GoldenReportTests`.
@Suite struct GoldenReportTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
    static let recording = ProcessInfo.processInfo.environment["ASSAY_RECORD_GOLDEN"] == "1"

    @Test(arguments: ["index.html", "report.xml", "summary.md"])
    func theReportMatchesItsGoldenFile(name: String) async throws {
        let dir = try TempDirectory("assay-golden")
        defer { dir.remove() }
        let store = try await ReportFixture.store(at: dir.path("s.sqlite"))
        let written = try await ReportFiles.write(run: ReportFixture.runID, from: store, under: dir.path("reports"))
        let actual = try String(contentsOfFile: written.path(name), encoding: .utf8)
        let golden = Self.goldenDirectory + "/" + name
        if Self.recording {
            try actual.write(toFile: golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: golden, encoding: .utf8)
        if actual != expected {
            Issue.record("\(name) differs from Golden/\(name):\n\(Self.firstDifference(expected, actual))\nRe-record with ASSAY_RECORD_GOLDEN=1 if the change is intended.")
        }
    }

    /// The first differing line, with its neighbours.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(a.count, b.count) where (index < a.count ? a[index] : nil) != (index < b.count ? b[index] : nil) {
            let expectedLine = index < a.count ? String(a[index].prefix(300)) : "<end of file>"
            let actualLine = index < b.count ? String(b[index].prefix(300)) : "<end of file>"
            return "line \(index + 1):\n- \(expectedLine)\n+ \(actualLine)"
        }
        return "(same lines, different bytes)"
    }
}
