import AssayAnalysis
import AssayCore
import Foundation

/// `summary.md`: a compact table for a CI job's step summary (GitHub's
/// `$GITHUB_STEP_SUMMARY`), ranked by correct answers per dollar, with score and interval
/// beside, and the frontier.
public enum SummaryMarkdown {
    public static func render(_ summary: RunSummary) -> String {
        var out = "## Assay run `\(summary.run.id)` (\(summary.run.status.rawValue))\n\n"
        if let replayed = ReplayText.line(summary) { out += "> **Replayed from cache:** \(cell(replayed)).\n\n" }
        out += "Suites: \(summary.run.suites.map { "`\(cell($0.id))`" }.joined(separator: ", ")). "
        out += "Score = share of right answers, with a Wilson 95% interval.\n\n"
        out += "Ranked by correct answers per dollar (a free model that got anything right first; ties by score).\n\n"
        out += "| # | model | correct per $ | score (95% CI) | n | cost | $ per correct | p50 / p99 ms | errors |\n"
        out += "|---:|---|---:|---|---:|---:|---:|---:|---:|\n"
        for (index, model) in summary.rankedByValue.enumerated() {
            out += row(rank: index + 1, model, onFrontier: summary.frontier.contains(model.model))
        }
        out += "\n"
        out += findings(summary)
        out += notes(summary)
        return out
    }

    /// One model's row of the ranked table.
    private static func row(rank: Int, _ model: ModelSummary, onFrontier: Bool) -> String {
        let star = onFrontier ? " ★" : ""
        let score: String
        if model.overall.n == 0 && model.overall.unsupported > 0 {
            score = "unsupported"
        } else if let value = model.overall.score, let interval = model.overall.interval {
            score = "\(Format.percent(value)) (\(Format.percent(interval.lower))–\(Format.percent(interval.upper)))"
        } else {
            score = "-"
        }
        let mark = CostBasisText.mark(model.spend.basis).replacingOccurrences(of: "*", with: "\\*")
        let cost = Format.money(model.spend.cost) + mark
        let value = Format.value(model.qualityPerDollar) + mark
        let latency =
            "\(model.latency.p50Ms.map(Format.milliseconds) ?? "-") / \(model.latency.p99Ms.map(Format.milliseconds) ?? "-")"
        return "| \(rank) | \(cell(model.model))\(star) | \(value) | \(score) | \(model.overall.n) | \(cost) | "
            + "\(model.costPerCorrect.map(Format.money) ?? "-") | \(latency) | \(model.overall.errors) |\n"
    }

    /// Under the table: the best score, the frontier, how costs were priced, an unsafe run.
    private static func findings(_ summary: RunSummary) -> String {
        var out = ""
        if let best = summary.rankings.byScore.first {
            out += "Best score: **\(cell(best))**. "
        }
        if !summary.frontier.isEmpty {
            out += "Cost/quality frontier (★): \(summary.frontier.map(cell).joined(separator: " → ")).\n"
        }
        if let source = summary.run.repricedFrom {
            out += "\nCosts re-priced with the prices in `\(cell(source))`, not the ones the run used.\n"
        }
        for line in CostBasisText.lines(summary) {
            out += "\n" + cell(line).replacingOccurrences(of: "*", with: "\\*") + "\n"
        }
        if summary.run.ranCodeUnsandboxed {
            out += "\n> **Unsafe:** model-written code ran without a sandbox (`--unsafe-no-sandbox`).\n"
        }
        return out
    }

    /// The lists at the end: truncation, tool calls, field extraction, rate limits, load, attempts (each when any).
    private static func notes(_ summary: RunSummary) -> String {
        var out = ""
        let truncation = Truncation.lines(summary)
        if !truncation.isEmpty {
            out += "\nCut off at max_tokens (graded as usual):\n\n"
            for line in truncation { out += "- \(cell(line))\n" }
        }
        let tools = ToolCallText.lines(summary)
        if !tools.isEmpty {
            out += "\nTool calls (graded as BFCL's AST checker grades; each failure under its first mismatch):\n\n"
            for line in tools { out += "- \(cell(line))\n" }
        }
        let agents = AgentText.lines(summary)
        if !agents.isEmpty {
            out +=
                "\nAgents (each turn judged by the tools' state and the ground truth's results, as BFCL's multi-turn checker):\n\n"
            for line in agents { out += "- \(cell(line))\n" }
        }
        let fields = FieldText.lines(summary)
        if !fields.isEmpty {
            out += "\nField extraction (each field compared by its declared type; micro F1 over field values):\n\n"
            for line in fields { out += "- \(cell(line))\n" }
        }
        let traffic = (summary.run.traffic ?? []).filter { $0.rateLimited > 0 || $0.limitSource != nil }
        if !traffic.isEmpty {
            out += "\nEndpoints held by rate limits:\n\n"
            for endpoint in traffic { out += "- \(cell(TrafficText.line(endpoint)))\n" }
            for line in TrafficText.workerLines(summary.run) { out += "  - \(cell(line))\n" }
        }
        for warning in (summary.run.traffic ?? []).compactMap(\.warning) {
            out += "\n> **Rate limited:** \(cell(warning)).\n"
        }
        let load = LoadText.lines(summary)
        if !load.isEmpty {
            out += "\nLoad (open loop, `--rate`):\n\n"
            for line in load { out += "- \(cell(line))\n" }
        }
        let streaming = StreamingText.lines(summary)
        if !streaming.isEmpty {
            out += "\nStreaming (ITL: time between answer chunks; TPOT: time per output token after the first):\n\n"
            for line in streaming { out += "- \(cell(line))\n" }
        }
        let longContext = LongContextText.lines(summary)
        if !longContext.isEmpty {
            out += "\nLong context (\(cell(LongContextText.definition))):\n\n"
            for line in longContext { out += "- \(cell(line))\n" }
        }
        if !summary.attempts.isEmpty {
            out += "\nAttempts before retries (availability = attempts that got a whole answer):\n\n"
            for group in summary.attempts.models + summary.attempts.baseURLs {
                out += "- \(cell(AttemptText.line(group)))\n"
            }
        }
        return out
    }

    /// Text safe inside a table cell.
    static func cell(_ text: String) -> String {
        text.replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
