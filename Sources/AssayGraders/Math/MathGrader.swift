import AssayCore
import Foundation
import SystemPackage

/// Right when the answer's final expression equals the expected one by value: for MATH-style
/// answers (`\frac{243}{625}`, `2\sqrt{3}`, `(3, \frac{\pi}{2})`, `[2, 5)`, `x^3+3x-6`).
///
/// - **The gold** is read as an answer is when it is written in math delimiters or as a
///   solution (`$(p,q)=(3,2)$`, `\(\boxed{1}\) and \(\boxed{-2}\)`): `FinalAnswer` finds its
///   final answer. A plain gold is taken as written (`1,000` is 1000; `-2,1` stays a list).
/// - **The answer's final expression** is found by `FinalAnswer` as Math-Verify finds it (boxes
///   and their joined neighbours, answer phrases, math regions, the last line or number) and
///   compared with the gold by `MathEquivalence`: exactly where it can (rationals, canonical
///   radicals), by polynomial identity or at seeded random points elsewhere; the grade names the
///   rule that decided. A number that only starts an expression (`2\sqrt{2}`, `2^{10}`, `2x`) is
///   judged whole (`2\sqrt{2}` fails against 2; `1+1` passes).
/// - **A plain-number gold** (`"12"`, `"-3/4"`, `"13.5"`) also knows the numeric grader's word
///   problem markers: `#### N` and 答案是 N come first unless the answer has a box (MATH solutions
///   box their answer and then check it, "our answer: $17 \cdot 44 = 748$": the check's 17 must
///   not win); a number marked so is graded as the numeric grader grades it. Its answer may use a
///   decimal comma where the digits after it cannot be a thousands group (`1000,99`).
/// - An answer with no final expression (a last line that is prose, an empty `\boxed{}`), or
///   one that does not parse, is `invalid` with the reason, never a silent fail.
/// - **Every grade is bounded** (`MathBudget`: 100,000 steps of work, 2 s, cancellation checked
///   every 1,024 steps; answers of at most 10,000 characters and 64 levels of nesting are parsed).
///   A comparison stopped at a limit, or between exact values too large to compare exactly, is
///   `invalid` with the reason, never a pass; a grade stopped by cancellation is an `error`.
///
/// Every case's `expected.answer` must parse, and must equal itself within the same limits
/// (a gold that no answer could match, such as `10^{10^{10}}` or a product of fifteen
/// radicals squared, is refused): a suite that cannot be graded is refused when it loads, with
/// its file and line (`assay validate` runs the same check).
public struct MathGrader: Grader {
    let numeric: NumericGrader

