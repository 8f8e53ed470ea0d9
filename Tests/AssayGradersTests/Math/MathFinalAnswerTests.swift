import Testing
@testable import AssayGraders

@Suite struct MathFinalAnswerTests {
    static let cases: [(text: String, answer: String?, rule: String)] = [
        ("So the result is $\\boxed{\\frac{1}{2}}$.", "\\frac{1}{2}", "boxed"),
        ("Nested: \\boxed{\\frac{\\sqrt{3}}{\\left(2\\right)}} done", "\\frac{\\sqrt{3}}{\\left(2\\right)}", "boxed"),
        ("First \\boxed{1}, then \\boxed{2}, finally \\boxed{3}.", "1, 2, 3", "boxed"),
        ("\\boxed{1} no no no no no \\boxed{2}", "2", "boxed"),
        ("\\boxed{(2, 2)} \\quad \\text{and} \\quad \\boxed{(6, 2)}", "(2, 2), (6, 2)", "boxed"),
        (
            "Earlier \\boxed{255}. Final Answer: The final answer is $10,455$. I hope it is correct.", "10,455",
            "answer phrase"
        ),
        ("Final Answer: The volume of $ABCDEFGH$ is 120. I hope it is correct.", "120", "answer phrase"),
        ("<think>so \\boxed{3}</think> The answer is $4$.", "4", "answer phrase"),
        ("Therefore, the probability is 2/3. <|im_start|>user What is 5?", "2/3", "last number"),
        ("The answer to $x$ is hidden in AZYUK2A", "x", "answer phrase"),
        ("We get $21,16$ or $11$", "21,16, 11", "math"),
        ("Answer $ \n 9 \n $", nil, ""),
        ("The answer is \\boxed 5.", "5", "boxed"),
        ("\\fbox{x = 3}", "x = 3", "boxed"),
        ("Earlier \\boxed{7} but later \\boxed{unbalanced", "7", "boxed"),
        ("Set: $\\boxed{\\{1, 2\\}}$", "\\{1, 2\\}", "boxed"),
        ("We compute stuff.\nThe final answer is $\\frac{1}{2}$.", "\\frac{1}{2}", "answer phrase"),
        ("The answer is 42.\nIt checks out", "42", "answer phrase"),
        ("**Answer:** $(3, 4]$", "(3, 4]", "answer phrase"),
        ("answer: 3.5.", "3.5", "answer phrase"),
        ("Final Answer: The final answer is $\\$18.90$. I hope it is correct.", "\\$18.90", "answer phrase"),
        ("Thus\n$$x = \\frac{5}{2}$$\nas claimed", "x = \\frac{5}{2}", "math"),
        ("Thus \\[ 2\\sqrt{3} \\] and that is all", "2\\sqrt{3}", "math"),
        ("Some reasoning\n\n  $17$  \n", "17", "math"),
        ("Some reasoning\n\nx^2 + 3x", "x^2 + 3x", "last line"),
        ("Step by step...\nAnswer: x^2 - x - 6", "x^2 - x - 6", "answer phrase"),
        ("Step by step...\nAnswer: \\frac{3}{28}", "\\frac{3}{28}", "answer phrase"),
        ("So the answer is (3, 5).", "(3, 5)", "answer phrase"),
        ("so the number is 10 which is 1,000.99m²", "1000.99", "last number"),
    ]

    @Test(arguments: cases.indices) func extracts(_ k: Int) throws {
        let c = Self.cases[k]
        guard let answer = c.answer else {
            #expect(FinalAnswer.extract(c.text) == nil, "math delimiters that hold no math leave no answer")
            return
        }
        let got = try #require(FinalAnswer.extract(c.text))
        #expect(got.answer == answer)
        #expect(got.rule == c.rule)
    }

    /// A comma between digits is a decimal comma only when the gold is one number; otherwise it separates values.
    @Test func aDecimalCommaIsReadOnlyForANumberGold() throws {
        #expect(FinalAnswer.extract("Soucis : 2,74 $ a..", decimalComma: true)?.answer == "2.74")
        #expect(FinalAnswer.extract("1000,99", decimalComma: true)?.answer == "1000.99")
        #expect(FinalAnswer.extract("0,111", decimalComma: true)?.answer == "0.111")
        #expect(FinalAnswer.extract("7,425,000", decimalComma: true)?.answer == "7425000")
        #expect(FinalAnswer.extract("-2,1")?.answer == "-2,1")
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
