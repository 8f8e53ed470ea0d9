import AssayCore
import Foundation
import Testing
@testable import AssayGraders

/// Every math grade is bounded: hostile answers (and expected answers) are graded or refused
/// fast, never passed against a different value, and a cancelled grade stops. Time bounds are
/// generous (debug build, shared machine): they catch hangs, not milliseconds.
@Suite struct MathGradeBoundsTests {
    /// `((1+\sqrt{2})(1+\sqrt{3})...(1+\sqrt{47}))^{2}`: 2^15 radical terms, squared.
    static let radicalProduct: String = {
        let primes = (2...47).filter { p in (2..<p).allSatisfy { p % $0 != 0 } }
        return "((" + primes.map { "(1+\\sqrt{\($0)})" }.joined() + "))^{2}"
    }()

    static let hostile: [(name: String, text: String)] = [
        ("product of 15 radicals, squared", radicalProduct),
        ("10^{10^{10}}", "10^{10^{10}}"),
        ("2^{2^{2^{2^{2}}}}", "2^{2^{2^{2^{2}}}}"),
        ("10,000 nested braces", String(repeating: "{", count: 10_000) + "1" + String(repeating: "}", count: 10_000)),
        ("1 MB sum", String(repeating: "1+", count: 500_000) + "1"),
        ("1 MB of \\frac", String(repeating: "\\frac", count: 200_000)),
        ("1 MB of 'Answer: '", String(repeating: "Answer: ", count: 125_000)),
        ("1 MB of nested boxes", String(repeating: "\\boxed{", count: 70_000) + String(repeating: "}", count: 70_000)),
        ("(10^{10})!", "(10^{10})!"),
        ("100!", "100!"),
        ("\\binom{10^{9}}{5}", "\\binom{10^{9}}{5}"),
        ("radical to the 64th", "(1+\\sqrt{2}+\\sqrt{3}+\\sqrt{5}+\\sqrt{7}+\\sqrt{11})^{64}"),
    ]

    func grader(gold: String, name: GraderName = .math) throws -> (any Grader, Case) {
        let item = Case(id: "q", input: ["problem": "?"], expected: ["answer": .string(gold)], line: 3)
        let suite = Suite(
            id: "m", title: "m", kind: .math, grader: GraderSpec(name: name),
            prompt: PromptTemplate(template: "{{problem}}"), cases: [item],
            directory: "evalsets/m")
        return (try Graders.make(for: suite), item)
    }

