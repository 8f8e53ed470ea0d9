import AssayAnalysis
import AssayCore
import Foundation

extension HTMLReport {
    /// Agent suites: per model, tasks solved, turns passed, success at each turn, where the
    /// agents stopped, and the steps, tokens and cost of a solved task.
    static func agents(_ summary: RunSummary) -> HTML {
        var rows: HTML = ""
        for suite in summary.run.suites where suite.kind == .agent {
            for model in summary.models {
                guard let stats = model.suites.first(where: { $0.suite == suite.id }), let metrics = stats.agents else {
                    continue
                }
                let solved = Format.percent(Double(metrics.solved) / Double(max(1, metrics.tasks)))
                let byTurn = zip(metrics.passedByTurn, metrics.reachedByTurn).enumerated().map { index, pair in
                    "\(index + 1): \(pair.0)/\(pair.1)"
                }.joined(separator: ", ")
                let stops = metrics.stops.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map {
                    "\($0.key) \($0.value)"
                }.joined(separator: ", ")
                rows +=
                    "<tr><td>\(suite.id)</td><td>\(model.model)</td><td class=\"num\">\(metrics.solved)/\(metrics.tasks) (\(solved))</td><td class=\"num\">\(metrics.turnsPassed)/\(metrics.turns)</td><td>\(byTurn)</td><td>\(stops)</td><td class=\"num\">\(metrics.stepsPerSolved.map { String(format: "%.1f", $0) } ?? "-")</td><td class=\"num\">\(metrics.tokensPerSolved.map { String(Int($0.rounded())) } ?? "-")</td><td class=\"num\">\(metrics.costPerSolved.map(Format.money) ?? "-")</td></tr>\n"
            }
        }
        guard !rows.isEmpty else { return "" }
        return section(
            "agents-section", "Agents",
            """
            <p class="muted">Each task&#39;s user turns are sent with its tools; the agent&#39;s calls run in the sandbox and their results go back until it answers without a call. After each turn, as BFCL&#39;s multi-turn checker: the tools&#39; state equals the ground truth&#39;s, and the ground truth&#39;s results are among the agent&#39;s. A task stops at its first failed turn. By turn: passed / reached. Per solved task: requests, tokens (prompt and completion, every step), cost. The drill-down shows each task step by step.</p>
            <div class="scroll"><table><thead><tr><th>suite</th><th>model</th><th class="num">tasks solved</th><th class="num">turns passed</th><th>by turn</th><th>where they stopped</th><th class="num">steps / solved</th><th class="num">tokens / solved</th><th class="num">cost / solved</th></tr></thead><tbody>
            \(rows)</tbody></table></div>
            """)
    }

    /// An agent task step by step: each turn's requests (the calls made and what the tools
    /// returned, or the answer's text), their tokens, cost, TTFT and latency, and the turn's verdict.
    static func agentTranscript(_ evidence: AgentEvidence) -> HTML {
        var rows: HTML = ""
        for (index, turn) in evidence.turns.enumerated() {
            for (number, step) in turn.steps.enumerated() {
                let made: HTML =
                    step.calls.isEmpty
                    ? "<em>answer</em>: \(HTMLText.truncated(step.text, 300))"
                    : zip(
                        step.calls,
                        step.results + Array(repeating: "", count: max(0, step.calls.count - step.results.count))
                    ).map {
                        call, result -> HTML in
                        "<code>\(HTMLText.truncated(call.summary, 300))</code> &rarr; \(HTMLText.truncated(result, 300))"
                    }.joined(separator: "<br>")
                let tokens = [step.promptTokens, step.completionTokens].map { $0.map(String.init) ?? "-" }.joined(
                    separator: " + ")
                rows +=
                    "<tr><td class=\"num\">\(index + 1)</td><td class=\"num\">\(number + 1)</td><td>\(made)</td><td class=\"num\">\(tokens)</td><td class=\"num\">\(step.cost.map(Format.money) ?? "-")</td><td class=\"num\">\(step.ttftMs.map(Format.milliseconds) ?? "-")</td><td class=\"num\">\(step.latencyMs.map(Format.milliseconds) ?? "-")</td></tr>\n"
            }
            let verdict: HTML =
                switch turn.verdict {
                case let verdict? where verdict.passed: "<span class=\"pass\">turn \(index + 1) passed</span>"
                case let verdict?:
                    "<span class=\"fail\">turn \(index + 1): \(verdict.kind.rawValue)</span>\(verdict.field.map { " <code>\($0)</code>" } ?? "")\(verdict.detail.map { " &mdash; \(HTMLText.truncated($0, 400))" } ?? "")"
                case nil: "<span class=\"fail\">turn \(index + 1) not judged: \(evidence.stop.rawValue)</span>"
                }
            rows += "<tr><td colspan=\"7\">\(verdict)</td></tr>\n"
        }
        return
            "<h4>steps (\(AgentMetrics.stop(of: evidence)))</h4><div class=\"scroll\"><table><thead><tr><th class=\"num\">turn</th><th class=\"num\">step</th><th>calls &rarr; results, or the answer</th><th class=\"num\">tokens in + out</th><th class=\"num\">cost</th><th class=\"num\">TTFT ms</th><th class=\"num\">latency ms</th></tr></thead><tbody>\n\(rows)</tbody></table></div>"
    }
}
