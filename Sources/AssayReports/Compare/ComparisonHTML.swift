import AssayAnalysis
import AssayCore

/// The comparison's `index.html`: one self-contained page, no script at all (the
/// Content-Security-Policy forbids every one), with the gate's verdict, the headline
/// changes, the per-suite table with intervals and McNemar's p, and the broken (then the
/// fixed) items with both answers side by side. Every string that came from a model, a
/// suite or a policy is escaped.
enum ComparisonHTML {
    /// Items shown per suite and direction; the JSON has them all.
    static let itemLimit = 200

    static func render(
        _ comparison: Comparison, verdicts: [Gate.Verdict]?, routes: [RouteSimulation], nav: HTML = .empty
    ) -> String {
        var page = HTMLReport.head(
            title: "Assay: \(comparison.base) → \(comparison.candidate)", scriptSource: "'none'",
            style: nav.isEmpty ? style : style + SitePage.style)
        page += "<main>\n\(nav)"
        page += """
            <h1>\(comparison.base) → \(comparison.candidate)</h1>
            <p class="muted">\(comparison.overall.n) paired items in \(comparison.suites.count) suite\(comparison.suites.count == 1 ? "" : "s")\(unpaired(comparison)).</p>

            """
        if let verdicts { page += gate(verdicts) }
        if !routes.isEmpty { page += routing(routes) }
        page += headline(comparison)
        page += suites(comparison)
        for suite in comparison.suites {
            page += items(
                suite.brokenItems, suite: suite.suite, title: "Broken",
                note: "right in the base, wrong in the candidate")
        }
        for suite in comparison.suites {
            page += items(
                suite.fixedItems, suite: suite.suite, title: "Fixed", note: "wrong in the base, right in the candidate")
        }
        page += methodology
        page += "</main>\n</body>\n</html>\n"
        return page.markup
    }

    static let style: HTML = """
        .pair{display:grid;grid-template-columns:1fr 1fr;gap:8px}.pair h4{margin:.2rem 0;font-size:.9rem}
        .up{color:var(--good)}.down{color:var(--bad)}.verdict{font-weight:600}
        details.item>summary{grid-template-columns:minmax(8em,1fr) 3fr}
        @media (max-width:700px){.pair{grid-template-columns:1fr}}
        """

    static func unpaired(_ comparison: Comparison) -> HTML {
        guard comparison.onlyInBase + comparison.onlyInCandidate > 0 else { return "" }
        return
            "; not paired and left out: \(comparison.onlyInBase) only in the base, \(comparison.onlyInCandidate) only in the candidate"
    }

