import Testing
@testable import AssayGraders

/// Real model-style text: each MATH-500 reference solution ends in a `\boxed{}` answer written by a human,
/// often spelled differently from the `answer` field. Extract it and grade it against the gold.
@Suite struct MathSolutionAgreementTests {
    @Test func referenceSolutionsGradeCorrect() throws {
        let problems = try Math500Fixture.load()
        var agree = 0
        var mismatches: [String] = []
        var rules: [String: Int] = [:]
        for p in problems {
            guard let extracted = FinalAnswer.extract(p.solution) else {
                mismatches.append("NO ANSWER: \(p.unique_id)")
                continue
            }
            do {
                let v = try MathEquivalence.compare(answer: extracted.answer, gold: p.answer)
                rules[v.rule, default: 0] += 1
                if v.equal {
                    agree += 1
                } else {
                    mismatches.append("REJECTED (\(v.rule)): extracted=\(extracted.answer) gold=\(p.answer)")
                }
            } catch {
                mismatches.append("UNPARSED (\(error.reason)): extracted=\(extracted.answer) gold=\(p.answer)")
            }
        }
        print("reference solutions graded correct: \(agree)/\(problems.count)")
        print(
            "deciding rules:",
            rules.sorted { $0.value > $1.value }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        for m in mismatches { print(m) }
        #expect(agree == problems.count)
    }
}