    public init(settings: [String: JSONValue], suite: Suite) throws(InputError) {
        var problems = suite.unknownGraderSettings(settings, grader: "math")
        for item in suite.cases {
            guard let gold = Self.gold(item.expected).map(Self.goldAnswer) else {
                problems.append(
                    Diagnostic(
                        file: FilePath(suite.directory).appending("cases.jsonl").string, line: item.line,
                        "case '\(item.id)': 'expected.answer' must be a string or a number"))
                continue
            }
            if Self.goldNumber(gold) == nil, let problem = Self.goldProblem(gold) {
                problems.append(
                    Diagnostic(
                        file: FilePath(suite.directory).appending("cases.jsonl").string, line: item.line,
                        "case '\(item.id)': 'expected.answer' \(problem)"))
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        numeric = NumericGrader(relativeTolerance: 1e-6, absoluteTolerance: 1e-9, percent: .asNumber)
    }

    public func grade(_ item: Case, answer: String) async -> Grade {
        guard let gold = Self.gold(item.expected).map(Self.goldAnswer) else {
            return Grade(outcome: .invalid, score: 0, evidence: MathEvidence(reason: "the case has no expected answer"))
        }
        let expected = Self.goldNumber(gold)
        let found = FinalAnswer.extract(answer, decimalComma: expected != nil)
        // The numeric markers, for a number gold when no box decided (the same window FinalAnswer
        // reads: the last 20,000 characters).
        let extracted =
            expected == nil || found?.rule == "boxed"
            ? nil
            : AnswerExtraction.extract(
                String(String.UnicodeScalarView(answer.unicodeScalars.suffix(FinalAnswer.maxRead))),
                percent: numeric.percent)
        // GSM8K's `#### N` and 答案是 N are the word problem's own markers, which Math-Verify does not
        // know: they come before its phrases ("the answer as a percentage: 90 / 450 ...").
        let wordProblemMarker =
            extracted?.rule.hasPrefix("marker '####'") == true || extracted?.rule.hasPrefix("marker '答案") == true
        if let expected,
            found?.rule != "boxed" && wordProblemMarker
                || !["boxed", "answer phrase", "math"].contains(found?.rule ?? "")
        {
            if extracted == nil || extracted?.rule == "last number" || extracted?.rule == "last '= N'" {
                // No marker: the final answer as Math-Verify reads it (`1 000`, `1000,99`, `1,000.99m²`, `\frac{10}{9}`).
                guard let (final, rule) = found, rule != "last line" || !FinalAnswer.isSentence(final) else {
                    return Self.noFinalAnswer(gold: gold)
                }
                return Self.judge(final, rule: rule, gold: gold)
            }
            if let extracted, let expression = extracted.expression {
                // The number is only the start of the final answer: judge the whole of it by value.
                let final = FinalAnswer.clean(ArraySlice(expression.unicodeScalars))
                return Self.judge(final, rule: "numeric: \(extracted.rule) → an expression", gold: gold)
            }
            var grade = numeric.grade(expected: expected, extracted: extracted)
            grade.rule = grade.rule.map { "numeric: " + $0 }
            return grade
        }
        guard let (final, rule) = found, rule != "last line" || !FinalAnswer.isSentence(final) else {
            return Self.noFinalAnswer(gold: gold)
        }
        return Self.judge(final, rule: rule, gold: gold)
    }

    static func noFinalAnswer(gold: String) -> Grade {
        let evidence = MathEvidence(
            expected: gold,
            reason: "no final answer: no \\boxed{}, no 'the answer is', no math, no number, and the last line is prose")
        return Grade(outcome: .invalid, score: 0, rule: "no final answer", evidence: evidence)
    }

    /// The gold's final answer: a gold written in math delimiters or as a solution (`$(p,q)=(3,2)$`,
    /// `\boxed{1} and \boxed{2}`) is read the way an answer is; a plain number is written plainly
    /// (`1,000` is 1000, `0,111` is 0.111).
    static func goldAnswer(_ raw: String) -> String {
        var gold = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if FinalAnswer.isDelimited(gold) {
            if let found = FinalAnswer.extract(gold) { gold = found.answer }
            return gold
        }
        // A comma between digits is a decimal comma in a plain gold only after a lone zero (`0,111`):
        // `1,22` could be two values, and MATH writes lists so (`-2,1`).
        let scalars = Array(gold.unicodeScalars)
        let decimalComma = gold.hasPrefix("0,") || gold.hasPrefix("-0,")
        if let number = FinalAnswer.numberAt(scalars, 0, decimalComma: decimalComma), number.end == scalars.count,
            !number.text.hasSuffix("%")
        {
            return number.text
        }
        return gold
    }

    /// The gold as a plain number, when it is one.
    static func goldNumber(_ gold: String) -> ExactNumber? {
        NumericGrader.expectedNumber(.string(gold))
    }

    /// Compares the final answer with the gold within a fresh budget.
    static func judge(_ final: String, rule: String, gold: String, budget: MathBudget = MathBudget()) -> Grade {
        var evidence = MathEvidence(expected: gold)
        do {
            let verdict = try MathEquivalence.compare(answer: final, gold: gold, budget: budget)
            if verdict.cancelled {
                return Grade(
                    outcome: .error, score: 0, extracted: final, rule: "\(rule) → cancelled", evidence: evidence,
                    failure: "grading was cancelled")
            }
            if let reason = verdict.undecided {
                evidence.reason = "not decided: \(reason)"
                return Grade(
                    outcome: .invalid, score: 0, extracted: final, rule: "\(rule) → \(verdict.rule)", evidence: evidence
                )
            }
            return Grade(
                outcome: verdict.equal ? .pass : .fail, score: verdict.equal ? 1 : 0, extracted: final,
                rule: "\(rule) → \(verdict.rule)",
                evidence: evidence)
        } catch {
            evidence.reason = "the final answer does not parse: \(error.reason)"
            return Grade(
                outcome: .invalid, score: 0, extracted: final, rule: "\(rule) → not parsed", evidence: evidence)
        }
    }

    /// Why a (non-numeric) expected answer cannot be graded, or nil: it must parse, and equal itself
    /// within one grade's limits (so that some answer can pass, and no grade of it can hang).
    static func goldProblem(_ gold: String) -> String? {
        let parsed: MathExpr
        do {
            parsed = try MathParser.parse(gold)
        } catch {
            return "does not parse: \(error.reason)"
        }
        let budget = MathBudget()
        let verdict = MathEquivalence.settle(MathEquivalence.compare(parsed, parsed, budget: budget), budget: budget)
        if let reason = verdict.undecided { return "is past the grading limits: \(reason)" }
        if !verdict.equal { return "does not equal itself (\(verdict.rule)), so no answer could pass" }
        return nil
    }

    /// The expected answer as text: a string, or a JSON number written out.
    static func gold(_ expected: JSONValue) -> String? {
        switch expected["answer"] ?? expected {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): number.isFinite ? String(number) : nil
        default: nil
        }
    }

    /// A line that is words, not an expression: three letters in a row outside a LaTeX command,
    /// `\text{}` and the names of functions. "Therefore 7" is prose; "x^2+3x" and `\sin x` are not.
    static func isProse(_ line: String) -> Bool {
        var cleaned = line
        for name in ["\\text", "\\mathrm", "\\mbox", "\\operatorname"] {
            cleaned = cleaned.replacingOccurrences(of: name, with: " ")
        }
        var run = ""
        var afterBackslash = false
        for character in cleaned + " " {
            if character.isLetter && character.isASCII {
                run.append(character)
                continue
            }
            if !run.isEmpty {
                if !afterBackslash && run.count >= 3 && !Self.functionNames.contains(run.lowercased())
                    && !unitWords.contains(run.lowercased())
                {
                    return true
                }
                run = ""
            }
            afterBackslash = character == "\\"
        }
        return false
    }

    static let functionNames: Set<String> = [
        "sin", "cos", "tan", "cot", "sec", "csc", "log", "exp", "sqrt", "arcsin", "arccos", "arctan", "sinh", "cosh",
        "tanh", "max", "min", "gcd", "lcm", "mod", "deg",
    ]
}
