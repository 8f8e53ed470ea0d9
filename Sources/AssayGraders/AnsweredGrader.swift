import AssayCore
import SystemPackage

/// Right when the model answered: any answer with text in it passes, an empty one is invalid.
/// Nothing about the answer is judged.
///
/// For requests that come with neither a label nor a reference answer (a sample of production
/// traffic, `assay import traffic`): such a suite is run for what the other columns say
/// (cost, latency, errors, where a routing policy sends each prompt), and its score is the
/// share of requests answered, never a measure of quality. The answer's start is kept as
/// what was extracted, so that the drill-down shows what came back.
public struct AnsweredGrader: Grader {
    /// How much of the answer the grade keeps.
    static let shown = 200

    public init(settings: [String: JSONValue], suite: Suite) throws(InputError) {
        let problems = suite.unknownGraderSettings(settings, grader: "answered")
        if !problems.isEmpty { throw InputError(problems) }
    }

    public func grade(_ item: Case, answer: String) async -> Grade {
        let text = answer.trimmingWhitespace()
        guard !text.isEmpty else {
            return Grade(outcome: .invalid, score: 0, extracted: "", rule: "answered: the answer is empty")
        }
        return Grade(
            outcome: .pass, score: 1, extracted: String(text.prefix(Self.shown)),
            rule: "answered: recorded, not judged")
    }
}
