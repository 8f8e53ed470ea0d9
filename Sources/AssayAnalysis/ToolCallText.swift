import AssayCore

/// A tools suite's numbers in words, the same in the terminal summary and summary.md.
public enum ToolCallText {
    /// "tool-use / qwen3-8b: 40 of 48 right (83.3%); first mismatch: wrong function 3, bad value 5;
    /// 52 calls made, 6 answers without a call; $0.0400 per 1,000 answers; first call p50 210 ms"
    public static func line(suite: String, model: String, metrics: ToolCallMetrics, spend: Spend) -> String {
        let accuracy = metrics.items > 0 ? Format.percent(Double(metrics.passed) / Double(metrics.items)) : "-"
        var text = "\(suite) / \(model): \(metrics.passed) of \(metrics.items) right (\(accuracy))"
        let mismatches = ToolCallMismatch.Kind.allCases.compactMap { kind in
            metrics.mismatches[kind].map { "\(kind.title) \($0)" }
        }
        if !mismatches.isEmpty { text += "; first mismatch: " + mismatches.joined(separator: ", ") }
        text += "; \(metrics.calls) calls made, \(metrics.answersWithoutCalls) answers without a call"
        if let perThousand = ToolCallMetrics.costPerThousand(spend, answered: metrics.items) {
            text += "; \(Format.money(perThousand)) per 1,000 answers"
        }
        if let firstCall = metrics.firstCall.p50Ms { text += "; first call p50 \(Format.milliseconds(firstCall)) ms" }
        return text
    }

    /// One line per tools suite and model that answered it, in the run's order.
    public static func lines(_ summary: RunSummary) -> [String] {
        var lines: [String] = []
        for suite in summary.run.suites where suite.kind == .tools {
            for model in summary.models {
                guard let stats = model.suites.first(where: { $0.suite == suite.id }), let metrics = stats.tools else {
                    continue
                }
                lines.append(line(suite: suite.id, model: model.model, metrics: metrics, spend: stats.spend))
            }
        }
        return lines
    }
}
