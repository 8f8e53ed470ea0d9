import AssayCore
import Foundation

/// An extraction suite's numbers in words, the same in the terminal summary and summary.md.
public enum FieldText {
    /// "receipt-fields / qwen3-vl (response_format json_schema): 20 of 32 exact (62.5%); fields
    /// 91.2% right, micro F1 0.930 (P 0.950, R 0.911); JSON 100.0%, schema 96.9%, prose 3.1%;
    /// worst fields: items 56.3%, merchant 84.4%"
    public static func line(suite: SuiteRef, model: String, stats: SuiteSummary, metrics: FieldMetrics) -> String {
        var text = "\(suite.id) / \(model)"
        if let mode = stats.structuredOutput, let format = suite.responseFormat { text += " (\(mode.title(format)))" }
        text += ": \(metrics.exact) of \(metrics.items) exact (\(metrics.exactRate.map(Format.percent) ?? "-"))"
        text += "; fields \(metrics.fieldAccuracy.map(Format.percent) ?? "-") right"
        text += ", micro F1 \(number(metrics.microF1)) (P \(number(metrics.precision)), R \(number(metrics.recall)))"
        text += "; JSON \(metrics.jsonValidRate.map(Format.percent) ?? "-")"
        text += ", schema \(metrics.schemaValidRate.map(Format.percent) ?? "-")"
        text += ", prose \(metrics.proseRate.map(Format.percent) ?? "-")"
        let worst = metrics.worstFields(3).filter { ($0.tally.accuracy ?? 0) < 1 }
        if !worst.isEmpty {
            text +=
                "; worst fields: "
                + worst.map { "\($0.field) \($0.tally.accuracy.map(Format.percent) ?? "-")" }.joined(separator: ", ")
        }
        return text
    }

    /// One line per extraction suite and model that answered it, in the run's order.
    public static func lines(_ summary: RunSummary) -> [String] {
        rows(summary).map { line(suite: $0.suite, model: $0.model, stats: $0.stats, metrics: $0.metrics) }
    }

    /// Every extraction suite and model with field metrics, in the run's order: what each
    /// report renders its own way.
    public static func rows(_ summary: RunSummary) -> [(
        suite: SuiteRef, model: String, stats: SuiteSummary, metrics: FieldMetrics
    )] {
        var rows: [(suite: SuiteRef, model: String, stats: SuiteSummary, metrics: FieldMetrics)] = []
        for suite in summary.run.suites where suite.kind == .extraction {
            for model in summary.models {
                guard let stats = model.suites.first(where: { $0.suite == suite.id }), let metrics = stats.fields
                else { continue }
                rows.append((suite, model.model, stats, metrics))
            }
        }
        return rows
    }

    private static func number(_ value: Double?) -> String {
        value.map { String(format: "%.3f", $0) } ?? "-"
    }
}
