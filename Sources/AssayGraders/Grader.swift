import AssayCore
import SystemPackage

/// A deterministic checker: the same case and answer always get the same grade.
/// No grader calls a model.
public protocol Grader: Sendable {
    /// Grades `answer` (the model's text) against the case's expectation.
    func grade(_ item: Case, answer: String) async -> Grade

    /// Grades the whole completion; graders of text grade its `text` (the default), the
    /// tools grader its function calls.
    func grade(_ item: Case, completion: Completion) async -> Grade
}

extension Grader {
    public func grade(_ item: Case, completion: Completion) async -> Grade {
        await grade(item, answer: completion.text)
    }
}

/// What graders may need from the run: the sandbox for model-written code.
public struct GraderContext: Sendable {
    public var sandbox: Sandbox?

    public init(sandbox: Sandbox? = nil) {
        self.sandbox = sandbox
    }
}

/// Makes the grader a suite names, with its settings checked.
public enum Graders {
    public static func make(for suite: Suite, context: GraderContext = GraderContext()) throws(InputError) -> any Grader
    {
        switch suite.grader.name {
        case .exactLabel:
            return try ExactLabelGrader(settings: suite.grader.settings, suite: suite)
        case .code:
            guard let sandbox = context.sandbox else {
                throw InputError(
                    file: FilePath(suite.directory).appending("suite.yaml").string,
                    "the code grader needs a sandbox, and the run has none")
            }
            return try CodeExecutionGrader(settings: suite.grader.settings, suite: suite, sandbox: sandbox)
        case .numeric:
            return try NumericGrader(settings: suite.grader.settings, suite: suite)
        case .math:
            return try MathGrader(settings: suite.grader.settings, suite: suite)
        case .label:
            return try LabelGrader(settings: suite.grader.settings, suite: suite)
        case .ocr:
            return try OCRGrader(settings: suite.grader.settings, suite: suite)
        case .tools:
            return try ToolCallGrader(settings: suite.grader.settings, suite: suite)
        case .fields:
            return try FieldsGrader(settings: suite.grader.settings, suite: suite)
        case .answered:
            return try AnsweredGrader(settings: suite.grader.settings, suite: suite)
        case .allValues:
            return try AllValuesGrader(settings: suite.grader.settings, suite: suite)
        case .agentState:
            guard let sandbox = context.sandbox else {
                throw InputError(
                    file: FilePath(suite.directory).appending("suite.yaml").string,
                    "the agent-state grader runs the suite's tools in a sandbox, and the run has none")
            }
            return try AgentGrader(settings: suite.grader.settings, suite: suite, sandbox: sandbox)
        }
    }
}
