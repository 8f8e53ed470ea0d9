import AssayCore
import AssayReports
import AssayTestSupport
import Foundation
import Testing

/// The HTML report in a real browser (headless Chromium, Debian's `chromium`): it renders
/// (not blank), its charts are there, and no script smuggled in through a model's answer
/// ran. scripts/test installs Chromium and requires this test to pass.
@Suite(.serialized) struct BrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile)

    static func chrome(_ arguments: [String]) async throws -> CommandResult {
        guard let chromium else { throw CommandError(description: "no chromium") }
        return try await runProcess(
            chromium,
            ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars", "--virtual-time-budget=3000"] + arguments,
            in: "/tmp", environment: ["HOME": "/tmp"])
    }

    @Test(.enabled(if: chromium != nil, "apt-get install chromium (scripts/test does)"))
    func theReportRendersWithItsChartsAndNoSmuggledScriptRuns() async throws {
        let dir = try TempDirectory("assay-browser")
        defer { dir.remove() }
        let store = try await ReportFixture.store(at: dir.path("s.sqlite"), hostile: true)
        let written = try await ReportFiles.write(run: ReportFixture.runID, from: store, under: dir.path("reports"))
        let page = "file://" + written.path("index.html")

        let dom = try await Self.chrome(["--dump-dom", page])
        #expect(dom.status == 0, "\(dom.stderr.suffix(2000))")
        // The answers' text mentions data-pwned (escaped); the body element must not carry it.
        let body = try #require(dom.stdout.range(of: "<body")).lowerBound
        let bodyTag = dom.stdout[body...].prefix { $0 != ">" }
        #expect(!bodyTag.contains("data-pwned"), "a script from a model's answer ran: \(bodyTag)")
        #expect(dom.stdout.contains("data-pwned"), "the hostile answers are shown, as text")
        #expect(dom.stdout.contains("<svg id=\"scatter\""), "the scatter chart is missing")
        #expect(dom.stdout.components(separatedBy: "class=\"point\"").count - 1 == 3, "a point per model")
        #expect(dom.stdout.contains("class=\"chart bars\""), "the suite bars are missing")
        #expect(dom.stdout.contains("<svg id=\"latency\""), "the latency chart is missing")
        // Our own script ran: it counted the items the filters show.
        let count = try #require(dom.stdout.range(of: "<span id=\"f-count\">"))
        #expect(dom.stdout[count.upperBound...].hasPrefix("4") || dom.stdout[count.upperBound...].first?.isNumber == true)

        // Not blank: the page's screenshot, against a blank page's in the same run.
        let shot = dir.path("report.png"), blank = dir.path("blank.png")
        try dir.write("blank.html", "<!DOCTYPE html><html><body></body></html>")
        _ = try await Self.chrome(["--window-size=1280,2000", "--screenshot=\(shot)", page])
        _ = try await Self.chrome(["--window-size=1280,2000", "--screenshot=\(blank)", "file://" + dir.path("blank.html")])
        let shotSize = try FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int ?? 0
        let blankSize = try FileManager.default.attributesOfItem(atPath: blank)[.size] as? Int ?? 0
        #expect(blankSize > 0)
        #expect(shotSize > blankSize * 5, "the screenshot looks blank: \(shotSize) bytes against \(blankSize)")
        // On a phone-sized window it still renders.
        let phone = dir.path("phone.png")
        _ = try await Self.chrome(["--window-size=390,844", "--screenshot=\(phone)", page])
        #expect((try FileManager.default.attributesOfItem(atPath: phone)[.size] as? Int ?? 0) > blankSize * 3)
        if let keep = ProcessInfo.processInfo.environment["ASSAY_KEEP_SCREENSHOTS"] {
            try? FileManager.default.copyItem(atPath: shot, toPath: keep + "/report.png")
            try? FileManager.default.copyItem(atPath: phone, toPath: keep + "/phone.png")
        }
    }
}
