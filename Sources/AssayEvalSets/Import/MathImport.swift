import AssayCore
import Foundation
import SystemPackage

/// Converts MATH / MATH-500 JSON Lines (`problem`, `answer`, and optionally `solution`,
/// `subject`, `level`, `unique_id`) into a math suite graded by the math grader (LaTeX answers
/// compared by value). Each case is tagged `math`, `subject:<subject>` (lower-cased, spaces as
/// hyphens: `subject:intermediate-algebra`) and `level:<n>`, so that reports break scores down
/// by subject. A line without `answer` but with a `solution` takes the solution's last
/// `\boxed{}` (the original MATH files carry no separate answer). The worked solution is kept
/// as `expected.solution`, never shown. Nothing is fetched.
public enum MathImport {
    @discardableResult
    public static func run(_ source: String, to directory: String, id: String? = nil, force: Bool = false)
        throws(InputError) -> Int
    {
        var problems: [Diagnostic] = []
        var cases: [(id: String, input: JSONValue, expected: JSONValue, tags: [String])] = []
        var ids = CaseIDs()
        for (index, (line, object)) in try JSONLines.objects(in: source, problems: &problems).enumerated() {
            guard
                let problem = JSONLines.texts(["problem"], of: object, path: source, line: line, problems: &problems)?
                    .first
            else { continue }
            let solution = object["solution"]?.stringValue
            guard let answer = object["answer"]?.stringValue ?? solution.flatMap(lastBoxed),
                !answer.trimmingCharacters(in: .whitespaces).isEmpty
            else {
                problems.append(
                    Diagnostic(file: source, line: line, "no 'answer', and no \\boxed{} answer in 'solution'"))
                continue
            }
            var tags = ["math"]
            if let subject = object["subject"]?.stringValue ?? object["type"]?.stringValue {
                tags.append(
                    "subject:"
                        + subject.lowercased().split(whereSeparator: { $0 == " " || $0 == "&" }).joined(separator: "-"))
            }
            if let level = object["level"].map(\.templateText) {
                tags.append("level:" + level.replacingOccurrences(of: "Level ", with: ""))
            }
            let rawID =
                object["unique_id"]?.stringValue ?? object["id"]?.templateText ?? String(format: "math-%04d", index + 1)
            let caseID = rawID.replacingOccurrences(of: ".json", with: "").replacingOccurrences(of: "/", with: "-")
            guard ids.claim(caseID, field: "unique_id", path: source, line: line, problems: &problems) else { continue }
            var expected: [String: JSONValue] = ["answer": .string(answer)]
            if let solution { expected["solution"] = .string(solution) }
            cases.append((caseID, ["problem": .string(problem)], .object(expected), tags))
        }
        if cases.isEmpty && problems.isEmpty { problems.append(Diagnostic(file: source, "no problems in the file")) }
        if !problems.isEmpty { throw InputError(problems) }
        try SuiteWriter.write(
            template: EmbeddedFiles.mathSuiteYaml, title: "MATH-format problems", source: source, id: id, cases: cases,
            to: directory,
            force: force)
        return cases.count
    }

    /// The content of the last `\boxed{...}` in a worked solution, braces balanced.
    static func lastBoxed(_ solution: String) -> String? {
        guard let start = solution.range(of: "\\boxed{", options: .backwards) else { return nil }
        var depth = 1
        var index = start.upperBound
        while index < solution.endIndex {
            switch solution[index] {
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { return String(solution[start.upperBound..<index]) }
            default: break
            }
            index = solution.index(after: index)
        }
        return nil
    }
}
