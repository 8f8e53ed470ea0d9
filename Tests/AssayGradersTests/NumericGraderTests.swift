import AssayCore
@testable import AssayGraders
import Testing

@Suite struct NumericGraderTests {
    func value(_ answer: String, percent: AnswerExtraction.PercentMode = .asNumber) -> ExactNumber? {
        AnswerExtraction.extract(answer, percent: percent)?.value
    }

    func rule(_ answer: String) -> String? { AnswerExtraction.extract(answer)?.rule }

    func grade(_ answer: String, expected: JSONValue, settings: [String: JSONValue] = [:]) async throws -> Grade {
        let item = Case(id: "q", input: ["question": "?"], expected: ["answer": expected], line: 3)
        let suite = Suite(
            id: "m", title: "m", kind: .math, grader: GraderSpec(name: .numeric, settings: settings),
            prompt: PromptTemplate(template: "{{question}}"), cases: [item], directory: "evalsets/m")
        return try await Graders.make(for: suite).grade(item, answer: answer)
    }

    // MARK: numbers

    @Test(arguments: [
        ("1,234", ExactNumber.rational(1234, 1)), ("1 234 567", .rational(1_234_567, 1)),
        ("1\u{202F}234", .rational(1234, 1)),
        ("$29.00", .rational(29, 1)), ("-$5", .rational(-5, 1)), ("$-5", .rational(-5, 1)),
        ("¥1,299.00", .rational(1299, 1)),
        ("3/4", .rational(3, 4)), ("1 1/2", .rational(3, 2)), ("−0.5", .rational(-1, 2)), ("-12", .rational(-12, 1)),
        ("1e6", .rational(1_000_000, 1)), ("2.5E-3", .rational(1, 400)), ("1×10^6", .rational(1_000_000, 1)),
        ("3 x 10^{4}", .rational(30_000, 1)), ("0.125", .rational(1, 8)), (".5", .rational(1, 2)),
        ("１２３", .rational(123, 1)),
        ("12.", .rational(12, 1)),
    ])
    func numbersAreRead(text: String, expected: ExactNumber) {
        #expect(value("The result: \(text)") == expected, "\(text)")
    }

    @Test func percentagesFollowTheSuiteSetting() {
        #expect(value("It rose 50%.") == .rational(50, 1))
        #expect(value("It rose 50%.", percent: .asFraction) == .rational(1, 2))
        #expect(value("12.5 percent", percent: .asFraction) == .rational(1, 8))
        #expect(value("５０％") == .rational(50, 1))
    }

