import AssayAnalysis
import AssayCore
import Crypto
import Foundation

/// What every page of a published site shares: the head (the report pages' style and
/// Content-Security-Policy, the one script pinned by its hash), the bar of links back, and
/// the cells its tables sort by.
enum SitePage {
    /// The script every site page runs: a table with class `sortable` sorts by a column when
    /// its header is clicked (again: the other way), each `tbody` on its own (a cost basis
    /// group stays a group), by the cells' `data-v` (a number) or their text. `?sort=KEY`
    /// (or `?sort=-KEY`, descending) sorts every such table by the column whose header has
    /// `data-key="KEY"` as the page opens: a sorted view is a link.
    static let script: HTML = """
        (function(){
        function key(row,i){var c=row.cells[i];if(!c)return '';var v=c.getAttribute('data-v');if(v===null)return c.textContent.trim();var n=parseFloat(v);return isNaN(n)?Infinity:n;}
        function sort(table,i,desc){Array.prototype.forEach.call(table.tBodies,function(body){var rows=Array.prototype.slice.call(body.rows);rows.sort(function(a,b){var x=key(a,i),y=key(b,i);var r=(typeof x==='number'&&typeof y==='number')?x-y:String(x).localeCompare(String(y));return desc?-r:r;});rows.forEach(function(r){body.appendChild(r);});});
        Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,j){th.setAttribute('aria-sort',j===i?(desc?'descending':'ascending'):'none');});}
        Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(table){Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){th.addEventListener('click',function(){sort(table,i,th.getAttribute('aria-sort')==='ascending');});});});
        var m=/[?&]sort=(-?)([a-z0-9_]+)/.exec(location.search);
        if(m){Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(table){Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){if(th.getAttribute('data-key')===m[2])sort(table,i,m[1]==='-');});});}
        })();
        """

    static let style: HTML = """
        nav.site{font-size:.9rem;margin:4px 0 8px;color:var(--muted)}nav.site a{margin-right:10px}
        table.sortable th{cursor:pointer}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
        tbody.apart tr:first-child td{border-top:2px solid var(--line)}.frontier-mark{color:#2563eb}
        .point{fill:#2563eb}.point.changed{fill:#d97706}.series{fill:none;stroke:#2563eb;stroke-width:1.5}
        """

    /// A site page's head and the start of its body and `main`.
    static func head(title: String) -> HTML {
        let hash = Data(SHA256.hash(data: Data(script.markup.utf8))).base64EncodedString()
        return HTMLReport.head(title: title, scriptSource: "'sha256-\(hash)'", style: style) + "<main>\n"
    }

    /// The end of a page: the script, then the body's end.
    static let tail: HTML = "</main>\n<script>\(script)</script>\n</body>\n</html>\n"

    /// The links back to the site's pages, from `page`.
    static func nav(from page: String, extra: HTML = .empty) -> HTML {
        let front = SiteLayout.href(SiteLayout.front, from: page)
        let runs = SiteLayout.href(SiteLayout.runsList, from: page)
        let feed = SiteLayout.href(SiteLayout.feed, from: page)
        let data = SiteLayout.href(SiteLayout.leaderboard, from: page)
        return
            "<nav class=\"site\"><a href=\"\(front)\">Leaderboard</a><a href=\"\(runs)\">Runs</a><a href=\"\(data)\">leaderboard.json</a><a href=\"\(feed)\">Atom feed</a>\(extra)</nav>\n"
    }

    /// A table cell holding a number: shown as `text`, sorted by `value` (missing: last).
    static func number(_ text: String, _ value: Double?) -> HTML {
        "<td class=\"num\" data-v=\"\(value.map(XMLWriter.number) ?? "")\">\(text)</td>"
    }

    static func percent(_ value: Double?) -> HTML { number(value.map(Format.percent) ?? "-", value) }

    static func milliseconds(_ value: Double?) -> HTML {
        number(value.map { Format.milliseconds($0) + " ms" } ?? "-", value)
    }

    /// A score with its interval: `82.0% [74.1–88.0]`.
    static func score(_ point: SitePoint) -> HTML {
        guard let score = point.score else { return number("-", nil) }
        var text = Format.percent(score)
        if let low = point.scoreLow, let high = point.scoreHigh {
            text += String(format: " [%.1f–%.1f]", low * 100, high * 100)
        }
        return number(text, score)
    }

    /// Correct answers per dollar, sorted as the ranking sorts it (free first, unknown last).
    static func value(_ point: SitePoint) -> HTML {
        let sortKey = point.qualityPerDollar.rankValue(correct: point.correct)
        return number(Format.value(point.qualityPerDollar), sortKey.isFinite ? -sortKey : -1e300)
    }

    /// A cost with its basis mark (`*` output only, `~` estimated) and the replays it holds.
    static func cost(_ point: SitePoint) -> HTML {
        var text = Format.money(point.cost) + CostBasisText.mark(point.costBasis)
        if point.unknownCost > 0 { text += " +\(point.unknownCost) unknown" }
        return number(text, point.cost)
    }

    static func date(_ date: Date) -> String { String(SummaryJSON.timestamp(date).prefix(10)) }
}
