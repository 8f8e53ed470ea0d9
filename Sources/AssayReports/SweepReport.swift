import AssayAnalysis
import AssayCore
import Foundation

/// A sweep's report: per model, each level's throughput, latency, TTFT, ITL, output tokens
/// per second, errors and availability, whether it met the SLA, and the knee, named; as
/// terminal text, `sweep.json` (schema `assay.sweep/1`) and `index.html` with the knee drawn.
public enum SweepReport {
    /// Writes index.html and sweep.json to `directory`; returns the index's path.
    public static func write(_ summary: SweepSummary, sweepID: String, to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let index = directory + "/index.html"
        try Data(html(summary, sweepID: sweepID).utf8).write(to: URL(fileURLWithPath: index))
        try Data(json(summary, sweepID: sweepID).prettyJSON.utf8).write(
            to: URL(fileURLWithPath: directory + "/sweep.json"))
        return index
    }

    /// "knee: 16 in flight (the last level meeting p99 ≤ 2× the first level's, availability ≥ 99.9%)".
    public static func knee(_ model: SweepSummary.Model, _ summary: SweepSummary) -> String {
        let unit = summary.sweep.dimension == .concurrency ? " in flight" : ""
        guard let knee = model.knee else {
            return
                "no knee: even the first level (\(summary.sweep.title(summary.sweep.levels[0]))\(unit)) misses the SLA"
                + " (\(model.levels.first?.misses.joined(separator: "; ") ?? "no answers"))"
        }
        let level = model.levels[knee]
        var text = "knee: \(summary.sweep.title(level.level))\(unit), the last level meeting the SLA"
        if model.kneeNotReached {
            text += " (every level met it: the knee lies beyond the sweep)"
        } else if knee + 1 < model.levels.count {
            let next = model.levels[knee + 1]
            text += "; at \(summary.sweep.title(next.level)): \(next.misses.joined(separator: "; "))"
        }
        return text
    }

