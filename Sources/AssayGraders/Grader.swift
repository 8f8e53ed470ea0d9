import AssayCore

/// A deterministic checker: the same case and answer always get the same grade.
/// No grader calls a model.
public protocol Grader: Sendable {
    /// Grades `answer` (the model's text) against the case's expectation.
    func grade(_ item: Case, answer: String) async -> Grade
}

/// Makes the grader a suite names, with its settings.
public enum Graders {
    public static func make(for suite: Suite) throws(InputError) -> any Grader {
        switch suite.grader.name {
        case .exactLabel: return try ExactLabelGrader(settings: suite.grader.settings, suite: suite)
        }
    }
}
