import AssayCore
import SystemPackage

/// Right when the whole answer, trimmed and case-folded, equals the expected label.
///
/// The expected label is `expected.label`, else `expected.answer`, else `expected` itself
/// when it is text. Trimming removes whitespace and newlines at both ends; case folding is
/// Unicode's lowercase mapping, so `Positive` equals `positive`. Nothing else is forgiven:
/// "positive." and "It is positive" are wrong. An empty answer is invalid. This is the
/// strict grader for suites whose prompt asks for the bare label; free-text label finding
/// belongs to the label grader.
public struct ExactLabelGrader: Grader {
    public init(settings: [String: JSONValue], suite: Suite) throws(InputError) {
        var problems = suite.unknownGraderSettings(settings, grader: "exact-label")
        for item in suite.cases where Self.expectedLabel(item.expected) == nil {
            problems.append(
                Diagnostic(
                    file: FilePath(suite.directory).appending("cases.jsonl").string, line: item.line,
                    "case '\(item.id)': the exact-label grader needs 'expected.label' (or 'expected' as text)"))
        }
        if !problems.isEmpty { throw InputError(problems) }
    }

    public func grade(_ item: Case, answer: String) async -> Grade {
        let got = Self.normalize(answer)
        guard let label = Self.expectedLabel(item.expected) else {
            return Grade(outcome: .invalid, score: 0, evidence: LabelEvidence(reason: "the case has no expected label"))
        }
        guard !got.isEmpty else {
            return Grade(
                outcome: .invalid, score: 0, extracted: "", rule: "whole answer",
                evidence: LabelEvidence(expected: label))
        }
        let right = got == Self.normalize(label)
        return Grade(
            outcome: right ? .pass : .fail, score: right ? 1 : 0, extracted: got,
            rule: "whole answer, trimmed and case-folded",
            evidence: LabelEvidence(expected: label))
    }

    static func expectedLabel(_ expected: JSONValue) -> String? {
        expected["label"]?.stringValue ?? expected["answer"]?.stringValue ?? expected.stringValue
    }

    static func normalize(_ text: String) -> String {
        text.trimmingWhitespace().lowercased()
    }
}

extension String {
    /// The text without whitespace and newlines at either end.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
