import AssayAnalysis
import AssayCore

/// `summary.md` of a comparison: the gate's verdict first (when a gate judged it), then the
/// score change per suite with its interval and McNemar's p, cost, value and latency, and
/// the first broken items. Fit for a CI job's step summary or a pull-request comment.
public enum ComparisonMarkdown {
    /// Broken items listed per suite; the HTML report has them all.
    static let brokenLimit = 10

    /// The document top to bottom, in the order it reads (62 lines: one section after another).
    public static func render(_ comparison: Comparison, verdicts: [Gate.Verdict]? = nil, routes: [RouteSimulation] = [])
        -> String
    {
        var out = ""
        let title = "`\(cell(comparison.base))` → `\(cell(comparison.candidate))`"
        if let verdicts {
            let failed = verdicts.filter { !$0.passed }
            out += "## Assay gate \(failed.isEmpty ? "passed ✅" : "failed ❌"): \(title)\n\n"
            if verdicts.isEmpty {
                out += "The gate policy has no rules.\n\n"
            } else {
                out += "| rule | result | numbers |\n|---|---|---|\n"
                for verdict in failed + verdicts.filter(\.passed) {
                    out +=
                        "| \(cell(verdict.rule)) | \(verdict.passed ? "pass" : "**FAIL**") | \(cell(verdict.detail)) |\n"
                }
                out += "\n"
            }
        } else {
            out += "## Assay comparison: \(title)\n\n"
        }
        if !routes.isEmpty {
            out += "### Routing policies (simulated from stored answers)\n\n" + RouteReport.markdown(routes) + "\n"
        }
        out += "### Score by suite\n\n"
        out +=
            "Paired items only; Δ in points with a paired-bootstrap 95% interval; McNemar's exact p on the discordant pairs.\n\n"
        out += "| suite | n | base | candidate | Δ (95% CI) | fixed | broken | McNemar p |\n"
        out += "|---|---:|---:|---:|---|---:|---:|---:|\n"
        for (suite, isOverall) in ComparisonText.suiteRows(comparison) {
            let name = isOverall ? "**all**" : "`\(cell(suite.suite))`"
            out +=
                "| \(name) | \(suite.n) | \(Format.percent(suite.baseScore)) | \(Format.percent(suite.candidateScore)) | "
            out +=
                "\(ComparisonText.points(suite.difference)) \(ComparisonText.interval(suite.interval)) | \(suite.fixed) | \(suite.broken) | "
            out += "\(ComparisonText.pValue(suite.mcnemarP)) |\n"
        }
        out += "\n### Cost, value and latency (paired items)\n\n| | base | candidate | change |\n|---|---:|---:|---:|\n"
        for row in ComparisonText.sideRows(comparison) {
            out += "| \(row.name) | \(row.base) | \(row.candidate) | \(row.change) |\n"
        }
        for note in ComparisonText.notes(comparison) { out += "\n> \(note)\n" }
        if comparison.onlyInBase + comparison.onlyInCandidate > 0 {
            out +=
                "\nNot paired (left out): \(comparison.onlyInBase) items only in the base, \(comparison.onlyInCandidate) only in the candidate.\n"
        }
        let broken = comparison.suites.filter { !$0.brokenItems.isEmpty }
        if !broken.isEmpty {
            out += "\n### Broken items\n\n"
            for suite in broken {
                for pair in suite.brokenItems.prefix(brokenLimit) {
                    out += "- \(code(pair.base.key.description)): expected \(quote(pair.base.expected)); "
                    out +=
                        "base \(quote(pair.base.extracted ?? pair.base.output)), candidate \(quote(ComparisonText.answer(pair.candidate)))\n"
                }
                if suite.brokenItems.count > brokenLimit {
                    out +=
                        "- … and \(suite.brokenItems.count - brokenLimit) more in \(code(suite.suite)) (index.html has them all)\n"
                }
            }
        }
        return out
    }

    /// A short, single-line, code-quoted excerpt, for a list line (not a table cell).
    static func quote(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "*nothing*" }
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return code(line.count > 80 ? String(line.prefix(80)) + "…" : line)
    }

    /// `text` as a code span on one line of a list. Outside a table a pipe needs no escape
    /// (an escaped one would show its backslash); a backtick would end the span, so it
    /// becomes a quote.
    static func code(_ text: String) -> String {
        "`" + text.split(whereSeparator: \.isNewline).joined(separator: " ").replacingAll("`", with: "'") + "`"
    }

    static func cell(_ text: String) -> String { SummaryMarkdown.cell(text) }
}
