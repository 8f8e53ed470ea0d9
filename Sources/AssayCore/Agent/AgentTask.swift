/// One case of an agent suite, typed: the user's turns, the tool classes it involves with
/// their initial state, and the ground truth's calls per turn (BFCL's `multi_turn_base`
/// form: `question`, `involved_classes`, `initial_config`, `ground_truth`).
///
/// Written in cases.jsonl as
/// `{"input": {"turns": [[{"role": "user", "content": ...}], ...], "classes": [...],
/// "initial_config": {...}}, "expected": {"ground_truth": [["f(a='x')", ...], ...]}}`.
/// The ground truth's calls are Python call expressions, run (in the sandbox) against the
/// classes' methods as BFCL runs them; the model's calls arrive as JSON and are run as
/// method calls with keyword arguments.
public struct AgentTask: Sendable, Hashable {
    /// Each turn's messages (normally one user message).
    public var turns: [[ChatMessage]]
    /// The tool classes the task involves, in order (a later class wins a method name both have).
    public var classes: [String]
    /// Each class's initial state, by class name (an object per class; absent: its defaults).
    public var initialConfig: JSONValue
    /// The ground truth's calls, one list per turn.
    public var groundTruth: [[String]]

    public init(turns: [[ChatMessage]], classes: [String], initialConfig: JSONValue, groundTruth: [[String]]) {
        self.turns = turns
        self.classes = classes
        self.initialConfig = initialConfig
        self.groundTruth = groundTruth
    }

    /// Why a case is not an agent task; nil when it is one.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// The task a case carries, or what is wrong with it.
    public init(_ item: Case) throws(Problem) {
        guard case .array(let turnValues)? = item.input["turns"], !turnValues.isEmpty else {
            throw Problem(
                description: "an agent case needs 'input.turns': a non-empty list of turns, each a list of messages")
        }
        var turns: [[ChatMessage]] = []
        for (index, value) in turnValues.enumerated() {
            guard case .array(let messages) = value, !messages.isEmpty else {
                throw Problem(description: "turn \(index + 1) must be a non-empty list of messages")
            }
            let parsed = messages.compactMap(ChatMessage.init(json:))
            guard parsed.count == messages.count else {
                throw Problem(
                    description:
                        "turn \(index + 1) holds a message that is not {\"role\": \"user\", \"content\": \"...\"}")
            }
            turns.append(parsed)
        }
        guard case .array(let classValues)? = item.input["classes"],
            case let classes = classValues.compactMap(\.stringValue), classes.count == classValues.count,
            !classes.isEmpty
        else {
            throw Problem(description: "an agent case needs 'input.classes': the tool classes it involves, by name")
        }
        let config = item.input["initial_config"] ?? .object([:])
        guard config.objectValue != nil else {
            throw Problem(description: "'input.initial_config' must be an object of each class's state")
        }
        guard case .array(let truthValues)? = item.expected["ground_truth"] else {
            throw Problem(description: "an agent case needs 'expected.ground_truth': one list of calls per turn")
        }
        var truth: [[String]] = []
        for value in truthValues {
            guard case .array(let calls) = value, case let texts = calls.compactMap(\.stringValue),
                texts.count == calls.count
            else {
                throw Problem(description: "'expected.ground_truth' must hold one list of call strings per turn")
            }
            truth.append(texts)
        }
        guard truth.count == turns.count else {
            throw Problem(
                description:
                    "'expected.ground_truth' has \(truth.count) turns, 'input.turns' \(turns.count): one list of calls per turn"
            )
        }
        self.init(turns: turns, classes: classes, initialConfig: config, groundTruth: truth)
    }
}
