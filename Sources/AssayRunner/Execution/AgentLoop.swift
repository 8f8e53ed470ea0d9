import AssayCore
import AssayGraders
import AssayProviders
import Foundation

/// Runs one agent task: the user's turns in order; on each, the model is asked with the
/// task's tools, its calls run in the sandbox (`ToolHost`) and their results sent back as
/// `tool` messages, until it answers without a call or the turn's step limit is reached;
/// then the turn is judged, and the next turn is sent only if it passed (later turns start
/// from the state this one left). Every request goes through the executor (limits, retries,
/// budget), so every step is an attempt with its own tokens, cost, TTFT and latency.
///
/// As BFCL's inference loop: an answer whose calls cannot be read (arguments that are not
/// JSON) ends the turn unrun. Not cached: an agent's requests depend on what its tools
/// answered, and a replayed step would be no measurement of the loop.
struct AgentLoop {
    let executor: RequestExecutor
    let grader: AgentGrader

    /// What an episode came to: its evidence and the totals of its requests; or nothing
    /// (cancelled, or stopped by the budget).
    struct Episode: Sendable {
        var evidence: AgentEvidence
        var last: Completion?
        var usage: Usage?
        var usageKnown = true
        var cost: Cost?
        var costKnown = true
        var ttftMs: Double?
        var latencyMs = 0.0
        var attempts = 0
        var lastError: ErrorKind?
        var sent: [Attempt] = []
        var failure: ProviderError?
    }

    /// The outcome of the task, or nil when the run was cancelled or the budget stopped it.
    func run(_ task: AgentTask, first: PreparedRequest, model: ModelSpec) async -> ItemOutcome? {
        let started = await grader.withTools(for: task) { host in
            await play(task, first: first, model: model, host: host)
        }
        let episode: Episode
        switch started {
        case .failure(let failure):
            return .failed(
                ItemOutcome.Failure(
                    kind: .configuration, message: "the task's tools could not start: \(failure.reason)",
                    delivery: ItemOutcome.Delivery(attempts: 0)))
        case .success(nil):
            return nil
        case .success(let finished?):
            episode = finished
        }
        let delivery = ItemOutcome.Delivery(
            attempts: episode.attempts, lastErrorKind: episode.lastError, sent: episode.sent)
        if let failure = episode.failure {
            return .failed(
                ItemOutcome.Failure(
                    kind: failure.kind, message: failure.description, delivery: delivery, servedBy: failure.servedBy))
        }
        let last = episode.last
        let completion = Completion(
            text: last?.text ?? "", finishReason: last?.finishReason, usage: episode.usageKnown ? episode.usage : nil,
            timing: Timing(ttftMs: episode.ttftMs, latencyMs: episode.latencyMs), servedBy: last?.servedBy ?? "")
        let grade = AgentGrader.grade(episode.evidence)
        return .answered(
            ItemOutcome.Answer(
                completion: completion, grade: grade, cost: episode.costKnown ? episode.cost : nil, delivery: delivery))
    }

    /// The task's turns in order, until one fails, a request fails or the step limit stops the
    /// agent. Nil when a request was not sent (cancelled, over budget).
    private func play(_ task: AgentTask, first: PreparedRequest, model: ModelSpec, host: ToolHost) async -> Episode? {
        var episode = Episode(evidence: AgentEvidence(turns: [], stop: .finished, turnCount: task.turns.count))
        var request = first.request
        for (index, turn) in task.turns.enumerated() {
            if index > 0 { request.messages += turn }
            let (steps, end) = await playTurn(index, request: &request, model: model, host: host, into: &episode)
            switch end {
            case .notSent:
                return nil
            case .requestFailed, .stepLimit:
                episode.evidence.turns.append(AgentEvidence.Turn(steps: steps, verdict: nil))
                episode.evidence.stop = end == .stepLimit ? .stepLimit : .requestFailed
                return episode
            case .answered(let called):
                let verdict = await host.endTurn(groundTruth: task.groundTruth[index], called: called)
                episode.evidence.turns.append(AgentEvidence.Turn(steps: steps, verdict: verdict))
                if !verdict.passed {
                    episode.evidence.stop = .failedTurn
                    return episode
                }
            }
        }
        return episode
    }

