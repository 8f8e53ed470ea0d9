import AssayAnalysis
import AssayCore

/// The per-model summary table printed at the end of `assay run` and by `assay report`.
public enum SummaryTable {
    public static func render(_ summary: RunSummary) -> String {
        var rows: [[String]] = [
            ["model", "suite", "correct/$", "score", "n", "cost", "p50 ms", "p99 ms", "ttft p50", "errors"]
        ]
        var passLines: [String] = []
        for model in summary.rankedByValue {
            let scope = model.suites.count == 1 ? model.suites[0].suite : "all"
            let value = Format.value(model.qualityPerDollar) + CostBasisText.mark(model.spend.basis)
            rows.append(
                row(model.model, scope, model.overall, model.spend, model.latency, ttft: model.ttft, value: value))
            if model.suites.count > 1 {
                for suite in model.suites {
                    rows.append(row("", suite.suite, suite.stats, suite.spend, suite.latency, ttft: nil, value: ""))
                }
            }
            for suite in model.suites {
                var values: [String] = []
                values += suite.passAtK.sorted { $0.key < $1.key }.map { "pass@\($0.key) \(Format.percent($0.value))" }
                if let metrics = suite.classification {
                    values.append("macro-F1 \(metrics.macroF1.map(Format.percent) ?? "-")")
                    values.append("accuracy \(metrics.accuracy.map(Format.percent) ?? "-")")
                }
                if !suite.subjects.isEmpty {
                    values.append("by subject: " + SubjectScores.text(suite.subjects))
                }
                if let metrics = suite.ocr {
                    values.append(
                        "CER \(metrics.cer.map(Format.percent) ?? "-") (pooled over \(metrics.items) \(suite.kind == .transcription ? "clips" : "images"))"
                    )
                    values.append("WER \(metrics.wer.map(Format.percent) ?? "-")")
                }
                if !values.isEmpty {
                    passLines.append("\(model.model) on \(suite.suite): \(values.joined(separator: ", "))")
                }
            }
        }
        var text = ""
        if let replayed = ReplayText.line(summary) { text += "! \(replayed)\n" }
        text += TextTable.render(rows, rightAligned: [2, 3, 4, 5, 6, 7, 8, 9])
        text += "ranked by correct answers per dollar (free models that got anything right first; ties by score)\n"
        for line in passLines { text += line + "\n" }
        for line in CostBasisText.lines(summary) { text += line + "\n" }
        if summary.run.ranCodeUnsandboxed {
            text += "! UNSAFE: model-written code ran without a sandbox (--unsafe-no-sandbox)\n"
        }
        if summary.models.contains(where: { $0.spend.unknownCost > 0 }) {
            text += "? some answers came without token usage: their cost is not counted\n"
        }
        return text + notes(summary)
    }

    /// The lines after the table: truncation, tool calls, fields, rate limits, load, attempts.
    static func notes(_ summary: RunSummary) -> String {
        var text = ""
        for line in Truncation.lines(summary) { text += "~ \(line)\n" }
        for line in ToolCallText.lines(summary) { text += "tools: " + line + "\n" }
        for line in AgentText.lines(summary) { text += "agents: " + line + "\n" }
        for line in FieldText.lines(summary) { text += "fields: " + line + "\n" }
        for traffic in summary.run.traffic ?? [] where traffic.rateLimited > 0 || traffic.limitSource != nil {
            text += "endpoint " + TrafficText.line(traffic) + "\n"
        }
        for line in TrafficText.workerLines(summary.run) { text += "  " + line + "\n" }
        for line in LoadText.lines(summary) { text += "load: " + line + "\n" }
        for line in StreamingText.lines(summary) { text += "streaming: " + line + "\n" }
        let longContext = LongContextText.lines(summary)
        if !longContext.isEmpty {
            text += "long context (\(LongContextText.definition)):\n"
            for line in longContext { text += "  " + line + "\n" }
        }
        if !summary.attempts.isEmpty {
            text += "attempts before retries, per model and per base URL:\n"
            for group in summary.attempts.models + summary.attempts.baseURLs {
                text += "  " + AttemptText.line(group) + "\n"
            }
        }
        for warning in (summary.run.traffic ?? []).compactMap(\.warning) {
            text += "! \(warning)\n"
        }
        return text
    }

    static func row(
        _ model: String, _ suite: String, _ stats: ScoreStats, _ spend: Spend, _ latency: LatencyStats,
        ttft: LatencyStats?, value: String
    ) -> [String] {
        var cost = Format.money(spend.cost) + CostBasisText.mark(spend.basis)
        if spend.unknownCost > 0 { cost += "?" }
        var errors = String(stats.errors)
        if stats.unsupported > 0 && stats.n > 0 { errors += " (+\(stats.unsupported) unsupported)" }
        let score = stats.n == 0 && stats.unsupported > 0 ? "unsupported" : stats.score.map(Format.percent) ?? "-"
        return [
            model, suite, value, score, String(stats.n), cost,
            latency.p50Ms.map(Format.milliseconds) ?? "-", latency.p99Ms.map(Format.milliseconds) ?? "-",
            ttft?.p50Ms.map(Format.milliseconds) ?? "", errors,
        ]
    }
}

/// Plain-text tables with padded columns.
public enum TextTable {
    public static func render(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        guard let header = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], displayWidth(cell))
            }
        }
        var out = ""
        for (rowIndex, row) in rows.enumerated() {
            var line = ""
            for (index, cell) in row.enumerated() where index < widths.count {
                let padding = String(repeating: " ", count: widths[index] - displayWidth(cell))
                if index > 0 { line += "  " }
                line += rightAligned.contains(index) ? padding + cell : cell + padding
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
            if rowIndex == 0 {
                out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            }
        }
        return out
    }

    /// Columns a terminal gives the text: East Asian wide characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                return width + 2
            case 0x0300...0x036F, 0x200B...0x200F:
                return width
            default:
                return width + 1
            }
        }
    }
}