    func timedGrade(_ answer: String, gold: String, name: GraderName = .math) async throws -> (Grade, Double) {
        let (grader, item) = try grader(gold: gold, name: name)
        let start = ContinuousClock.now
        let grade = await grader.grade(item, answer: answer)
        let elapsed = ContinuousClock.now - start
        return (grade, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Past this, a grade hung: every hostile answer grades in milliseconds on a quiet machine
    /// (the log lines say how many), and in seconds on one running the whole suite.
    static let hang = 30.0

    @Test(arguments: hostile.indices)
    func hostileAnswersAreGradedFastAndNeverPass(index: Int) async throws {
        let (name, text) = Self.hostile[index]
        for gold in ["2", "\\sqrt{2}", "2\\sqrt{3}+1"] {
            for answer in ["\\boxed{\(text)}", "Answer: \(text)", "The final answer is $\(text)$."] {
                let (grade, seconds) = try await timedGrade(answer, gold: gold)
                print(
                    String(
                        format: "bounds: %@ vs %@ as '%@…': %.1f ms, %@ (%@)", name, gold, String(answer.prefix(8)),
                        seconds * 1000,
                        grade.outcome.rawValue, grade.rule ?? "-"))
                // A hang check, not a speed target (the product took about 20 minutes before; its
                // grade is bounded by steps, not time): generous for a loaded two-core machine.
                #expect(seconds < Self.hang, "\(name) vs \(gold): \(seconds) s")
                #expect(grade.outcome != .pass, "\(name) vs \(gold): \(grade)")
                if grade.outcome == .invalid { #expect(grade.evidence["reason"] != nil) }
            }
        }
        let (numeric, seconds) = try await timedGrade("Answer: \(text)", gold: "2", name: .numeric)
        print(
            String(format: "bounds: %@ (numeric grader): %.1f ms, %@", name, seconds * 1000, numeric.outcome.rawValue))
        #expect(seconds < Self.hang)
        #expect(numeric.outcome != .pass)
    }

    @Test func theRadicalProductIsStoppedAtTheExactLimitsNotByTheClock() throws {
        #expect(Self.radicalProduct.count == 199)
        let budget = MathBudget()
        let verdict = try MathEquivalence.compare(answer: Self.radicalProduct, gold: "2", budget: budget)
        #expect(!verdict.equal && verdict.rule == "numeric (exact form past limits)", "\(verdict)")
        #expect(budget.spent < 10_000)
        // Against itself: the values agree in floating point, but that proves nothing: undecided.
        let same = try MathEquivalence.compare(answer: Self.radicalProduct, gold: Self.radicalProduct)
        #expect(!same.equal && same.undecided != nil, "\(same)")
    }

    @Test func numbersTooLargeForExactArithmeticNeverPassByTolerance() async throws {
        // 2^70 and 2^70 + 1 agree to 1e-6; exact arithmetic cannot hold them: undecided, not a pass.
        let close = MathGrader.judge("2^{70}+1", rule: "boxed", gold: "2^{70}")
        #expect(close.outcome == .invalid && close.rule?.hasSuffix("too large to compare exactly") == true, "\(close)")
        let far = MathGrader.judge("2^{71}", rule: "boxed", gold: "2^{70}")
        #expect(far.outcome == .fail, "\(far)")
        // So no answer could pass such a gold: it is refused when the suite loads.
        #expect(MathGrader.goldProblem("2^{70}")?.hasPrefix("is past the grading limits") == true)
        // Values that are merely not in Q(sqrt) still compare within the tolerance, as before.
        #expect(try MathEquivalence.compare(answer: "\\sqrt[3]{2}", gold: "2^{1/3}").equal)
        #expect(try MathEquivalence.compare(answer: "1^{10000}", gold: "1").equal)
        #expect(try MathEquivalence.compare(answer: "(-1)^{10001}", gold: "-1").equal)
        #expect(try MathEquivalence.compare(answer: "20!", gold: "2432902008176640000").equal)
    }

    @Test func aSpentBudgetIsUndecidedAndTheSameAnswerGetsTheSameGrade() async throws {
        let poly = Array(repeating: "(a+b+c+d+e+f+g+h)", count: 200).joined(separator: "+")
        let budget = MathBudget(steps: 1_000)
        let verdict = try MathEquivalence.compare(answer: poly, gold: poly + "+0", budget: budget)
        #expect(!verdict.equal && verdict.undecided?.contains("1000 steps") == true, "\(verdict)")
        let (first, _) = try await timedGrade("\\boxed{\(Self.radicalProduct)}", gold: "2\\sqrt{3}+1")
        let (second, _) = try await timedGrade("\\boxed{\(Self.radicalProduct)}", gold: "2\\sqrt{3}+1")
        #expect(first == second)
    }

    @Test func cancellationStopsAGradeInProgress() async throws {
        let sum = Array(repeating: "(a+b+c+d+e+f+g+h)", count: 20).joined(separator: "+")
        let answer = "\\boxed{" + sum + "}"
        let gold = Array(repeating: "(h+g+f+e+d+c+b+a)", count: 20).joined(separator: "+")
        let (grader, item) = try grader(gold: gold)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await grader.grade(item, answer: answer)
        }
        let grade = await task.value
        #expect(grade.outcome == .error && grade.failure == "grading was cancelled", "\(grade)")
        // Without the step limit, only cancellation (or the clock) stops it.
        let stopped = Task { () -> MathVerdict? in
            withUnsafeCurrentTask { $0?.cancel() }
            return try? MathEquivalence.compare(
                answer: sum, gold: gold, budget: MathBudget(steps: .max / 2, time: .seconds(600)))
        }
        let verdict = await stopped.value
        #expect(verdict?.cancelled == true, "\(String(describing: verdict))")
    }

    @Test func expectedAnswersPastTheLimitsAreRefusedWithTheirLine() {
        let cases = [
            Case(id: "ok", input: ["problem": "?"], expected: ["answer": "2\\sqrt{3}"], line: 1),
            Case(id: "product", input: ["problem": "?"], expected: ["answer": .string(Self.radicalProduct)], line: 2),
            Case(id: "tower", input: ["problem": "?"], expected: ["answer": "10^{10^{10}}"], line: 3),
            Case(
                id: "braces", input: ["problem": "?"],
                expected: [
                    "answer": .string(
                        String(repeating: "{", count: 10_000) + "1" + String(repeating: "}", count: 10_000))
                ], line: 4),
        ]
        let suite = Suite(
            id: "m", title: "m", kind: .math, grader: GraderSpec(name: .math),
            prompt: PromptTemplate(template: "{{problem}}"), cases: cases,
            directory: "evalsets/m")
        let start = ContinuousClock.now
        let error = #expect(throws: InputError.self) { try Graders.make(for: suite) }
        #expect(
            ContinuousClock.now - start < .seconds(Self.hang), "a hang check: refusing the golds takes milliseconds")
        let text = error?.description ?? ""
        #expect(
            text.contains("evalsets/m/cases.jsonl:2: case 'product': 'expected.answer' is past the grading limits"),
            "\(text)")
        #expect(
            text.contains("evalsets/m/cases.jsonl:3: case 'tower': 'expected.answer' does not equal itself"), "\(text)")
        #expect(
            text.contains(
                "evalsets/m/cases.jsonl:4: case 'braces': 'expected.answer' does not parse: answer longer than 10000 characters"
            ), "\(text)")
        #expect(!text.contains("case 'ok'"))
    }
}

