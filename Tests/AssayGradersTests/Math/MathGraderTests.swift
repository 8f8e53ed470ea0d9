import AssayCore
import AssayEvalSets
@testable import AssayGraders
import AssayTestSupport
import Foundation
import Testing

/// The math grader as a suite uses it: expectations checked when the suite loads, numbers
/// graded as the numeric grader does, LaTeX by value, and the answers that must not pass.
@Suite struct MathGraderTests {
    func grade(_ answer: String, expected: JSONValue) async throws -> Grade {
        let item = Case(id: "q", input: ["problem": "?"], expected: ["answer": expected], line: 3)
        let suite = Suite(
            id: "m", title: "m", kind: .math, grader: GraderSpec(name: .math),
            prompt: PromptTemplate(template: "{{problem}}"), cases: [item],
            directory: "evalsets/m")
        return try await Graders.make(for: suite).grade(item, answer: answer)
    }

    @Test func aPlainNumberIsGradedAsTheNumericGraderGradesIt() async throws {
        let grade = try await grade("Work...\nAnswer: 13.5 minutes", expected: "13.5")
        #expect(grade.outcome == .pass && grade.rule == "answer phrase → exact rational", "\(grade)")
        let marked = try await self.grade("Work...\n#### 13.5", expected: "13.5")
        #expect(marked.outcome == .pass && marked.rule?.hasPrefix("numeric: ") == true, "\(marked)")
        let units = try await self.grade("#### 1,145", expected: 1145)
        #expect(units.outcome == .pass)
    }

    @Test(arguments: [
        "The answer is $\\dfrac{243}{625}$.", "so \\boxed{243/625}", "Answer: 0.3888", "$$\\frac{243}{625}$$",
        "\\boxed{\\frac{486}{1250}}",
    ])
    func equivalentFormsPass(answer: String) async throws {
        let grade = try await grade(answer, expected: "\\frac{243}{625}")
        #expect(grade.outcome == .pass, "\(answer): \(grade)")
        #expect(grade.rule?.contains("→") == true, "the rule names how the answer was found and what decided")
    }

    /// Attacks: near misses, hedges, swapped order, open for closed, a number pulled from the
    /// working, a cut-off answer.
    @Test(arguments: [
        ("\\boxed{\\frac{243}{624}}", "\\frac{243}{625}"), ("\\boxed{0.39}", "\\frac{243}{625}"),
        ("\\boxed{-\\frac{243}{625}}", "\\frac{243}{625}"),
        ("\\boxed{(2, 3)}", "(3, 2)"), ("\\boxed{[2, 5]}", "[2, 5)"), ("\\boxed{2k+1}", "2k+2"), ("\\boxed{3}", "3, 5"),
        ("\\boxed{1.41}", "\\sqrt{2}"), ("\\boxed{x^2+2x+2}", "(x+1)^2"), ("\\boxed{3, 5, 7}", "3, 5"),
    ])
    func nearMissesFail(answer: String, gold: String) async throws {
        let grade = try await grade(answer, expected: .string(gold))
        #expect(grade.outcome == .fail, "\(answer) vs \(gold): \(grade)")
    }

    @Test(arguments: ["I am not sure.", "Let me think about this problem carefully", "\\boxed{\\frac{1}{", ""])
    func noFinalExpressionIsInvalidWithTheReason(answer: String) async throws {
        let grade = try await grade(answer, expected: "2\\sqrt{5}")
        #expect(grade.outcome == .invalid, "\(answer.debugDescription): \(grade)")
        #expect(grade.evidence["reason"] != nil)
    }

