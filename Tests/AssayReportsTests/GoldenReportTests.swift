import AssayAnalysis
import AssayCore
@testable import AssayReports
import AssayRuns
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The HTML and XML of the fixture run, compared byte for byte with the recorded files in
/// Golden/. After an intended change, re-record: `ASSAY_RECORD_GOLDEN=1 swift test --filter GoldenReportTests`.
@Suite struct GoldenReportTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Golden"
    ).path
    static let recording = ProcessInfo.processInfo.environment["ASSAY_RECORD_GOLDEN"] == "1"

    @Test(arguments: ["index.html", "report.xml", "summary.md"])
    func theReportMatchesItsGoldenFile(name: String) async throws {
        let dir = try TempDirectory("assay-golden")
        defer { dir.remove() }
        let store = try await ReportFixture.store(at: dir.path("s.sqlite"))
        let written = try await ReportFiles.write(run: ReportFixture.runID, from: store, under: dir.path("reports"))
        try Self.check(try String(contentsOfFile: written.path(name), encoding: .utf8), against: name)
    }

    /// The comparison page (alpha against beta of the fixture run, judged by a gate, with a
    /// routing policy simulated) and the store's index of runs, byte for byte.
    /// A published site's front page over the site fixture (three runs on two days, a
    /// compare), byte for byte.
    @Test func theSitesFrontPageMatchesItsGoldenFile() async throws {
        let published = try await SiteTests.publish()
        defer { published.dir.remove() }
        try Self.check(try published.text("index.html"), against: "site-index.html")
    }

    @Test(arguments: ["comparison.html", "runs.html"])
    func theOtherPagesMatchTheirGoldenFiles(name: String) async throws {
        let dir = try TempDirectory("assay-golden")
        defer { dir.remove() }
        let store = try await ReportFixture.store(at: dir.path("s.sqlite"))
        let actual: String
        if name == "runs.html" {
            _ = try await ReportFiles.write(run: ReportFixture.runID, from: store, under: dir.path("reports"))
            actual = try String(contentsOfFile: dir.path("reports/index.html"), encoding: .utf8).replacingOccurrences(
                of: dir.path, with: "STORE")
        } else {
            // alpha has no quoted input price: its cost is compared with beta's under a stated assumption.
            let base = try await Side.load(run: ReportFixture.runID, model: "alpha", from: store, inputRatio: 0.5)
            let candidate = try await Side.load(run: ReportFixture.runID, model: "beta", from: store, inputRatio: 0.5)
            let comparison = Comparison.compute(base: base, candidate: candidate, resamples: 500)
            let verdicts = try Gate.evaluate(
                GatePolicy(minScore: ["*": 0.5], maxCostIncreasePercent: 10, maxP99Ms: 50), comparison)
            let policy = RoutingPolicy(
                name: "cheap<first>",
                rules: [
                    RoutingPolicy.Rule(
                        name: "math", match: .init(suites: ["math"]), model: "local",
                        fallback: .init(model: "beta", onInvalid: true)),
                    RoutingPolicy.Rule(name: "rest", model: "alpha"),
                ])
            let manifest = try #require(try await store.run(ReportFixture.runID))
            let route = try RouteSimulation.simulate(
                policy, manifest: manifest, results: try await RouteSimulation.results(of: manifest, from: store))
            actual = ComparisonHTML.render(comparison, verdicts: verdicts, routes: [route])
        }
        try Self.check(actual, against: name)
    }

    static func check(_ actual: String, against name: String) throws {
        let golden = goldenDirectory + "/" + name
        if recording {
            try actual.write(toFile: golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: golden, encoding: .utf8)
        if actual != expected {
            Issue.record(
                "\(name) differs from Golden/\(name):\n\(firstDifference(expected, actual))\nRe-record with ASSAY_RECORD_GOLDEN=1 if the change is intended."
            )
        }
    }

    /// The first differing line, with its neighbours.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(a.count, b.count)
        where (index < a.count ? a[index] : nil) != (index < b.count ? b[index] : nil) {
            let expectedLine = index < a.count ? String(a[index].prefix(300)) : "<end of file>"
            let actualLine = index < b.count ? String(b[index].prefix(300)) : "<end of file>"
            return "line \(index + 1):\n- \(expectedLine)\n+ \(actualLine)"
        }
        return "(same lines, different bytes)"
    }
}