    /// How a turn ended: the model answered (whether it called a tool on the way), a request
    /// failed or was not sent, or the step limit stopped the agent.
    private enum TurnEnd: Equatable {
        case answered(called: Bool)
        case requestFailed
        case notSent
        case stepLimit
    }

    /// One turn: the model asked, its calls run in the sandbox and their results sent back, until
    /// it answers without a call. `request.messages` grows with the turn's conversation.
    private func playTurn(
        _ turn: Int, request: inout ChatRequest, model: ModelSpec, host: ToolHost, into episode: inout Episode
    ) async -> ([AgentEvidence.Step], TurnEnd) {
        var steps: [AgentEvidence.Step] = []
        var called = false
        while true {
            guard let answer = await ask(PreparedRequest(request), model: model, into: &episode) else {
                return (steps, episode.failure == nil ? .notSent : .requestFailed)
            }
            let (completion, cost) = answer
            var calls = completion.toolCalls ?? []
            for position in calls.indices where calls[position].id == nil {
                calls[position].id = "call_\(turn)_\(steps.count)_\(position)"
            }
            let unreadable = calls.contains { if case .invalid = $0.arguments { true } else { false } }
            var step = AgentEvidence.Step(
                calls: calls, results: [], text: completion.text, promptTokens: completion.usage?.promptTokens,
                completionTokens: completion.usage?.completionTokens, cost: cost?.amount,
                ttftMs: completion.timing.ttftMs, latencyMs: completion.timing.latencyMs)
            if calls.isEmpty || unreadable {
                // The turn's answer (or calls that cannot be read, which end the turn unrun).
                step.results = unreadable ? calls.map { _ in "not run: the arguments are not JSON" } : []
                steps.append(step)
                request.messages.append(ChatMessage(role: .assistant, text: completion.text))
                return (steps, .answered(called: called))
            }
            called = true
            for call in calls { step.results.append(await host.call(call)) }
            steps.append(step)
            request.messages.append(
                ChatMessage(
                    role: .assistant, parts: completion.text.isEmpty ? [] : [.text(completion.text)], toolCalls: calls))
            for (call, result) in zip(calls, step.results) {
                request.messages.append(ChatMessage(role: .tool, parts: [.text(result)], toolCallID: call.id))
            }
            // As BFCL's loop: `max_steps` answers with calls may go by; the agent is stopped
            // after the one past them (its calls run), with no answer left to end the turn.
            if steps.count > grader.settings.maxSteps { return (steps, .stepLimit) }
        }
    }

    /// One step's request through the executor, its totals added to the episode. Nil when it
    /// failed (`episode.failure` says why) or was not sent (cancelled, over budget).
    private func ask(_ prepared: PreparedRequest, model: ModelSpec, into episode: inout Episode) async -> (
        Completion, Cost?
    )? {
        switch await executor.execute(prepared, model: model) {
        case .completed(let completion, let cost, let attempts, let lastError, let sent):
            episode.attempts += attempts
            episode.sent += sent
            if let lastError { episode.lastError = lastError.kind }
            episode.last = completion
            if let usage = completion.usage {
                episode.usage = episode.usage.map { $0 + usage } ?? usage
            } else {
                episode.usageKnown = false
            }
            if let cost { episode.cost = episode.cost.map { $0 + cost } ?? cost } else { episode.costKnown = false }
            if episode.ttftMs == nil, let ttft = completion.timing.ttftMs {
                episode.ttftMs = episode.latencyMs + ttft
            }
            episode.latencyMs += completion.timing.latencyMs
            return (completion, cost)
        case .failed(let error, let attempts, let sent):
            episode.attempts += attempts
            episode.sent += sent
            episode.lastError = error.kind
            episode.failure = error
            return nil
        case .budgetStopped, .cancelled:
            return nil
        }
    }
}
