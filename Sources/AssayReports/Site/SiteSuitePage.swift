import AssayAnalysis
import AssayCore
import Foundation

/// A suite's page: its versions (fingerprints), newest first, each with the runs and models
/// that met it; and every result on the newest version. A result is compared across runs
/// only while the suite is the same: a changed suite starts a new series.
enum SiteSuitePage {
    static func render(suite: String, points: [SitePoint]) -> String {
        let page = SiteLayout.suitePage(suite)
        var out = SitePage.head(title: "Assay: suite \(suite)")
        out += SitePage.nav(from: page)
        out += "<h1>Suite <code>\(suite)</code></h1>\n"
        let wholes = points.filter { $0.slice == nil }
        let versions = Leaderboard.series(wholes)
        out +=
            "<p class=\"muted\">A suite's version is the SHA-256 of what decides its results (prompt, grader, generation, each case's input, expected answer and tags). Results are ranked and plotted together only within one version: a changed suite starts a new series.</p>\n"
        out +=
            "<h2>Versions</h2>\n<div class=\"scroll\"><table><thead><tr><th>version</th><th>first run</th><th>last run</th><th class=\"num\">runs</th><th>models</th></tr></thead><tbody>\n"
        for (index, version) in versions.enumerated() {
            out +=
                "<tr><td><code>\(version.fingerprint ?? "unknown (runs stored before Assay kept one)")</code>\((index == 0 ? " <strong>current</strong>" : "") as HTML)</td><td>\(SitePage.date(version.first))</td><td>\(SitePage.date(version.last))</td><td class=\"num\">\(version.runs.count)</td><td>\(links(version.models, from: page))</td></tr>\n"
        }
        out += "</tbody></table></div>\n"
        if let current = versions.first {
            let rows = wholes.filter { $0.fingerprint == current.fingerprint }.sorted {
                ($0.startedAt, $0.run, $0.model) > ($1.startedAt, $1.run, $1.model)
            }
            out +=
                "<h2>Results on the current version</h2>\n<div class=\"scroll\"><table class=\"sortable\"><thead><tr><th data-key=\"run\">run</th><th data-key=\"model\">model</th><th class=\"num\" data-key=\"score\">score</th><th class=\"num\" data-key=\"value\">correct/$</th><th class=\"num\" data-key=\"cost\">cost</th><th class=\"num\" data-key=\"p99\">p99</th></tr></thead><tbody>\n"
            for point in rows {
                let run = SiteLayout.href(SiteLayout.runPage(point.run), from: page)
                let model = SiteLayout.href(SiteLayout.modelPage(point.model), from: page)
                out +=
                    "<tr><td data-v=\"\(XMLWriter.number(point.startedAt.timeIntervalSince1970))\"><a href=\"\(run)\">\(point.run)</a> <span class=\"muted\">\(SitePage.date(point.startedAt))</span></td><td><a href=\"\(model)\">\(point.model)</a></td>"
                out += SitePage.score(point) + SitePage.value(point) + SitePage.cost(point)
                out += SitePage.milliseconds(point.p99Ms) + "</tr>\n"
            }
            out += "</tbody></table></div>\n"
        }
        out += SitePage.tail
        return out.markup
    }

    static func links(_ models: [String], from page: String) -> HTML {
        models.map { model -> HTML in
            "<a href=\"\(SiteLayout.href(SiteLayout.modelPage(model), from: page))\">\(model)</a>"
        }.joined(separator: ", ")
    }
}
