import AssayCore
import Foundation

/// The decisions kept in the stores, as the site lists them and links them to their runs.
enum SiteDecisions {
    /// A table of decisions, newest first, linked from `page`.
    static func list(_ decisions: [Decision], from page: String) -> HTML {
        var out: HTML =
            "<div class=\"scroll\"><table class=\"sortable\"><thead><tr><th data-key=\"when\">when</th><th data-key=\"kind\">kind</th><th data-key=\"decision\">decision</th><th data-key=\"verdict\">verdict</th><th data-key=\"runs\">runs</th></tr></thead><tbody>\n"
        for decision in decisions.sorted(by: newestFirst) {
            let href = SiteLayout.href(SiteLayout.decisionPage(decision.id), from: page)
            let runs = decision.runs.map { run -> HTML in
                "<a href=\"\(SiteLayout.href(SiteLayout.runPage(run), from: page))\">\(run)</a>"
            }.joined(separator: ", ")
            out +=
                "<tr><td data-v=\"\(XMLWriter.number(decision.createdAt.timeIntervalSince1970))\">\(SitePage.date(decision.createdAt))</td><td>\(decision.kind.rawValue)</td><td><a href=\"\(href)\">\(decision.title)</a></td><td>\(verdict(decision))</td><td>\(runs)</td></tr>\n"
        }
        out += "</tbody></table></div>\n"
        return out
    }

    static func verdict(_ decision: Decision) -> HTML {
        switch decision.passed {
        case .some(true): "<span class=\"pass\">passed</span>"
        case .some(false): "<span class=\"fail\">failed</span>"
        case .none: "-"
        }
    }

    static func newestFirst(_ a: Decision, _ b: Decision) -> Bool { (a.createdAt, a.id) > (b.createdAt, b.id) }

    /// The links a run's page shows: back to the site, and to each decision that read it.
    static func runNav(run: String, decisions: [Decision]) -> HTML {
        let page = SiteLayout.runPage(run)
        let naming = decisions.filter { $0.runs.contains(run) }.sorted(by: newestFirst)
        guard !naming.isEmpty else { return SitePage.nav(from: page) }
        let links = naming.map { decision -> HTML in
            "<a href=\"\(SiteLayout.href(SiteLayout.decisionPage(decision.id), from: page))\">\(decision.kind.rawValue): \(decision.title)</a>"
        }.joined(separator: " ")
        return SitePage.nav(from: page, extra: " · decisions on this run: \(links)")
    }

    /// The links a decision's page shows: back to the site, and to each run it read.
    static func decisionNav(_ decision: Decision) -> HTML {
        let page = SiteLayout.decisionPage(decision.id)
        let links = decision.runs.map { run -> HTML in
            "<a href=\"\(SiteLayout.href(SiteLayout.runPage(run), from: page))\">run \(run)</a>"
        }.joined(separator: " ")
        return SitePage.nav(from: page, extra: " · read: \(links)")
    }
}