    @Test func decisionsOnAmbiguousSpellings() {
        // A European decimal comma is not read: "1,50" ends at the comma.
        #expect(
            NumberScanner.all(in: NumberScanner.normalize("1,50")).map(\.value) == [.rational(1, 1), .rational(50, 1)])
        // Four digits after a comma are not a thousands group.
        #expect(NumberScanner.all(in: NumberScanner.normalize("1,2345")).first?.value == .rational(1, 1))
        // Digits glued to a Latin letter are not a number; after a Chinese character they are.
        #expect(NumberScanner.all(in: NumberScanner.normalize("H2O x2")).isEmpty)
        #expect(value("答案是12个") == .rational(12, 1))
        // A hyphen between numbers is not a sign.
        #expect(
            NumberScanner.all(in: NumberScanner.normalize("pages 3-5")).map(\.value) == [
                .rational(3, 1), .rational(5, 1),
            ])
    }

    // MARK: the rule

    @Test func markersComeFirst() {
        #expect(value("Answer: 29\n\nThat took 3 steps") == .rational(29, 1))
        #expect(rule("Answer: 29\n\nThat took 3 steps") == "marker 'answer'")
        #expect(value("So the answer is 18") == .rational(18, 1), "no trailing period needed")
        #expect(value("The answer is 18.") == .rational(18, 1))
        #expect(value("Final answer: **$1,234.50**") == .rational(246_900, over: 200))
        #expect(value("4 + 4 = 8\n#### 8") == .rational(8, 1))
        #expect(value("所以答案是 42 元。") == .rational(42, 1))
        #expect(value("答案为：-3") == .rational(-3, 1))
        #expect(value("答案：7") == .rational(7, 1))
        #expect(value("Answer:\n\n  56\n") == .rational(56, 1), "a number on the next non-blank line")
    }

    @Test func restatedWorkedExamplesDoNotWin() {
        let answer = """
            Example 1: Tom has 3 apples and gets 2 more. #### 5
            Example 2: A box holds 4 pens; 3 boxes hold 12. The answer is 12.
            Now the question: 6 packs of 7 cards.
            6 * 7 = 42 cards.
            #### 42
            """
        #expect(value(answer) == .rational(42, 1))
        #expect(value("The answer is 5 in the example. Here, 2 + 9 = 11, so the answer is 11") == .rational(11, 1))
    }

    @Test func boxedAnswersAreWalked() {
        #expect(value("Thus $\\boxed{\\frac{3}{4}}$.") == .rational(3, 4))
        #expect(value("\\boxed{\\dfrac{1}{2}}") == .rational(1, 2))
        #expect(value("\\boxed{12\\text{ cm}}") == .rational(12, 1))
        #expect(value("\\boxed{x = -7}") == .rational(-7, 1))
        #expect(value("\\boxed{45^\\circ}") == .rational(45, 1))
        #expect(value("\\boxed{12{,}450}") == .rational(12450, 1))
        #expect(value("\\boxed{\\left( 5 \\right)}") == .rational(5, 1))
        #expect(value("first \\boxed{1}, then corrected: \\boxed{2}") == .rational(2, 1))
        #expect(rule("\\boxed{\\frac{3}{4}}") == "\\boxed{}")
    }

    @Test func thenTheLastEqualsThenTheLastNumber() {
        #expect(value("x = 3 + 4 = 7 apples, leaving 2") == .rational(7, 1))
        #expect(rule("x = 3 + 4 = 7 apples, leaving 2") == "last '= N'")
        #expect(value("She pays 12 dollars for 3 books") == .rational(3, 1))
        #expect(rule("She pays 12 dollars for 3 books") == "last number")
        #expect(value("I cannot tell.") == nil)
    }

    // MARK: grading

    @Test func exactWhenRationalToleranceOtherwise() async throws {
        #expect(try await grade("Answer: 0.75", expected: "3/4").outcome == .pass)
        #expect(try await grade("Answer: $29.00", expected: 29).outcome == .pass)
        #expect(try await grade("Answer: 0.6667", expected: "2/3").outcome == .fail, "both rational: exact")
        #expect(try await grade("Answer: 2/3", expected: "2/3").outcome == .pass)
        #expect(try await grade("Answer: 12,450", expected: "12450").outcome == .pass)
        // Past 64-bit integers the numbers are doubles, compared with the tolerance.
        let big = try await grade("Answer: 123456789012345678901234567890", expected: "123456789012345678901234567891")
        #expect(big.outcome == .pass)
        #expect(big.evidence["compared"] == "within tolerance")
        #expect(try await grade("Answer: 1.5e30", expected: "1.6e30").outcome == .fail)
    }

    @Test func theGradeRecordsWhatAndHow() async throws {
        let grade = try await grade("Working... 5 + 7 = 12\nAnswer: 12 dollars", expected: "12")
        #expect(grade.outcome == .pass)
        #expect(grade.extracted == "12")
        #expect(grade.rule == "marker 'answer'")
        #expect(grade.evidence["value"] == "12")
        #expect(grade.evidence["expected"] == "12")
        let none = try await self.grade("No idea.", expected: "12")
        #expect(none.outcome == .invalid)
    }

    @Test func badSettingsAndExpectationsAreReported() {
        let item = Case(id: "q", input: ["question": "?"], expected: ["answer": "twelve"], line: 9)
        let suite = Suite(
            id: "m", title: "m", kind: .math,
            grader: GraderSpec(
                name: .numeric, settings: ["percent": "as-ratio", "relative_tolerance": 2, "units": "cm"]),
            prompt: PromptTemplate(template: "{{question}}"), cases: [item], directory: "evalsets/m")
        let error = #expect(throws: InputError.self) { try Graders.make(for: suite) }
        let text = error?.description ?? ""
        #expect(text.contains("evalsets/m/suite.yaml: grader setting 'percent' must be as-number or as-fraction"))
        #expect(text.contains("'relative_tolerance' must be a number from 0 to 1"))
        #expect(text.contains("no setting 'units'"))
        #expect(text.contains("evalsets/m/cases.jsonl:9: case 'q': 'expected.answer' must be a number"))
    }
}
