import AssayCore
import SystemPackage

/// Grades the function calls a model made, as BFCL's AST checker does (`ToolCallChecker`).
///
/// A case declares its functions in `input.tools` (OpenAI tools, or BFCL's bare functions)
/// and what it accepts in `expected` (`ToolExpectation`). Every case is read when the grader
/// is made: a malformed one is a `file:line` error before any request. The verdict: `pass`
/// when the calls are accepted; `invalid` when a call's arguments are not a JSON object (the
/// parser's reason in the evidence), except where no call is wanted: there such a call is no
/// call, as BFCL's decoder reads it, and passes; `fail` otherwise, with the first mismatch
/// (`ToolCallMismatch`) and the calls made in the evidence. The calls are what is graded:
/// text beside them is not.
public struct ToolCallGrader: Grader {
    private let checkers: [String: ToolCallChecker]

    public init(settings: [String: JSONValue], suite: Suite) throws(InputError) {
        let casesFile = FilePath(suite.directory).appending("cases.jsonl").string
        var problems = suite.unknownGraderSettings(settings, grader: "tools")
        var checkers: [String: ToolCallChecker] = [:]
        for item in suite.cases {
            if item.input["messages"] == nil && suite.prompt.template.isEmpty {
                problems.append(
                    Diagnostic(
                        file: casesFile, line: item.line,
                        "case '\(item.id)': needs 'input.messages' (the suite has no prompt template)"))
                continue
            }
            do {
                checkers[item.id] = try Self.checker(for: item)
            } catch {
                problems.append(Diagnostic(file: casesFile, line: item.line, "case '\(item.id)': \(error.message)"))
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        self.checkers = checkers
    }

    /// The checker of one case: its declared functions and what it accepts.
    static func checker(for item: Case) throws(SchemaError) -> ToolCallChecker {
        guard case .array(let tools)? = item.input["tools"] else {
            throw SchemaError("'input.tools' must be a list of function declarations")
        }
        switch item.input["messages"] {
        case nil: break
        case .array(let messages)? where !messages.isEmpty:
            for (index, message) in messages.enumerated() where ChatMessage(json: message) == nil {
                throw SchemaError(
                    "'input.messages[\(index)]' must be {\"role\": \"system\" | \"user\" | \"assistant\", \"content\": \"text\"}"
                )
            }
        case _?: throw SchemaError("'input.messages' must be a non-empty list of messages")
        }
        if let choice = item.input["tool_choice"] {
            guard let parsed = ToolChoice(choice) else {
                throw SchemaError(
                    "'input.tool_choice' must be \"auto\", \"none\", \"required\" or {\"type\": \"function\", \"function\": {\"name\": ...}}"
                )
            }
            if case .function(let name) = parsed, !tools.contains(where: { ToolDefinition($0)?.name == name }) {
                throw SchemaError("'input.tool_choice' names '\(name)', which 'input.tools' does not declare")
            }
        }
        var functions: [String: FunctionSchema] = [:]
        for tool in tools {
            let schema = try FunctionSchema(tool)
            if functions[schema.name] != nil { throw SchemaError("the function '\(schema.name)' is declared twice") }
            functions[schema.name] = schema
        }
        let expectation = try ToolExpectation(item.expected)
        if case .calls(let calls) = expectation {
            for call in calls where functions[call.name] == nil {
                throw SchemaError("'expected' calls '\(call.name)', which 'input.tools' does not declare")
            }
        }
        return ToolCallChecker(functions: functions, expectation: expectation)
    }

    /// An answer of text alone: no call.
    public func grade(_ item: Case, answer: String) async -> Grade {
        grade(item, calls: [])
    }

    public func grade(_ item: Case, completion: Completion) async -> Grade {
        grade(item, calls: completion.toolCalls ?? [])
    }

    /// The grade of `calls` made in answer to `item`.
    public func grade(_ item: Case, calls: [ToolCall]) -> Grade {
        let checker: ToolCallChecker
        if let known = checkers[item.id] {
            checker = known
        } else {
            do {
                checker = try Self.checker(for: item)
            } catch {
                return Grade(outcome: .error, score: 0, rule: "tools", failure: "case '\(item.id)': \(error.message)")
            }
        }
        var evidence: [String: JSONValue] = [:]
        ToolCall.record(calls, in: &evidence)
        let extracted = calls.isEmpty ? nil : calls.map(\.summary).joined(separator: "\n")
        guard let mismatch = checker.check(calls) else {
            return Grade(outcome: .pass, score: 1, extracted: extracted, rule: "tools", evidence: evidence)
        }
        mismatch.record(in: &evidence)
        return Grade(
            outcome: mismatch.kind == .invalidArguments ? .invalid : .fail, score: 0, extracted: extracted,
            rule: "tools", evidence: evidence)
    }
}