    @Test func anExpectationThatDoesNotParseIsRefusedWhereItIs() {
        let good = Case(id: "a", input: ["problem": "?"], expected: ["answer": "\\frac{1}{2}"], line: 1)
        let bad = Case(id: "b", input: ["problem": "?"], expected: ["answer": "\\frac{1}{"], line: 2)
        let missing = Case(id: "c", input: ["problem": "?"], expected: ["solution": "x"], line: 3)
        let suite = Suite(
            id: "m", title: "m", kind: .math, grader: GraderSpec(name: .math, settings: ["tolerance": 0.1]),
            prompt: PromptTemplate(template: "{{problem}}"), cases: [good, bad, missing], directory: "evalsets/m")
        let error = #expect(throws: InputError.self) { try Graders.make(for: suite) }
        let text = error?.description ?? ""
        #expect(text.contains("evalsets/m/cases.jsonl:2: case 'b': 'expected.answer' does not parse"), "\(text)")
        #expect(text.contains("evalsets/m/cases.jsonl:3: case 'c': 'expected.answer' must be a string or a number"))
        #expect(text.contains("evalsets/m/suite.yaml: the math grader takes no setting 'tolerance'"))
    }
}

/// MATH-500 through `assay import math` and the grader: the path a user takes.
@Suite struct MathImportTests {
    @Test func math500ImportsWithSubjectsAndEverySolutionPassesItsOwnCase() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let count = try MathImport.run(PackagePaths.root + "/Tests/Fixtures/math500.jsonl", to: dir.path("math500"))
        #expect(count == 500)
        let suite = try SuiteLoader.load(dir.path("math500"))
        #expect(suite.grader.name == .math)
        let subjects = Set(suite.cases.flatMap(\.tags).filter { $0.hasPrefix("subject:") })
        #expect(subjects.count == 7 && subjects.contains("subject:intermediate-algebra"), "\(subjects)")
        #expect(suite.cases.allSatisfy { $0.tags.contains { $0.hasPrefix("level:") } })
        let grader = try Graders.make(for: suite)
        // Each reference solution, answered as a model would: its last \boxed{} is the answer.
        var failed: [String] = []
        for item in suite.cases {
            let solution = item.expected["solution"]?.stringValue ?? ""
            let grade = await grader.grade(item, answer: solution)
            if grade.outcome != .pass { failed.append("\(item.id): \(grade.outcome) \(grade.rule ?? "")") }
        }
        #expect(failed.isEmpty, "\(failed.prefix(10))")
        // And a return-nothing model passes none.
        var passed = 0
        for item in suite.cases where await grader.grade(item, answer: "\\boxed{0}").outcome == .pass { passed += 1 }
        #expect(passed < 15, "only the cases whose answer is 0: \(passed)")
    }

    @Test func theOriginalMATHFormatTakesTheSolutionsBoxedAnswerAndBadLinesAreNamed() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write(
            "math.jsonl",
            """
            {"problem": "What is 1/2 + 1/4?", "level": "Level 2", "type": "Prealgebra", "solution": "It is $\\\\boxed{\\\\frac{3}{4}}$."}
            {"problem": "No answer here", "solution": "none"}
            {"answer": "3"}

            """)
        let error = #expect(throws: InputError.self) { try MathImport.run(dir.path("math.jsonl"), to: dir.path("out")) }
        let text = error?.description ?? ""
        #expect(text.contains("math.jsonl:2: no 'answer', and no \\boxed{} answer in 'solution'"), "\(text)")
        #expect(text.contains("math.jsonl:3: missing required field 'problem'"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("out")), "nothing written")
        try dir.write(
            "good.jsonl",
            #"{"problem": "What is 1/2 + 1/4?", "level": "Level 2", "type": "Prealgebra", "solution": "It is $\\boxed{\\frac{3}{4}}$."}"#
                + "\n")
        try MathImport.run(dir.path("good.jsonl"), to: dir.path("out"))
        let suite = try SuiteLoader.load(dir.path("out"))
        #expect(suite.cases.first?.expected["answer"]?.stringValue == "\\frac{3}{4}")
        #expect(suite.cases.first?.tags == ["math", "subject:prealgebra", "level:2"])
    }
}
