import AssayCore
import Foundation

/// An agent suite's numbers for one model: tasks solved, turns passed, where the agents
/// stopped, and the steps, tokens and cost each solved task took (every step resends the
/// conversation, so this is where agents cost most).
public struct AgentMetrics: Sendable, Hashable {
    /// Graded tasks, and those whose every turn passed.
    public var tasks = 0
    public var solved = 0
    /// Turns the tasks have, and turns passed (a task stops at its first failed turn).
    public var turns = 0
    public var turnsPassed = 0
    /// Per turn index (0-based): tasks that reached it, and that passed it.
    public var reachedByTurn: [Int] = []
    public var passedByTurn: [Int] = []
    /// Why tasks ended short: the first failed turn's verdict, or the step limit.
    public var stops: [String: Int] = [:]
    /// Requests sent and calls made over all tasks, and over the solved ones.
    public var steps = 0
    public var calls = 0
    public var solvedSteps = 0
    public var solvedTokens = 0
    public var solvedCost = 0.0

    /// The mean steps, tokens and cost of a solved task; nil with none solved.
    public var stepsPerSolved: Double? { solved > 0 ? Double(solvedSteps) / Double(solved) : nil }
    public var tokensPerSolved: Double? { solved > 0 ? Double(solvedTokens) / Double(solved) : nil }
    public var costPerSolved: Double? { solved > 0 ? solvedCost / Double(solved) : nil }

    /// Where an episode stopped, in the reports' words: "finished", "step limit", "request
    /// failed", or why its first failed turn failed: "gave up" (no call where the ground truth
    /// made some), "wrong tool" (it called a function the task does not have), "bad arguments"
    /// (arguments that are not JSON, or that the function refused), "tools stopped", or else
    /// "wrong state" / "missing result" (calls that ran, but not the right ones).
    public static func stop(of evidence: AgentEvidence) -> String {
        switch evidence.stop {
        case .finished where evidence.turnsPassed == evidence.turnCount: return "finished"
        case .stepLimit: return "step limit"
        case .requestFailed: return "request failed"
        default: break
        }
        guard let failure = evidence.firstFailure, let verdict = failure.verdict else { return "unjudged" }
        let steps = failure.turn < evidence.turns.count ? evidence.turns[failure.turn].steps : []
        let results = steps.flatMap(\.results)
        if results.contains(where: { $0.hasPrefix("not run: the arguments are not JSON") }) { return "bad arguments" }
        switch verdict.kind {
        case .passed: return "finished"
        case .noCall: return "gave up"
        case .toolsStopped: return "tools stopped"
        case .stateMismatch, .missingResult:
            if results.contains(where: {
                $0.hasPrefix("Error during execution: name '") && $0.hasSuffix("' is not defined")
            }) {
                return "wrong tool"
            }
            let refused = ["unexpected keyword argument", "required positional argument", "the arguments are not"]
            if results.contains(where: { result in
                result.hasPrefix("Error during execution:") && refused.contains { result.contains($0) }
            }) {
                return "bad arguments"
            }
            return verdict.kind == .stateMismatch ? "wrong state" : "missing result"
        }
    }

    struct Accumulator {
        var metrics = AgentMetrics()

        mutating func add(_ result: ItemResult) {
            guard result.status == .graded, let grade = result.grade, let evidence = grade.agentEvidence else { return }
            metrics.tasks += 1
            metrics.turns += evidence.turnCount
            metrics.turnsPassed += evidence.turnsPassed
            metrics.steps += evidence.steps
            metrics.calls += evidence.calls
            metrics.stops[AgentMetrics.stop(of: evidence), default: 0] += 1
            for (index, turn) in evidence.turns.enumerated() {
                while metrics.reachedByTurn.count <= index {
                    metrics.reachedByTurn.append(0)
                    metrics.passedByTurn.append(0)
                }
                metrics.reachedByTurn[index] += 1
                if turn.verdict?.passed == true { metrics.passedByTurn[index] += 1 }
            }
            if grade.outcome == .pass {
                metrics.solved += 1
                metrics.solvedSteps += evidence.steps
                metrics.solvedTokens += result.usage.map { $0.promptTokens + $0.completionTokens } ?? 0
                metrics.solvedCost += result.cost?.amount ?? 0
            }
        }

        var result: AgentMetrics? { metrics.tasks > 0 ? metrics : nil }
    }
}

/// An agent suite's numbers in words, the same in the terminal summary and summary.md.
public enum AgentText {
    /// "support-desk / qwen3-8b: 20 of 27 tasks solved (74.1%), 70 of 81 turns; stopped: finished
    /// 20, state mismatch 5, step limit 2; per solved task 7.5 steps, 5,210 tokens, $0.0021"
    public static func line(suite: String, model: String, metrics: AgentMetrics) -> String {
        let share = metrics.tasks > 0 ? Format.percent(Double(metrics.solved) / Double(metrics.tasks)) : "-"
        var text =
            "\(suite) / \(model): \(metrics.solved) of \(metrics.tasks) tasks solved (\(share)), \(metrics.turnsPassed) of \(metrics.turns) turns"
        let stops = metrics.stops.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        if !stops.isEmpty { text += "; stopped: " + stops.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
        if let steps = metrics.stepsPerSolved, let tokens = metrics.tokensPerSolved, let cost = metrics.costPerSolved {
            text +=
                "; per solved task \(String(format: "%.1f", steps)) steps, \(Int(tokens.rounded())) tokens, \(Format.money(cost))"
        }
        return text
    }

    /// One line per agent suite and model that ran it, in the run's order.
    public static func lines(_ summary: RunSummary) -> [String] {
        var lines: [String] = []
        for suite in summary.run.suites where suite.kind == .agent {
            for model in summary.models {
                guard let stats = model.suites.first(where: { $0.suite == suite.id }), let metrics = stats.agents else {
                    continue
                }
                lines.append(line(suite: suite.id, model: model.model, metrics: metrics))
            }
        }
        return lines
    }
}