/// A plain-number expectation accepts only an answer whose whole final value is that number:
/// "Answer: 2\sqrt{2}" is not 2 (the multistep-math prompt asks for "Answer: <answer>").
@Suite struct PlainNumberWholeValueTests {
    func grade(_ answer: String, expected: JSONValue, grader name: GraderName) async throws -> Grade {
        let item = Case(id: "q", input: ["question": "?"], expected: ["answer": expected], line: 3)
        let suite = Suite(
            id: "m", title: "m", kind: .math, grader: GraderSpec(name: name),
            prompt: PromptTemplate(template: "{{question}}"), cases: [item],
            directory: "evalsets/m")
        return try await Graders.make(for: suite).grade(item, answer: answer)
    }

    static let rightForms = [
        "Answer: 2", "Answer: 2.0", "Answer: $2", "Answer: 2.", "Answer: $2$", "Answer: **2**", "Answer: 2 apples",
        "#### 2",
        "The answer is 2.", "Answer: 2, since 1 + 1 = 2", "Answer: x = 2", "Answer: 1 + 1 = 2", "\\boxed{2}", "答案是 2 个",
        "Answer: 2!",
    ]

    static let wrongForms = [
        "Answer: 2\\sqrt{2}", "Answer: 2^{10}", "Answer: 2x", "Answer: 2/3", "Answer: 2 + 1", "Answer: \\sqrt{2}",
        "Answer: 2 \\cdot 3",
        "Answer: 2, 3", "Answer: 2\\pi", "Answer: 2 × 5", "Answer: 2^3", "Answer: 2:30", "\\boxed{2\\sqrt{2}}",
        "The answer is 2i.",
    ]

    @Test(arguments: rightForms)
    func theNumberAloneIsRight(answer: String) async throws {
        for name in [GraderName.math, .numeric] {
            let grade = try await grade(answer, expected: "2", grader: name)
            #expect(grade.outcome == .pass, "\(name) \(answer): \(grade)")
        }
    }

    @Test(arguments: wrongForms)
    func anExpressionThatStartsWithTheNumberIsNot(answer: String) async throws {
        for name in [GraderName.math, .numeric] {
            let grade = try await grade(answer, expected: "2", grader: name)
            #expect(grade.outcome == .fail || grade.outcome == .invalid, "\(name) \(answer): \(grade)")
            if grade.outcome == .invalid { #expect(grade.evidence["reason"] != nil, "\(name) \(answer)") }
        }
    }

    @Test func theMathGraderJudgesTheExpressionByValue() async throws {
        let sum = try await grade("Answer: 1 + 1", expected: "2", grader: .math)
        #expect(sum.outcome == .pass, "\(sum)")
        let root = try await grade("Answer: 2\\sqrt{2}", expected: "2", grader: .math)
        #expect(root.outcome == .fail, "\(root)")
        let grouped = try await grade("Answer: 12\\,450", expected: "12450", grader: .math)
        #expect(grouped.outcome == .pass, "\(grouped)")
        let numeric = try await grade("Answer: 2\\sqrt{2}", expected: "2", grader: .numeric)
        #expect(
            numeric.outcome == .invalid
                && numeric.evidence["reason"] == "the final answer is an expression, not a number: '2\\sqrt{2}'",
            "\(numeric)")
    }

    @Test func gsm8kStyleAnswersKeepTheirVerdicts() async throws {
        #expect(try await grade("4 * 3 = 12\n#### 12", expected: "12", grader: .numeric).outcome == .pass)
        #expect(try await grade("Answer: 4 + 4 = 8", expected: "8", grader: .numeric).outcome == .pass)
        #expect(try await grade("Answer: 45^\\circ", expected: "45", grader: .numeric).outcome == .pass)
        #expect(try await grade("Answer: 29\n\nThat took 3 steps", expected: "29", grader: .numeric).outcome == .pass)
        #expect(try await grade("Final answer: **$1,234.50**", expected: "1234.5", grader: .numeric).outcome == .pass)
        #expect(try await grade("She pays 12 dollars for 3 books", expected: "3", grader: .numeric).outcome == .pass)
        #expect(
            try await grade("Answer: 15 (since 3 x 4 = 12, plus 3)", expected: "15", grader: .numeric).outcome == .pass)
    }
}
