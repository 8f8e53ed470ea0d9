import AssayAnalysis
import AssayCore
import Foundation

/// `feed.xml`: an Atom feed (RFC 4287) of the newest runs, written with libxml2. Links are
/// relative to the feed (`xml:base` is the `--base-url` when one is given, so readers that
/// need absolute links get them); ids are `urn:assay:run:<id>`, stable across publishes.
enum SiteFeed {
    static let limit = 50

    static func write(_ runs: [SiteRun], baseURL: String?, to path: String) throws {
        let xml = try XMLWriter(path: path)
        let newest = Array(runs.sorted(by: SiteRun.newestFirst).prefix(limit))
        xml.start("feed")
        xml.attribute("xmlns", "http://www.w3.org/2005/Atom")
        xml.attribute("xml:base", baseURL)
        xml.element("title", text: "Assay runs")
        xml.element("id", text: "urn:assay:site")
        xml.element("updated", text: SummaryJSON.timestamp(newest.first.map(updated) ?? Date(timeIntervalSince1970: 0)))
        xml.empty("link", [("rel", "alternate"), ("href", SiteLayout.front)])
        xml.empty("link", [("rel", "self"), ("href", SiteLayout.feed)])
        xml.start("author")
        xml.element("name", text: "Assay")
        xml.end()
        for run in newest {
            let manifest = run.manifest
            xml.start("entry")
            xml.element("title", text: "Run \(manifest.id)" + (manifest.label.map { ": \($0.text)" } ?? ""))
            xml.element("id", text: "urn:assay:run:\(manifest.id)")
            xml.element("updated", text: SummaryJSON.timestamp(updated(run)))
            xml.element("published", text: SummaryJSON.timestamp(manifest.startedAt))
            xml.empty("link", [("rel", "alternate"), ("href", SiteLayout.runPage(manifest.id))])
            xml.element("summary", text: summary(run))
            xml.end()
        }
        xml.end()
        try xml.finish()
    }

    static func updated(_ run: SiteRun) -> Date { run.manifest.endedAt ?? run.manifest.startedAt }

    /// "completed; 3 models on 2 suites; best value on intent-zh: v4-flash (82.0%). Note: ..."
    static func summary(_ run: SiteRun) -> String {
        let manifest = run.manifest
        var text =
            "\(manifest.status.rawValue); \(run.models.count) model\(run.models.count == 1 ? "" : "s") on \(manifest.suites.count) suite\(manifest.suites.count == 1 ? "" : "s")"
        let bySuite = Dictionary(grouping: run.points.filter { $0.slice == nil }, by: \.suite)
        for suite in bySuite.keys.sorted() {
            guard let best = Rankings.byValue(bySuite[suite] ?? [], \.valueKey).first else { continue }
            text += "; best value on \(suite): \(best.model) (\(best.score.map(Format.percent) ?? "-"))"
        }
        if let note = manifest.label?.note { text += ". \(note)" }
        return text
    }
}
