/// An agent grade's evidence: every turn's steps (the calls made, what they returned, what
/// each request cost and took) and the turn's verdict, and why the agent stopped. The one
/// writer and reader of the `agent` key.
public struct AgentEvidence: GradeEvidence {
    /// One request of the loop and what came of it.
    public struct Step: Sendable, Hashable {
        /// The calls the answer made (none: the agent answered in text and the turn ended).
        public var calls: [ToolCall]
        /// Each call's result as the tool returned it (or its error), in call order.
        public var results: [String]
        /// The answer's text (what the agent said, if anything).
        public var text: String
        public var promptTokens: Int?
        public var completionTokens: Int?
        public var cost: Double?
        public var ttftMs: Double?
        public var latencyMs: Double?

        public init(
            calls: [ToolCall], results: [String], text: String, promptTokens: Int? = nil, completionTokens: Int? = nil,
            cost: Double? = nil, ttftMs: Double? = nil, latencyMs: Double? = nil
        ) {
            self.calls = calls
            self.results = results
            self.text = text
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
            self.cost = cost
            self.ttftMs = ttftMs
            self.latencyMs = latencyMs
        }
    }

    /// How a turn was judged once the agent stopped on it.
    public struct Verdict: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            case passed
            /// The ground truth called something and the agent called nothing.
            case noCall = "no_call"
            /// A tool's state differs from the ground truth's (`field` names the attribute).
            case stateMismatch = "state_mismatch"
            /// A result of the ground truth's calls is missing from the agent's results.
            case missingResult = "missing_result"
            /// The tools' process ended (a crash, a call past the sandbox's limits).
            case toolsStopped = "tools_stopped"
        }

        public var kind: Kind
        /// The class and attribute that differ, or the missing result, or why the tools stopped.
        public var detail: String?
        public var field: String?

        public init(kind: Kind, detail: String? = nil, field: String? = nil) {
            self.kind = kind
            self.detail = detail
            self.field = field
        }

        public var passed: Bool { kind == .passed }
    }

    public struct Turn: Sendable, Hashable {
        public var steps: [Step]
        /// Nil for a turn the agent never reached or did not finish (see `stop`).
        public var verdict: Verdict?

        public init(steps: [Step], verdict: Verdict?) {
            self.steps = steps
            self.verdict = verdict
        }
    }

    /// Why the loop ended.
    public enum Stop: String, Sendable, Hashable, CaseIterable {
        /// Every turn was run to an answer without a call.
        case finished
        /// A turn's verdict failed; later turns were not sent.
        case failedTurn = "failed_turn"
        /// The per-turn step limit was reached (the model kept calling).
        case stepLimit = "step_limit"
        /// A request failed after its retries.
        case requestFailed = "request_failed"
    }

    public var turns: [Turn]
    public var stop: Stop
    /// The turns the task has (a stopped agent reaches fewer).
    public var turnCount: Int

    public init(turns: [Turn], stop: Stop, turnCount: Int) {
        self.turns = turns
        self.stop = stop
        self.turnCount = turnCount
    }

    /// Requests sent, over every turn.
    public var steps: Int { turns.reduce(0) { $0 + $1.steps.count } }
    /// Turns whose verdict passed.
    public var turnsPassed: Int { turns.filter { $0.verdict?.passed == true }.count }
    /// The first turn that did not pass (0-based), and its verdict; nil when all passed.
    public var firstFailure: (turn: Int, verdict: Verdict?)? {
        for (index, turn) in turns.enumerated() where turn.verdict?.passed != true { return (index, turn.verdict) }
        return turns.count < turnCount ? (turns.count, nil) : nil
    }
    /// Every call made, over every turn.
    public var calls: Int { turns.reduce(0) { $0 + $1.steps.reduce(0) { $0 + $1.calls.count } } }

    static let key = "agent"

    public init?(evidence: [String: JSONValue]) {
        guard let agent = evidence[Self.key], let stopName = agent["stop"]?.stringValue,
            let stop = Stop(rawValue: stopName), let turnValues = agent["turns"]?.arrayValue
        else { return nil }
        self.init(
            turns: turnValues.map(Self.turn), stop: stop,
            turnCount: agent["turn_count"]?.intValue ?? turnValues.count)
    }

    public var evidence: [String: JSONValue] {
        [
            Self.key: [
                "stop": .string(stop.rawValue), "turn_count": .int(turnCount),
                "turns": .array(turns.map(Self.json)),
            ]
        ]
    }

    private static func json(_ turn: Turn) -> JSONValue {
        var object: [String: JSONValue] = ["steps": .array(turn.steps.map(json))]
        if let verdict = turn.verdict {
            var value: [String: JSONValue] = ["kind": .string(verdict.kind.rawValue)]
            if let detail = verdict.detail { value["detail"] = .string(detail) }
            if let field = verdict.field { value["field"] = .string(field) }
            object["verdict"] = .object(value)
        }
        return .object(object)
    }

    private static func json(_ step: Step) -> JSONValue {
        var object: [String: JSONValue] = [
            "calls": .array(step.calls.map(\.jsonValue)), "results": .array(step.results.map { .string($0) }),
            "text": .string(step.text),
        ]
        if let value = step.promptTokens { object["prompt_tokens"] = .int(value) }
        if let value = step.completionTokens { object["completion_tokens"] = .int(value) }
        if let value = step.cost { object["cost"] = .double(value) }
        if let value = step.ttftMs { object["ttft_ms"] = .double(value) }
        if let value = step.latencyMs { object["latency_ms"] = .double(value) }
        return .object(object)
    }

    private static func turn(_ value: JSONValue) -> Turn {
        let steps = (value["steps"]?.arrayValue ?? []).map { step in
            Step(
                calls: (step["calls"]?.arrayValue ?? []).compactMap(ToolCall.init(jsonValue:)),
                results: (step["results"]?.arrayValue ?? []).compactMap(\.stringValue),
                text: step["text"]?.stringValue ?? "", promptTokens: step["prompt_tokens"]?.intValue,
                completionTokens: step["completion_tokens"]?.intValue, cost: step["cost"]?.doubleValue,
                ttftMs: step["ttft_ms"]?.doubleValue, latencyMs: step["latency_ms"]?.doubleValue)
        }
        let verdict = value["verdict"].flatMap { verdict -> Verdict? in
            guard let kind = verdict["kind"]?.stringValue.flatMap(Verdict.Kind.init(rawValue:)) else { return nil }
            return Verdict(kind: kind, detail: verdict["detail"]?.stringValue, field: verdict["field"]?.stringValue)
        }
        return Turn(steps: steps, verdict: verdict)
    }
}

extension Grade {
    /// The agent grader's evidence; nil when the grade holds none.
    public var agentEvidence: AgentEvidence? { AgentEvidence(evidence: evidence) }
}
