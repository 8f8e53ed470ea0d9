import AssayCore
import Foundation

/// An agent task's tools, live in the sandbox (`agent_host.py` in one `SandboxSession`): the
/// model's calls run on its world as they come, and each turn ends with the verdict of the
/// turn (the ground truth's calls run on a world of their own from the same initial state,
/// then compared as BFCL compares them).
public struct ToolHost {
    let session: SandboxSession
    /// A call's wall-clock limit, after which the host's own alarm has already fired: the
    /// sandbox is killed only when the alarm could not stop it (a call stuck outside Python).
    let limit: Duration

    /// Starts the task's classes; nil when they started, else why not.
    public func start(_ task: AgentTask, settings: AgentSettings) async -> String? {
        var classes: [String: JSONValue] = [:]
        for declared in settings.classes {
            classes[declared.name] = [
                "module": .string(declared.moduleFile), "stateless": .bool(declared.stateless),
            ]
        }
        let request: JSONValue = [
            "op": "start", "tools": .string(AgentGrader.toolsFolder), "classes": .object(classes),
            "involved": .array(task.classes.map { .string($0) }), "config": task.initialConfig,
            "call_seconds": .double(settings.callSeconds), "max_result": .int(AgentGrader.maxResultCharacters),
        ]
        guard let answer = await exchange(request) else { return session.ended ?? "the tools' process ended" }
        if answer["ok"]?.boolValue == true { return nil }
        return answer["error"]?.stringValue ?? "the tools could not start"
    }

    /// Runs one of the model's calls; its result as the model is sent it (an error as text).
    public func call(_ call: ToolCall) async -> String {
        guard case .json = call.arguments else {
            return "Error during execution: the arguments are not JSON"
        }
        // The arguments as they came, not re-encoded (which would make 50.0 the int 50, and the
        // tool's result another): JSON text holds a raw line break only between tokens.
        var line = "{\"op\": \"call\", \"name\": "
        JSONValue.writeString(call.name, to: &line)
        let arguments = call.argumentsText.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : String($0) }
        line += ", \"arguments\": " + arguments.joined() + "}"
        guard let answer = await exchange(line: line), let result = answer["result"]?.stringValue else {
            return "Error during execution: \(session.ended ?? "the tools did not answer")"
        }
        return result
    }

    /// Ends a turn: the ground truth's calls run, and the turn is judged.
    public func endTurn(groundTruth: [String], called: Bool) async -> AgentEvidence.Verdict {
        let request: JSONValue = [
            "op": "turn", "ground_truth": .array(groundTruth.map { .string($0) }), "called": .bool(called),
        ]
        guard let answer = await exchange(request) else {
            return AgentEvidence.Verdict(kind: .toolsStopped, detail: session.ended)
        }
        guard let kind = answer["kind"]?.stringValue.flatMap(AgentEvidence.Verdict.Kind.init(rawValue:)) else {
            return AgentEvidence.Verdict(
                kind: .toolsStopped, detail: answer["error"]?.stringValue ?? "the tools answered no verdict")
        }
        return AgentEvidence.Verdict(
            kind: kind, detail: answer["detail"]?.stringValue, field: answer["field"]?.stringValue)
    }

    private func exchange(_ request: JSONValue) async -> JSONValue? {
        await exchange(line: request.compactJSON)
    }

    private func exchange(line: String) async -> JSONValue? {
        guard let answer = await session.exchange(line, limit: limit) else { return nil }
        return try? JSONParser.parse(answer.utf8)
    }
}
