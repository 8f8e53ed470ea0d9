import AssayAnalysis
import AssayCore
import Foundation

/// The site's `index.html`: per suite, and per tag slice of it, the latest result of every
/// model on the suite's newest version, ranked by correct answers per dollar; the frontier;
/// what each cost covers; the decisions kept; links to every run, model and suite.
enum SiteFrontPage {
    static func render(_ board: Leaderboard, runs: [SiteRun], decisions: [Decision]) -> String {
        let page = SiteLayout.front
        var out = SitePage.head(title: "Assay leaderboard")
        out += SitePage.nav(from: page)
        out += "<h1>Assay leaderboard</h1>\n"
        let newest = runs.map(\.manifest.startedAt).max()
        out +=
            "<p class=\"muted\">\(runs.count) runs\(newest.map { ", the newest started \(SitePage.date($0))" } ?? ""). Per suite, each model's latest result on the suite's newest version, ranked by correct answers per dollar; the score with its 95% interval. Costs marked * cover output tokens only (no input price quoted) and rank apart, after the others; ~ marks an estimated input price; ↺ marks answers replayed from the response cache (their cost counts, their latency does not). ◆ marks the cost/quality frontier. Click a column to sort.</p>\n"
        let suites = board.boards.map(\.suite).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if suites.isEmpty { out += "<p>No results yet: <code>assay run</code>, then publish again.</p>\n" }
        if suites.count > 1 {
            out += "<p>Suites: "
            out += suites.map { "<a href=\"#\(anchor($0))\">\($0)</a>" as HTML }.joined(separator: " · ")
            out += "</p>\n"
        }
        for suite in suites {
            let boards = board.boards.filter { $0.suite == suite }
            guard let whole = boards.first(where: { $0.slice == nil }) else { continue }
            out += "<section id=\"\(anchor(suite))\">\n"
            out +=
                "<h2><a href=\"\(SiteLayout.href(SiteLayout.suitePage(suite), from: page))\">\(suite)</a></h2>\n"
            out += note(whole)
            out += table(whole, from: page)
            let slices = boards.filter { $0.slice != nil }
            if !slices.isEmpty {
                out += "<details><summary>By tag: \(slices.count) slices</summary>\n"
                for slice in slices {
                    out += "<h3>\(suite) · <code>\(slice.slice ?? "")</code></h3>\n"
                    out += table(slice, from: page)
                }
                out += "</details>\n"
            }
            out += "</section>\n"
        }
        if !decisions.isEmpty {
            out += "<section id=\"decisions\">\n<h2>Decisions</h2>\n"
            out += SiteDecisions.list(decisions, from: page)
            out += "</section>\n"
        }
        out += SitePage.tail
        return out.markup
    }

    static func anchor(_ suite: String) -> String { "suite-" + SiteLayout.slug(suite) }

    static func note(_ board: Leaderboard.Board) -> HTML {
        var out: HTML = ""
        if let fingerprint = board.fingerprint {
            out += "<p class=\"muted\">Suite version <code>\(String(fingerprint.prefix(12)))</code>"
        } else {
            out += "<p class=\"muted\">Suite version unknown (runs stored before Assay kept one)"
        }
        if !board.earlier.isEmpty {
            out +=
                "; \(board.earlier.count) earlier version\(board.earlier.count == 1 ? "" : "s") of the suite, not ranked here (see its page)"
        }
        out += ".</p>\n"
        return out
    }

    static func table(_ board: Leaderboard.Board, from page: String) -> HTML {
        var out: HTML =
            "<div class=\"scroll\"><table class=\"sortable\"><thead><tr><th class=\"num\" data-key=\"rank\">#</th><th data-key=\"model\">model</th><th class=\"num\" data-key=\"score\">score</th><th class=\"num\" data-key=\"value\">correct/$</th><th class=\"num\" data-key=\"cost\">cost</th><th class=\"num\" data-key=\"per_correct\">$/correct</th><th class=\"num\" data-key=\"p50\">p50</th><th class=\"num\" data-key=\"p99\">p99</th><th class=\"num\" data-key=\"ttft_p99\">TTFT p99</th><th class=\"num\" data-key=\"availability\">availability</th><th data-key=\"run\">run</th></tr></thead>\n"
        let groups = [
            board.entries.filter { $0.costBasis != .outputOnly }, board.entries.filter { $0.costBasis == .outputOnly },
        ]
        var rank = 0
        for (index, group) in groups.enumerated() where !group.isEmpty {
            out += index == 0 ? "<tbody>\n" : "<tbody class=\"apart\">\n"
            for point in group {
                rank += 1
                out += row(point, rank: rank, frontier: board.frontier.contains(point.model), from: page)
            }
            out += "</tbody>\n"
        }
        out += "</table></div>\n"
        if !board.frontier.isEmpty {
            out += "<p class=\"muted\">Frontier, cheapest first: \(board.frontier.joined(separator: " → ")).</p>\n"
        }
        if board.mixesBases {
            out +=
                "<p class=\"muted\">* The last group's costs cover output tokens only: ranked among themselves, after the models costed in full.</p>\n"
        }
        return out
    }

    static func row(_ point: SitePoint, rank: Int, frontier: Bool, from page: String) -> HTML {
        let model = SiteLayout.href(SiteLayout.modelPage(point.model), from: page)
        let run = SiteLayout.href(SiteLayout.runPage(point.run), from: page)
        var out: HTML = "<tr>\(SitePage.number(String(rank), Double(rank)))"
        out +=
            "<td><a href=\"\(model)\">\(point.model)</a>\((frontier ? " <span class=\"frontier-mark\" title=\"on the frontier\">◆</span>" : "") as HTML)</td>"
        out += SitePage.score(point)
        out += SitePage.value(point)
        out += SitePage.cost(point)
        out += SitePage.number(point.costPerCorrect.map(Format.money) ?? "-", point.costPerCorrect)
        out += SitePage.milliseconds(point.p50Ms)
        out += SitePage.milliseconds(point.p99Ms)
        out += SitePage.milliseconds(point.ttftP99Ms)
        out += SitePage.percent(point.availability)
        let replayed: HTML =
            point.replayed > 0 ? " <span title=\"\(point.replayed) answers replayed from the cache\">↺</span>" : ""
        out +=
            "<td data-v=\"\(XMLWriter.number(point.startedAt.timeIntervalSince1970))\"><a href=\"\(run)\">\(point.run)</a>\(replayed)<br><span class=\"muted\">\(SitePage.date(point.startedAt))\(point.label.map { " · " + $0 } ?? "")</span></td></tr>\n"
        return out
    }
}
