import AssayAnalysis
import AssayCore
import Foundation

/// A model's page: per suite, every run that asked it (oldest first) as a chart of the score
/// over time with its interval, and a table of score, correct/$, cost, latency and
/// availability; a change of price from the run before is marked on both. A suite whose
/// version changed starts a new series, said in the table.
enum SiteModelPage {
    static func render(model: String, points: [SitePoint]) -> String {
        let page = SiteLayout.modelPage(model)
        var out = SitePage.head(title: "Assay: \(model)")
        out += SitePage.nav(from: page)
        out += "<h1>\(model)</h1>\n"
        let wholes = points.filter { $0.slice == nil }
        let runs = Set(wholes.map(\.run)).count
        out +=
            "<p class=\"muted\">\(runs) run\(runs == 1 ? "" : "s"), \(Set(wholes.map(\.suite)).count) suite\(Set(wholes.map(\.suite)).count == 1 ? "" : "s"). Each point is a run (click it for the run's report); whiskers are the 95% interval; an orange point is a run whose price differs from the run before.</p>\n"
        for suite in Set(wholes.map(\.suite)).sorted() {
            let history = wholes.filter { $0.suite == suite }.sorted(by: Leaderboard.isOlder)
            out += "<section id=\"\(SiteFrontPage.anchor(suite))\">\n"
            out +=
                "<h2><a href=\"\(SiteLayout.href(SiteLayout.suitePage(suite), from: page))\">\(suite)</a></h2>\n"
            out += "<div class=\"scroll\">\(chart(history, from: page))</div>\n"
            out += table(history, from: page)
            out += "</section>\n"
        }
        out += SitePage.tail
        return out.markup
    }

    /// Which points' price differs from the point before.
    static func priceChanged(_ history: [SitePoint]) -> [Bool] {
        history.indices.map { index in index > 0 && history[index].priceKey != history[index - 1].priceKey }
    }

    static func chart(_ history: [SitePoint], from page: String) -> HTML {
        let width = 720.0, height = 220.0, left = 48.0, right = 16.0, top = 12.0, bottom = 28.0
        let times = history.map(\.startedAt.timeIntervalSince1970)
        let first = times.min() ?? 0, last = times.max() ?? 0
        func x(_ index: Int) -> Double {
            // Spread by time; runs at one moment (or one run) spread evenly instead.
            guard last > first else {
                return history.count == 1
                    ? left + (width - left - right) / 2
                    : left + (width - left - right) * Double(index) / Double(history.count - 1)
            }
            return left + (width - left - right) * (times[index] - first) / (last - first)
        }
        func y(_ score: Double) -> Double { top + (height - top - bottom) * (1 - score) }
        func n(_ value: Double) -> String { String(format: "%.1f", value) }
        var svg =
            "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"score over time\">"
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg +=
                "<line class=\"grid\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y(tick)))\" y2=\"\(n(y(tick)))\"/><text class=\"tick\" x=\"\(n(left - 6))\" y=\"\(n(y(tick) + 4))\" text-anchor=\"end\">\(Int(tick * 100))%</text>"
        }
        let scored = history.indices.filter { history[$0].score != nil }
        if scored.count > 1 {
            let path = scored.map { "\(n(x($0))),\(n(y(history[$0].score ?? 0)))" }.joined(separator: " ")
            svg += "<polyline class=\"series\" points=\"\(path)\"/>"
        }
        let changed = priceChanged(history)
        for index in scored {
            let point = history[index]
            let score = point.score ?? 0
            if let low = point.scoreLow, let high = point.scoreHigh {
                svg +=
                    "<line class=\"whisker\" x1=\"\(n(x(index)))\" x2=\"\(n(x(index)))\" y1=\"\(n(y(low)))\" y2=\"\(n(y(high)))\"/>"
            }
            let href = HTMLText.escape(SiteLayout.href(SiteLayout.runPage(point.run), from: page))
            let title = HTMLText.escape(
                "\(point.run) (\(SitePage.date(point.startedAt))): \(Format.percent(score))")
            svg +=
                "<a href=\"\(href)\"><circle class=\"point\(changed[index] ? " changed" : "")\" data-run=\"\(HTMLText.escape(point.run))\" cx=\"\(n(x(index)))\" cy=\"\(n(y(score)))\" r=\"5\"><title>\(title)</title></circle></a>"
        }
        if let firstPoint = history.first, let lastPoint = history.last {
            svg +=
                "<text class=\"tick\" x=\"\(n(left))\" y=\"\(n(height - 8))\">\(SitePage.date(firstPoint.startedAt))</text><text class=\"tick\" x=\"\(n(width - right))\" y=\"\(n(height - 8))\" text-anchor=\"end\">\(SitePage.date(lastPoint.startedAt))</text>"
        }
        svg += "</svg>"
        return HTML(trusted: svg)
    }

    static func table(_ history: [SitePoint], from page: String) -> HTML {
        var out: HTML =
            "<div class=\"scroll\"><table class=\"sortable\"><thead><tr><th data-key=\"run\">run</th><th class=\"num\" data-key=\"score\">score</th><th class=\"num\" data-key=\"value\">correct/$</th><th class=\"num\" data-key=\"cost\">cost</th><th class=\"num\" data-key=\"p50\">p50</th><th class=\"num\" data-key=\"p99\">p99</th><th class=\"num\" data-key=\"ttft_p99\">TTFT p99</th><th class=\"num\" data-key=\"availability\">availability</th><th data-key=\"price\">price (in/out per M)</th><th data-key=\"version\">suite version</th></tr></thead><tbody>\n"
        let changed = priceChanged(history)
        for (index, point) in history.enumerated() {
            let href = SiteLayout.href(SiteLayout.runPage(point.run), from: page)
            let newSeries = index > 0 && point.fingerprint != history[index - 1].fingerprint
            out +=
                "<tr><td data-v=\"\(XMLWriter.number(point.startedAt.timeIntervalSince1970))\"><a href=\"\(href)\">\(point.run)</a><br><span class=\"muted\">\(SitePage.date(point.startedAt))\(point.label.map { " · " + $0 } ?? "")</span></td>"
            out += SitePage.score(point)
            out += SitePage.value(point)
            out += SitePage.cost(point)
            out += SitePage.milliseconds(point.p50Ms)
            out += SitePage.milliseconds(point.p99Ms)
            out += SitePage.milliseconds(point.ttftP99Ms)
            out += SitePage.percent(point.availability)
            let price =
                "\(point.inputPerMillion.map { String($0) } ?? "-") / \(point.outputPerMillion.map { String($0) } ?? "-") \(point.currency ?? "")"
            out +=
                "<td>\(price)\((changed[index] ? " <strong class=\"star\">price changed</strong>" : "") as HTML)</td>"
            out +=
                "<td><code>\(String((point.fingerprint ?? "unknown").prefix(12)))</code>\((newSeries ? " <strong>new version: not comparable with the rows above</strong>" : "") as HTML)</td></tr>\n"
        }
        out += "</tbody></table></div>\n"
        return out
    }
}
