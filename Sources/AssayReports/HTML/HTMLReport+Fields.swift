import AssayAnalysis
import AssayCore
import Foundation

extension HTMLReport {
    /// Extraction suites: per model, how it was asked (`response_format` or the schema in the
    /// prompt), items exact, field accuracy, micro F1, the JSON- and schema-valid rates, prose,
    /// and its worst fields; then each field's accuracy per model.
    static func fields(_ summary: RunSummary) -> HTML {
        let rows = FieldText.rows(summary)
        guard !rows.isEmpty else { return "" }
        var body: HTML =
            "<p class=\"muted\">Each field compared by its declared type (text folded, amounts to the cent, dates as ISO days, lists as sets). Exact: every field right. Micro F1 over field values, a list&#39;s elements one by one. Schema-invalid answers are wrong items, but the fields they got right count here. The drill-down shows expected and extracted fields side by side.</p>\n"
        body +=
            "<div class=\"scroll\"><table><thead><tr><th>suite</th><th>model</th><th>asked with</th><th class=\"num\">exact</th><th class=\"num\">fields right</th><th class=\"num\">micro F1</th><th class=\"num\">P</th><th class=\"num\">R</th><th class=\"num\">JSON valid</th><th class=\"num\">schema valid</th><th class=\"num\">with prose</th><th>worst fields</th></tr></thead><tbody>\n"
        for row in rows {
            let metrics = row.metrics
            let asked = row.stats.structuredOutput.flatMap { mode in row.suite.responseFormat.map(mode.title) } ?? "-"
            let worst = metrics.worstFields(3).filter { ($0.tally.accuracy ?? 0) < 1 }.map {
                "\($0.field) \($0.tally.accuracy.map(Format.percent) ?? "-")"
            }.joined(separator: ", ")
            body +=
                "<tr><td>\(row.suite.id)</td><td>\(row.model)</td><td>\(asked)</td><td class=\"num\">\(metrics.exactRate.map(Format.percent) ?? "-")</td><td class=\"num\">\(metrics.fieldAccuracy.map(Format.percent) ?? "-")</td><td class=\"num\">\(fraction(metrics.microF1))</td><td class=\"num\">\(fraction(metrics.precision))</td><td class=\"num\">\(fraction(metrics.recall))</td><td class=\"num\">\(metrics.jsonValidRate.map(Format.percent) ?? "-")</td><td class=\"num\">\(metrics.schemaValidRate.map(Format.percent) ?? "-")</td><td class=\"num\">\(metrics.proseRate.map(Format.percent) ?? "-")</td><td>\(worst.isEmpty ? "-" : worst)</td></tr>\n"
        }
        body += "</tbody></table></div>\n"
        for suite in summary.run.suites where suite.kind == .extraction {
            body += perField(suite: suite.id, rows.filter { $0.suite.id == suite.id })
        }
        return section("fields-section", "Field extraction", body)
    }

    /// One suite's fields down, its models across: each field's accuracy.
    private static func perField(
        suite: String, _ rows: [(suite: SuiteRef, model: String, stats: SuiteSummary, metrics: FieldMetrics)]
    ) -> HTML {
        let names = Set(rows.flatMap(\.metrics.fieldNames)).sorted()
        guard !names.isEmpty else { return "" }
        var table: HTML =
            "<h3>\(suite): accuracy per field</h3>\n<p class=\"muted\">A list field shows its elements&#39; precision and recall beside the share of answers that got it all right.</p>\n<div class=\"scroll\"><table><thead><tr><th>field</th>"
        for row in rows { table += "<th class=\"num\">\(row.model)</th>" }
        table += "</tr></thead><tbody>\n"
        for name in names {
            table += "<tr><td>\(name)</td>"
            for row in rows {
                let tally = row.metrics.fields[name]
                var text = tally?.accuracy.map(Format.percent) ?? "-"
                if let tally, tally.truePositives + tally.falsePositives + tally.falseNegatives > tally.items {
                    // A list: its elements' precision and recall beside the share of answers right.
                    text += " (P \(fraction(tally.precision)), R \(fraction(tally.recall)))"
                }
                let weak = (tally?.accuracy ?? 1) < 0.5
                table += weak ? "<td class=\"num fail\">\(text)</td>" : "<td class=\"num\">\(text)</td>"
            }
            table += "</tr>\n"
        }
        return table + "</tbody></table></div>\n"
    }

    /// A fields grade in the drill-down: expected and extracted side by side, mismatches marked.
    static func fieldsTable(_ evidence: FieldsEvidence) -> HTML {
        var table: HTML = "<h4>fields</h4>"
        if let error = evidence.jsonError { table += "<p class=\"fail\">no JSON: \(error)</p>" }
        for problem in evidence.schemaErrors { table += "<p class=\"fail\">schema: \(problem)</p>" }
        if evidence.prose { table += "<p class=\"muted\">prose came with the JSON</p>" }
        table +=
            "<div class=\"scroll\"><table><thead><tr><th>field</th><th>expected</th><th>extracted</th><th></th></tr></thead><tbody>"
        for field in evidence.fields {
            let mark: HTML = field.correct ? "<span class=\"pass\">✓</span>" : "<span class=\"fail\">✗</span>"
            let row: HTML =
                "<td>\(field.path)</td><td>\(field.expected)</td><td>\(field.extracted ?? "—")</td><td>\(mark)</td>"
            table += field.correct ? "<tr>\(row)</tr>" : "<tr class=\"fail\">\(row)</tr>"
        }
        return table + "</tbody></table></div>"
    }

    private static func fraction(_ value: Double?) -> String {
        value.map { String(format: "%.3f", $0) } ?? "-"
    }
}
