import AssayAnalysis
import AssayCore
import Foundation

/// `runs/index.html`: every published run, newest first, with its label and note, models,
/// suites, the store it came from and the decisions that read it.
enum SiteRunsPage {
    static func render(_ runs: [SiteRun], decisions: [Decision]) -> String {
        let page = SiteLayout.runsList
        var out = SitePage.head(title: "Assay runs")
        out += SitePage.nav(from: page)
        out += "<h1>Runs</h1>\n<p class=\"muted\">\(runs.count) runs, newest first.</p>\n"
        out +=
            "<div class=\"scroll\"><table class=\"sortable\"><thead><tr><th data-key=\"run\">run</th><th data-key=\"started\">started</th><th data-key=\"status\">status</th><th data-key=\"label\">label</th><th data-key=\"models\">models</th><th data-key=\"suites\">suites</th><th data-key=\"decisions\">decisions</th></tr></thead><tbody>\n"
        for run in runs.sorted(by: SiteRun.newestFirst) {
            let manifest = run.manifest
            let href = SiteLayout.href(SiteLayout.runPage(manifest.id), from: page)
            var label: HTML = "-"
            if let text = manifest.label {
                label = "<strong>\(text.text)</strong>"
                if let note = text.note { label += "<br><span class=\"muted\">\(note)</span>" }
            }
            let suites = manifest.suites.map { suite -> HTML in
                "<a href=\"\(SiteLayout.href(SiteLayout.suitePage(suite.id), from: page))\">\(suite.id)</a>"
            }.joined(separator: ", ")
            let naming = decisions.filter { $0.runs.contains(manifest.id) }.sorted(by: SiteDecisions.newestFirst)
            let decided = naming.map { decision -> HTML in
                "<a href=\"\(SiteLayout.href(SiteLayout.decisionPage(decision.id), from: page))\">\(decision.kind.rawValue)</a>"
            }.joined(separator: ", ")
            out +=
                "<tr><td><a href=\"\(href)\">\(manifest.id)</a></td><td data-v=\"\(XMLWriter.number(manifest.startedAt.timeIntervalSince1970))\">\(SummaryJSON.timestamp(manifest.startedAt))</td><td>\(manifest.status.rawValue)</td><td>\(label)</td><td>\(SiteSuitePage.links(run.models, from: page))</td><td>\(suites)</td><td>\(decided)</td></tr>\n"
        }
        out += "</tbody></table></div>\n"
        out += SitePage.tail
        return out.markup
    }
}
