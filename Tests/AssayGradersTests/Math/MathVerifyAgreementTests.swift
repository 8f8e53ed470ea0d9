import AssayCore
import AssayEvalSets
@testable import AssayGraders
import AssayTestSupport
import Foundation
import Testing

/// The field's reference on its own data: every (gold, answer, verdict) of Math-Verify's public
/// regression tests (`Tests/Fixtures/math-verify-cases.jsonl`), graded as a suite grades them:
/// the gold checked when the suite loads (a refused gold counts as a disagreement), the answer
/// graded by `MathGrader`. Prints every disagreement.
@Suite struct MathVerifyAgreementTests {
    struct Pair: Decodable {
        var source: String
        var gold: String
        var answer: String
        var pass: Bool
    }

    static func load() throws -> [Pair] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures/math-verify-cases.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Pair.self, from: Data($0.utf8)) }
    }

    @Test func agreesWithMathVerifyOnItsOwnCases() async throws {
        let pairs = try Self.load()
        var agreed = 0
        var falsePasses: [String] = []
        var report: [String] = []
        for pair in pairs {
            let item = Case(id: "q", input: ["problem": "?"], expected: ["answer": .string(pair.gold)], line: 1)
            let suite = Suite(
                id: "m", title: "m", kind: .math, grader: GraderSpec(name: .math),
                prompt: PromptTemplate(template: "{{problem}}"), cases: [item],
                directory: "evalsets/m")
            let grader: any Grader
            do {
                grader = try Graders.make(for: suite)
            } catch {
                report.append("GOLD REFUSED \(pair.source): \(pair.gold.prefix(120)) — \(error)")
                continue
            }
            let grade = await grader.grade(item, answer: pair.answer)
            let passed = grade.outcome == .pass
            if passed == pair.pass {
                agreed += 1
            } else {
                if passed { falsePasses.append(pair.source) }
                let shown = pair.answer.count > 160 ? "…" + pair.answer.suffix(160) : pair.answer
                report.append(
                    "\(pair.pass ? "MISSED" : "FALSE PASS") \(pair.source): gold=\(pair.gold) answer=\(shown) → \(grade.outcome) \(grade.rule ?? "") \(grade.extracted ?? "") \(grade.evidence["reason"].map { "\($0)" } ?? "")"
                )
            }
        }
        let rate = Double(agreed) / Double(pairs.count)
        print(
            "Math-Verify agreement: \(agreed) of \(pairs.count) (\(String(format: "%.1f", rate * 100))%), false passes \(falsePasses.count)"
        )
        for line in report { print("  " + line.replacingOccurrences(of: "\n", with: "⏎")) }
        #expect(rate >= 0.97, "agreement \(agreed)/\(pairs.count)")
        #expect(falsePasses.count <= 1, "passes on a different value: \(falsePasses)")
    }
}