    static func gate(_ verdicts: [Gate.Verdict]) -> HTML {
        let failed = verdicts.filter { !$0.passed }
        var out: HTML =
            "<p class=\"warn\(failed.isEmpty ? "" : " danger")\"><span class=\"verdict\">Gate \(failed.isEmpty ? "passed" : "failed")</span>: "
        out +=
            failed.isEmpty
            ? "all \(verdicts.count) rules hold.</p>\n"
            : "\(failed.count) of \(verdicts.count) rules do not hold.</p>\n"
        out +=
            "<div class=\"scroll\"><table id=\"gate\"><thead><tr><th>rule</th><th>result</th><th>numbers</th></tr></thead><tbody>\n"
        for verdict in failed + verdicts.filter(\.passed) {
            out +=
                "<tr><td>\(verdict.rule)</td><td class=\"\(verdict.passed ? "pass" : "fail")\">\(verdict.passed ? "pass" : "FAIL")</td>"
            out += "<td style=\"white-space:normal\">\(verdict.detail)</td></tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }

    static func routing(_ routes: [RouteSimulation]) -> HTML {
        var rows: HTML = ""
        for suite in RouteReport.rowNames(routes) {
            rows += "<tr><td>\(suite.map { HTML("\($0)") } ?? "<strong>all</strong>")</td>"
            for route in routes {
                let cells = RouteReport.cells(RouteReport.stats(route, suite), withP95: false)
                rows += cells.map { "<td class=\"num\">\($0)</td>" }.joined()
            }
            rows += "</tr>\n"
        }
        let header = routes.map { route -> HTML in
            "<th class=\"num\">\(route.policy): score</th><th class=\"num\">cost/1k</th><th class=\"num\">p50 ms</th><th class=\"num\">p99 ms</th>"
        }.joined()
        var rules: HTML = ""
        for route in routes {
            let fired = route.rules.map { rule -> HTML in
                let fallback =
                    rule.fallback.map { HTML(", \(route.fallbackCounts[rule.name] ?? 0) fell back to \($0.model)") }
                    ?? ""
                return "\(rule.name) → \(rule.model): \(route.ruleCounts[rule.name] ?? 0) items\(fallback)"
            }
            rules += "<p><strong>\(route.policy)</strong>: \(fired.joined(separator: "; ")).</p>\n"
        }
        return HTMLReport.section(
            "routing", "Routing policies",
            "<p class=\"muted\">Simulated from the run's stored answers, without a new request: each item goes to the first rule that matches it, and on to the rule's fallback when a trigger fires (a fallen-back item pays for both requests and waits for both).</p>\n<div class=\"scroll\"><table><thead><tr><th>suite</th>\(header)</tr></thead><tbody>\n\(rows)</tbody></table></div>\n\(rules)"
        )
    }

    static func headline(_ comparison: Comparison) -> HTML {
        var rows: HTML = ""
        for row in ComparisonText.sideRows(comparison) {
            rows +=
                "<tr><td>\(row.name)</td><td class=\"num\">\(row.base)</td><td class=\"num\">\(row.candidate)</td><td class=\"num\">\(row.change)</td></tr>\n"
        }
        var notes: HTML = ""
        for note in ComparisonText.notes(comparison) { notes += "<p class=\"warn\">\(note)</p>\n" }
        return HTMLReport.section(
            "headline", "Cost, value and latency",
            "<p class=\"muted\">Over the paired items. A failed request counts as a wrong answer.</p>\n<div class=\"scroll\"><table><thead><tr><th></th><th class=\"num\">base</th><th class=\"num\">candidate</th><th class=\"num\">change</th></tr></thead><tbody>\n\(rows)</tbody></table></div>\n\(notes)"
        )
    }

    static func suites(_ comparison: Comparison) -> HTML {
        var rows: HTML = ""
        for (suite, isOverall) in ComparisonText.suiteRows(comparison) {
            let name: HTML = isOverall ? "<strong>all</strong>" : "\(suite.suite)"
            let direction = suite.difference > 0 ? "up" : suite.difference < 0 ? "down" : ""
            rows +=
                "<tr><td>\(name)</td><td class=\"num\">\(suite.n)</td><td class=\"num\">\(Format.percent(suite.baseScore))</td>"
            rows +=
                "<td class=\"num\">\(Format.percent(suite.candidateScore))</td><td class=\"num \(direction)\">\(ComparisonText.points(suite.difference))</td>"
            rows +=
                "<td class=\"num muted\">\(ComparisonText.interval(suite.interval))</td><td class=\"num\">\(suite.fixed)</td><td class=\"num\">\(suite.broken)</td>"
            rows +=
                "<td class=\"num\">\(suite.bothRight)</td><td class=\"num\">\(suite.bothWrong)</td><td class=\"num\">\(ComparisonText.pValue(suite.mcnemarP))</td></tr>\n"
        }
        return HTMLReport.section(
            "suites", "Score by suite",
            "<div class=\"scroll\"><table id=\"suites\"><thead><tr><th>suite</th><th class=\"num\">n</th><th class=\"num\">base</th><th class=\"num\">candidate</th><th class=\"num\">Δ</th><th class=\"num\">95% CI</th><th class=\"num\">fixed</th><th class=\"num\">broken</th><th class=\"num\">both right</th><th class=\"num\">both wrong</th><th class=\"num\">McNemar p</th></tr></thead><tbody>\n\(rows)</tbody></table></div>"
        )
    }

    static func items(_ pairs: [(base: ItemRecord, candidate: ItemRecord)], suite: String, title: String, note: String)
        -> HTML
    {
        guard !pairs.isEmpty else { return "" }
        var body: HTML = "<p class=\"muted\">\(pairs.count) items \(note)"
        body += pairs.count > itemLimit ? "; the first \(itemLimit) here, all in comparison.json.</p>\n" : ".</p>\n"
        for (index, pair) in pairs.prefix(itemLimit).enumerated() {
            let name = pair.base.epoch > 1 ? "\(pair.base.caseID) #\(pair.base.epoch)" : pair.base.caseID
            body +=
                "<details class=\"item\"\(index == 0 ? " open" : "")><summary><span>\(name)</span><span>expected \(String((pair.base.expected ?? "?").prefix(80)))</span></summary>\n"
            body +=
                "<div class=\"body\"><div class=\"pair\">\(answer("base", pair.base))\(answer("candidate", pair.candidate))</div></div></details>\n"
        }
        let id = "\(title.lowercased())-\(suite)".map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return HTMLReport.section(String(id), "\(title) items: \(suite)", body)
    }

    static func answer(_ side: String, _ record: ItemRecord) -> HTML {
        var out: HTML =
            "<div><h4>\(side): <span class=\"\(record.isRight ? "pass" : "fail")\">\(record.status == .error ? "request failed" : record.outcome?.rawValue ?? record.status.rawValue)</span></h4>"
        if let extracted = record.extracted { out += "<dl><dt>extracted</dt><dd>\(extracted)</dd></dl>" }
        if let error = record.error, record.status == .error { out += "<pre>\(error)</pre>" }
        if let output = record.output { out += "<pre>\(output)</pre>" }
        return out + "</div>"
    }

    static let methodology = HTMLReport.section(
        "methodology", "Method",
        """
        <p>Items are paired by suite, case and epoch, and only items asked on both sides are compared (a failed request counts as a wrong answer; unsupported items are left out). A fallback model's answers are not the primary model's.</p>
        <p><strong>Δ and its interval:</strong> the mean per-item score difference, with a paired bootstrap 95% interval: the items (with both their answers) resampled with replacement 10,000 times from a fixed seed, the 2.5th and 97.5th percentiles of the resampled means.</p>
        <p><strong>McNemar's exact test:</strong> of the discordant pairs (fixed and broken), under "no difference" each is a fair coin: p = min(1, 2 · P(Binomial(fixed + broken, ½) ≤ min(fixed, broken))). Items both sides got right or wrong carry no evidence either way.</p>
        <p><strong>Correct per $:</strong> right answers per dollar spent on the paired items; "free" when nothing was paid.</p>
        """)
}