    public static func text(_ summary: SweepSummary) -> String {
        var out = "sweep of \(summary.sweep.dimension.rawValue), SLA: \(summary.sla.description)\n"
        for model in summary.models {
            out += "\n\(model.model)\n"
            let rates = summary.sweep.dimension == .rate
            let header = [
                rates ? "rate" : "in flight", "requests", rates ? "started/s" : nil, "done/s", "p50 ms", "p99 ms",
                "TTFT p99", "ITL p99", "tokens/s", "errors", "avail", "SLA",
            ].compactMap { $0 }
            var rows = [header]
            for (index, level) in model.levels.enumerated() {
                func ms(_ value: Double?) -> String { value.map(Format.milliseconds) ?? "-" }
                let started: [String] = rates ? [level.achievedRate.map { String(format: "%.1f", $0) } ?? "-"] : []
                rows.append(
                    [summary.sweep.title(level.level) + (index == model.knee ? " ◆" : ""), String(level.requests)]
                        + started + [
                            level.throughput.map { String(format: "%.1f", $0) } ?? "-", ms(level.latency.p50Ms),
                            ms(level.latency.p99Ms), ms(level.ttft.p99Ms), ms(level.interToken.p99Ms),
                            level.outputTokensPerSecond.map { String(format: "%.0f", $0) } ?? "-", String(level.errors),
                            level.availability.map(Format.percent) ?? "-", level.meetsSLA ? "met" : "missed",
                        ])
            }
            let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                out +=
                    "  "
                    + row.enumerated().map { column, cell in
                        column == 0
                            ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                            : String(repeating: " ", count: widths[column] - cell.count) + cell
                    }.joined(separator: "  ") + "\n"
            }
            out += "  " + knee(model, summary) + "\n"
        }
        return out
    }

    public static func json(_ summary: SweepSummary, sweepID: String) -> JSONValue {
        func latency(_ stats: LatencyStats) -> JSONValue { SummaryJSON.latency(stats) }
        return [
            "schema": "assay.sweep/1",
            "sweep": .string(sweepID),
            "dimension": .string(summary.sweep.dimension.rawValue),
            "levels": .array(summary.sweep.levels.map(JSONValue.double)),
            "sla": .string(summary.sla.description),
            "models": .array(
                summary.models.map { model in
                    [
                        "model": .string(model.model),
                        "knee": model.knee.map { .double(model.levels[$0].level) } ?? .null,
                        "knee_beyond_sweep": .bool(model.kneeNotReached),
                        "knee_text": .string(knee(model, summary)),
                        "levels": .array(
                            model.levels.map { level in
                                [
                                    "level": .double(level.level), "run": .string(level.runID),
                                    "requests": .int(level.requests), "errors": .int(level.errors),
                                    "availability": level.availability.map(JSONValue.double) ?? .null,
                                    "completed_per_second": level.throughput.map(JSONValue.double) ?? .null,
                                    "achieved_rate": level.achievedRate.map(JSONValue.double) ?? .null,
                                    "latency_ms": latency(level.latency), "ttft_ms": latency(level.ttft),
                                    "inter_token_ms": latency(level.interToken),
                                    "output_tokens_per_second": level.outputTokensPerSecond.map(JSONValue.double)
                                        ?? .null,
                                    "meets_sla": .bool(level.meetsSLA),
                                    "misses": .array(level.misses.map(JSONValue.string)),
                                ]
                            }),
                    ]
                }),
        ]
    }

    static func html(_ summary: SweepSummary, sweepID: String) -> String {
        var page = HTMLReport.head(title: "Assay sweep \(sweepID)", scriptSource: "'none'", style: style)
        page += """
            <main>
            <h1>Sweep \(sweepID): \(summary.sweep.dimension.rawValue)</h1>
            <p class="muted">Each level is a run of its own (linked), measured after a warm-up whose answers are not kept. SLA: \(summary.sla.description). The knee (◆) is the last level, counting up, before the first that misses it.</p>

            """
        for model in summary.models {
            page += "<section><h2>\(model.model)</h2>\n<p class=\"verdict\">\(knee(model, summary))</p>\n"
            page +=
                "<div class=\"scroll\">\(chart(model, summary))</div>\n<p class=\"muted\">Bars: requests done per second. Line: p99 latency, its points green where the level meets the SLA, red where it misses.</p>\n"
            page += table(model, summary)
            page += "</section>\n"
        }
        page += "</main>\n</body>\n</html>\n"
        return page.markup
    }

    static let style: HTML = """
        .verdict{font-weight:600}.missed{color:var(--bad)}.met{color:var(--good)}
        svg text{font-size:11px;fill:currentColor}
        """

    private static func table(_ model: SweepSummary.Model, _ summary: SweepSummary) -> HTML {
        var rows: HTML = ""
        for (index, level) in model.levels.enumerated() {
            func ms(_ value: Double?) -> HTML { "<td class=\"num\">\(value.map(Format.milliseconds) ?? "-")</td>" }
            let verdict: HTML =
                level.meetsSLA
                ? "<td class=\"met\">met</td>"
                : "<td class=\"missed\">missed: \(level.misses.joined(separator: "; "))</td>"
            rows +=
                "<tr><td>\(summary.sweep.title(level.level))\(index == model.knee ? " ◆" : "")</td><td><a href=\"../\(level.runID)/index.html\">\(level.runID)</a></td><td class=\"num\">\(level.requests)</td>\(summary.sweep.dimension == .rate ? "<td class=\"num\">\(level.achievedRate.map { String(format: "%.1f", $0) } ?? "-")</td>" as HTML : "")<td class=\"num\">\(level.throughput.map { String(format: "%.1f", $0) } ?? "-")</td>\(ms(level.latency.p50Ms))\(ms(level.latency.p99Ms))\(ms(level.ttft.p99Ms))\(ms(level.interToken.p99Ms))<td class=\"num\">\(level.outputTokensPerSecond.map { String(format: "%.0f", $0) } ?? "-")</td><td class=\"num\">\(level.errors)</td><td class=\"num\">\(level.availability.map(Format.percent) ?? "-")</td>\(verdict)</tr>\n"
        }
        return """
            <div class="scroll"><table><thead><tr><th>\(summary.sweep.dimension == .concurrency ? "in flight" : "rate")</th><th>run</th><th class="num">requests</th>\(summary.sweep.dimension == .rate ? "<th class=\"num\">started/s</th>" as HTML : "")<th class="num">done/s</th><th class="num">p50</th><th class="num">p99</th><th class="num">TTFT p99</th><th class="num">ITL p99</th><th class="num">tokens/s</th><th class="num">errors</th><th class="num">availability</th><th>SLA</th></tr></thead><tbody>
            \(rows)</tbody></table></div>

            """
    }

    /// p99 latency (line) and requests completed per second (bars) by level, the levels
    /// evenly spaced, the knee marked by a vertical line.
    private static func chart(_ model: SweepSummary.Model, _ summary: SweepSummary) -> HTML {
        let width = 640.0, height = 240.0, left = 56.0, right = 56.0, top = 16.0, bottom = 36.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let count = max(1, model.levels.count)
        let step = plotWidth / Double(count)
        let maxP99 = max(1, model.levels.compactMap(\.latency.p99Ms).max() ?? 1)
        let maxThroughput = max(1e-9, model.levels.compactMap(\.throughput).max() ?? 1)
        func x(_ index: Int) -> Double { left + step * (Double(index) + 0.5) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        var svg: HTML =
            "<svg role=\"img\" aria-label=\"p99 latency and throughput by level\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">\n"
        for (index, level) in model.levels.enumerated() {
            if let throughput = level.throughput {
                let barHeight = plotHeight * throughput / maxThroughput
                svg +=
                    "<rect x=\"\(number(x(index) - step * 0.3))\" y=\"\(number(top + plotHeight - barHeight))\" width=\"\(number(step * 0.6))\" height=\"\(number(barHeight))\" fill=\"#9ecae1\"><title>\(summary.sweep.title(level.level)): \(String(format: "%.1f", throughput)) done/s</title></rect>\n"
            }
            svg +=
                "<text x=\"\(number(x(index)))\" y=\"\(number(height - bottom + 16))\" text-anchor=\"middle\">\(summary.sweep.title(level.level))</text>\n"
        }
        let points = model.levels.enumerated().compactMap { index, level in
            level.latency.p99Ms.map { "\(number(x(index))),\(number(top + plotHeight - plotHeight * $0 / maxP99))" }
        }
        svg +=
            "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#d6604d\" stroke-width=\"2\"/>\n"
        for (index, level) in model.levels.enumerated() {
            guard let p99 = level.latency.p99Ms else { continue }
            svg +=
                "<circle cx=\"\(number(x(index)))\" cy=\"\(number(top + plotHeight - plotHeight * p99 / maxP99))\" r=\"3\" fill=\"\(level.meetsSLA ? "#1a9850" : "#d73027")\"><title>\(summary.sweep.title(level.level)): p99 \(Format.milliseconds(p99)) ms</title></circle>\n"
        }
        if let knee = model.knee {
            svg +=
                "<line x1=\"\(number(x(knee)))\" x2=\"\(number(x(knee)))\" y1=\"\(number(top))\" y2=\"\(number(top + plotHeight))\" stroke=\"currentColor\" stroke-dasharray=\"4 3\"/><text x=\"\(number(x(knee) + 4))\" y=\"\(number(top + 10))\">knee</text>\n"
        }
        svg +=
            "<text x=\"4\" y=\"\(number(top + 10))\">p99 \(Format.milliseconds(maxP99)) ms</text><text x=\"\(number(width - 4))\" y=\"\(number(top + 10))\" text-anchor=\"end\">\(String(format: "%.1f", maxThroughput)) done/s</text>\n"
        svg += "</svg>"
        return svg
    }
}
