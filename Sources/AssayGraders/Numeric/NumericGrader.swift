import AssayCore
import SystemPackage

/// Right when the final number in the answer equals the expected one.
///
/// The answer's number is found by `AnswerExtraction`'s ordered rule; the expected number is
/// `expected.answer` (text such as "12.5", "-3/4", "12,450", or a JSON number). Both rational
/// (every decimal, fraction or integer is): compared exactly. Otherwise (a value past 64-bit
/// integers): within the suite's `relative_tolerance` (1e-6) and `absolute_tolerance` (1e-9).
/// The grade records what was extracted, its value and the rule that found it; an answer
/// with no number is `invalid`, and so is one whose final answer is an expression that merely
/// starts with (or holds) a number ("Answer: 2\sqrt{2}", "Answer: 2^{10}", "Answer: 2 + 1":
/// see `FinalValue`), with the reason.
public struct NumericGrader: Grader {
    let relativeTolerance: Double
    let absoluteTolerance: Double
    let percent: AnswerExtraction.PercentMode

    static let settingKeys = ["relative_tolerance", "absolute_tolerance", "percent"]

    init(relativeTolerance: Double, absoluteTolerance: Double, percent: AnswerExtraction.PercentMode) {
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.percent = percent
    }

    public init(settings: [String: JSONValue], suite: Suite) throws(InputError) {
        let file = FilePath(suite.directory).appending("suite.yaml").string
        var problems: [Diagnostic] = []
        func tolerance(_ key: String, _ fallback: Double) -> Double {
            guard let value = settings[key] else { return fallback }
            guard let number = value.doubleValue, number >= 0, number < 1 else {
                problems.append(
                    suite.grader.diagnostic(key, file: file, "grader setting '\(key)' must be a number from 0 to 1"))
                return fallback
            }
            return number
        }
        relativeTolerance = tolerance("relative_tolerance", 1e-6)
        absoluteTolerance = tolerance("absolute_tolerance", 1e-9)
        let mode = settings["percent"]?.stringValue ?? "as-number"
        percent = AnswerExtraction.PercentMode(rawValue: mode) ?? .asNumber
        if AnswerExtraction.PercentMode(rawValue: mode) == nil {
            problems.append(
                suite.grader.diagnostic(
                    "percent", file: file, "grader setting 'percent' must be as-number or as-fraction, not '\(mode)'"))
        }
        problems += suite.unknownGraderSettings(settings, grader: "numeric", allowed: Self.settingKeys)
        for item in suite.cases where Self.expectedNumber(item.expected) == nil {
            problems.append(
                Diagnostic(
                    file: FilePath(suite.directory).appending("cases.jsonl").string, line: item.line,
                    "case '\(item.id)': 'expected.answer' must be a number (\"12\", \"-3.5\", \"2/3\")"))
        }
        if !problems.isEmpty { throw InputError(problems) }
    }

    public func grade(_ item: Case, answer: String) async -> Grade {
        guard let expected = Self.expectedNumber(item.expected) else {
            return Grade(
                outcome: .invalid, score: 0, evidence: NumericEvidence(reason: "the case has no expected number"))
        }
        return grade(expected: expected, extracted: AnswerExtraction.extract(answer, percent: percent))
    }

    /// The grade of what `AnswerExtraction` found (nil: nothing) against the expected number.
    func grade(expected: ExactNumber, extracted: AnswerExtraction.Extracted?) -> Grade {
        var evidence = NumericEvidence(expected: expected.description)
        guard let extracted else {
            evidence.reason = "no number in the answer"
            return Grade(outcome: .invalid, score: 0, rule: "no number in the answer", evidence: evidence)
        }
        if let expression = extracted.expression {
            evidence.reason = "the final answer is an expression, not a number: '\(Self.excerpt(expression))'"
            return Grade(
                outcome: .invalid, score: 0, extracted: extracted.text, rule: extracted.rule + " → an expression",
                evidence: evidence)
        }
        evidence.value = extracted.value.description
        let right = extracted.value.matches(
            expected, relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance)
        if !(extracted.value.isRational && expected.isRational) { evidence.compared = "within tolerance" }
        return Grade(
            outcome: right ? .pass : .fail, score: right ? 1 : 0, extracted: extracted.text, rule: extracted.rule,
            evidence: evidence)
    }

    /// At most 200 characters of an answer, for the grade's evidence.
    static func excerpt(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: " \t\r\n")
        return trimmed.count > 200 ? String(trimmed.prefix(200)) + "…" : trimmed
    }

    static func expectedNumber(_ expected: JSONValue) -> ExactNumber? {
        let value = expected["answer"] ?? expected
        switch value {
        case .int(let number): return .rational(number, 1)
        case .double(let number): return .real(number)
        case .string(let text):
            let scalars = NumberScanner.normalize(text.trimmingCharacters(in: " \n\t"))
            guard let number = NumberScanner.scan(scalars, at: 0, limit: scalars.count), number.end == scalars.count
            else { return nil }
            return number.value
        default: return nil
        }
    }
}
