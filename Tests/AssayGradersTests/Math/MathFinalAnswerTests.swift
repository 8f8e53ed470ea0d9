import Testing
@testable import AssayGraders

@Suite struct MathFinalAnswerTests {
    static let cases: [(text: String, answer: String, rule: String)] = [
        ("So the result is $\\boxed{\\frac{1}{2}}$.", "\\frac{1}{2}", "boxed"),
        ("Nested: \\boxed{\\frac{\\sqrt{3}}{\\left(2\\right)}} done", "\\frac{\\sqrt{3}}{\\left(2\\right)}", "boxed"),
        ("First \\boxed{1}, then \\boxed{2}, finally \\boxed{3}.", "3", "boxed"),
        ("The answer is \\boxed 5.", "5", "boxed"),
        ("\\fbox{x = 3}", "x = 3", "boxed"),
        ("Earlier \\boxed{7} but later \\boxed{unbalanced", "7", "boxed"),
        ("Set: $\\boxed{\\{1, 2\\}}$", "\\{1, 2\\}", "boxed"),
        ("We compute stuff.\nThe final answer is $\\frac{1}{2}$.", "\\frac{1}{2}", "answer phrase"),
        ("The answer is 42.\nIt checks out", "42", "answer phrase"),
        ("**Answer:** $(3, 4]$", "(3, 4]", "answer phrase"),
        ("answer: 3.5.", "3.5", "answer phrase"),
        ("Final Answer: The final answer is $\\$18.90$. I hope it is correct.", "\\$18.90", "answer phrase"),
        ("Thus\n$$x = \\frac{5}{2}$$\nas claimed", "x = \\frac{5}{2}", "display math"),
        ("Thus \\[ 2\\sqrt{3} \\] and that is all", "2\\sqrt{3}", "display math"),
        ("Some reasoning\n\n  $17$  \n", "17", "last line"),
    ]

    @Test(arguments: cases.indices) func extracts(_ k: Int) throws {
        let c = Self.cases[k]
        let got = try #require(FinalAnswer.extract(c.text))
        #expect(got.answer == c.answer)
        #expect(got.rule == c.rule)
    }

    @Test func emptyTextHasNoAnswer() {
        #expect(FinalAnswer.extract("") == nil)
        #expect(FinalAnswer.extract("  \n\t ") == nil)
    }

    @Test func extractedAnswerGrades() throws {
        let reply = "Multiply out.\n\nThe final answer is $\\frac{1}{2}$."
        let answer = try #require(FinalAnswer.extract(reply)).answer
        #expect(try MathEquivalence.compare(answer: answer, gold: "0.5").equal)
    }
}
