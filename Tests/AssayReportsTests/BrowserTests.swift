import AssayCore
import AssayReports
import AssayTestSupport
import Foundation
import Testing

/// The HTML report in a real browser (headless Chromium, Debian's `chromium`): it renders
/// (not blank), its charts are there, and no script smuggled in through a model's answer
/// ran. scripts/test installs Chromium and requires this test to pass.
@Suite(.serialized) struct BrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(
        where: FileManager.default.isExecutableFile)

    static func chrome(_ arguments: [String]) async throws -> CommandResult {
        guard let chromium else { throw CommandError(description: "no chromium") }
        return try await runProcess(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                "--virtual-time-budget=3000",
            ] + arguments,
            in: "/tmp", environment: ["HOME": "/tmp"])
    }

    /// Each drill-down item in `html`: whether it passed, and whether it is hidden.
    static func items(_ html: String) -> [(passed: Bool, hidden: Bool)] {
        html.components(separatedBy: "<details class=\"item\"").dropFirst().map { rest in
            let tag = rest.prefix { $0 != ">" }
            return (tag.contains("data-pass=\"1\""), tag.contains(" hidden"))
        }
    }

    /// The number in the filters' "N shown", or nil.
    static func shownCount(_ html: String) -> Int? {
        guard let start = html.range(of: "<span id=\"f-count\">") else { return nil }
        return Int(html[start.upperBound...].prefix { $0 != "<" })
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
        // Our own script ran. The page is written showing every item, with their count; only
        // the script hides items and recounts. With "wrong or failed only" ticked before it
        // runs, it must hide the passed items and count the others.
        let items = Self.items(dom.stdout)
        let wrong = items.filter { !$0.passed }.count
        try #require(
            wrong > 0 && wrong < items.count,
            "the fixture shows passed and failed items: \(wrong) of \(items.count) failed")
        #expect(items.allSatisfy { !$0.hidden }, "nothing is filtered out at first")
        #expect(Self.shownCount(dom.stdout) == items.count)
        let html = try String(contentsOfFile: written.path("index.html"), encoding: .utf8)
        let checkbox = "<input type=\"checkbox\" id=\"f-wrong\">"
        let ticked = html.replacingOccurrences(of: checkbox, with: checkbox.dropLast() + " checked>")
        try #require(ticked != html, "the page has the wrong-only checkbox")
        let wrongOnly = written.path("wrong-only.html")
        try ticked.write(toFile: wrongOnly, atomically: true, encoding: .utf8)
        let filtered = try await Self.chrome(["--dump-dom", "file://" + wrongOnly])
        #expect(filtered.status == 0, "\(filtered.stderr.suffix(2000))")
        let filteredItems = Self.items(filtered.stdout)
        try #require(filteredItems.count == items.count)
        #expect(filteredItems.allSatisfy { $0.hidden == $0.passed }, "the script hid exactly the passed items")
        #expect(Self.shownCount(filtered.stdout) == wrong, "the script counted the items left shown")

        // Not blank: the page's screenshot, against a blank page's in the same run.
        let shot = dir.path("report.png"), blank = dir.path("blank.png")
        try dir.write("blank.html", "<!DOCTYPE html><html><body></body></html>")
        _ = try await Self.chrome(["--window-size=1280,2000", "--screenshot=\(shot)", page])
        _ = try await Self.chrome([
            "--window-size=1280,2000", "--screenshot=\(blank)", "file://" + dir.path("blank.html"),
        ])
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

    /// The rows of the first table of `html` inside `<section id="suite-<suite>">`: the
    /// models, in the order the page shows them.
    static func rows(_ html: String, suite: String) throws -> [String] {
        try SiteTests.ranking(html, suite: suite)
    }

    @Test(.enabled(if: chromium != nil, "apt-get install chromium (scripts/test does)"))
    func everyPageOfAPublishedSiteOpensFromFileWithNoConsoleErrorAndItsTablesSort() async throws {
        let published = try await SiteTests.publish()
        defer { published.dir.remove() }
        let pages = try SiteLinks.pages(in: published.site)
        try #require(pages.count >= 12)
        for page in pages {
            let result = try await Self.chrome([
                "--enable-logging=stderr", "--v=0", "--dump-dom", "file://" + published.site + "/" + page,
            ])
            #expect(result.status == 0, "\(page): \(result.stderr.suffix(1000))")
            let console = result.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
            #expect(console.isEmpty, "\(page): \(console.prefix(3))")
            #expect(result.stdout.contains("</main>"), "\(page) did not render")
        }
        // Sorting: ?sort=KEY sorts every table by that column as the page opens, each cost
        // basis group on its own (gamma, costed on output tokens only, stays apart).
        let front = "file://" + published.site + "/index.html"
        let byCost = try await Self.chrome(["--dump-dom", front + "?sort=cost"])
        #expect(try Self.rows(byCost.stdout, suite: "intent") == ["epsilon", "delta", "alpha", "beta", "gamma"])
        let byScore = try await Self.chrome(["--dump-dom", front + "?sort=-score"])
        #expect(try Self.rows(byScore.stdout, suite: "intent") == ["alpha", "delta", "beta", "epsilon", "gamma"])
        #expect(byScore.stdout.contains("aria-sort=\"descending\""), "the header says how the table is sorted")
    }
}
