import AssayCore
import AssayEvalSets
@testable import AssayGraders
import AssayTestSupport
import Foundation
import Testing

/// Each rule the math grader shares with Math-Verify, documented by one answer that passes and
/// one that must not (a different value, or a reading the rule does not allow).
@Suite struct MathReferenceRulesTests {
    struct Rule: CustomTestStringConvertible, Sendable {
        var kind: String
        var gold: String
        var right: String
        var wrong: String
        var testDescription: String { kind }
    }

    static let rules: [Rule] = [
        Rule(
            kind: "relation", gold: "$x >= 5$", right: "Therefore $x \\geq 5$ is the solution.",
            wrong: "Therefore $x > 5$ is the solution."),
        Rule(
            kind: "not equal", gold: "$x \\neq 3$", right: "We find that $x != 3$.", wrong: "We find that $x \\neq 4$."),
        Rule(kind: "inequality with a negated variable", gold: "$x < 1$", right: "$-x > -1$", wrong: "$-x > 1$"),
        Rule(
            kind: "bounds on an absolute value", gold: "$1\\leq|z|\\leq \\frac{3}{2}$",
            right: "$z \\in \\left[-\\frac{3}{2}, -1\\right] \\cup \\left[1, \\frac{3}{2}\\right]$",
            wrong: "$z \\in \\left[1, \\frac{3}{2}\\right]$"),
        Rule(kind: "a function's values between bounds", gold: "$0<f(x)<1$", right: "$(0,1)$", wrong: "$[0,1]$"),
        Rule(kind: "named tuple", gold: "$(p,q)=(3,2)$", right: "$\\boxed{(3, 2)}$", wrong: "$\\boxed{(2, 3)}$"),
        Rule(
            kind: "named quotient", gold: "$\\frac{NO}{BO}=\\frac{1}{\\sqrt{6}}$", right: "$\\frac{1}{\\sqrt{6}}$",
            wrong: "$\\sqrt{6}$"),
        Rule(kind: "named values in a list", gold: "$AB=4,CD=5$", right: "$\\boxed{4, 5}$", wrong: "$\\boxed{4, 6}$"),
        Rule(
            kind: "assignments grouped by ;", gold: "$p=5,q=2;p=7,q=2$", right: "$(5,2),(7,2)$", wrong: "$(5,2),(2,7)$"),
        Rule(kind: "text answer", gold: "$\\text{odd}$", right: "$odd$", wrong: "$even$"),
        Rule(
            kind: "several boxes", gold: "$$(2, 2), (6, 2)$$",
            right: "$$\\boxed{(2, 2)} \\quad \\text{and} \\quad \\boxed{(6, 2)}$$",
            wrong: "\\boxed{(2, 2)} was my first guess but it is \\boxed{(6, 2)}"),
        Rule(
            kind: "gold written as boxes", gold: "\\(\\boxed{1}\\) and \\(\\boxed{-2}\\).", right: "$\\boxed{-2,1}$.",
            wrong: "$\\boxed{-2}$."),
        Rule(
            kind: "unordered set of tuples, repeats counted once", gold: "$(37,3,3,13),(17,3,3,7)$",
            right: "$\\boxed{(17,3,3,7), (37,3,3,13), (17, 3, 3, 7)}$",
            wrong: "$\\boxed{(17,3,3,7), (37,3,3,13), (3,3,2,3)}$"),
        Rule(
            kind: "matrix in prose, array form", gold: "$\\begin{pmatrix}1 & 2 \\\\3 & 4\\end{pmatrix}$",
            right: "Special matrix: $ \\left[\\begin{array}{cc}1 & 2 \\\\3 & 4\\end{array}\\right] $",
            wrong: "Special matrix: $ \\left[\\begin{array}{cc}1 & 2 \\\\3 & 5\\end{array}\\right] $"),
        Rule(
            kind: "matrix arithmetic", gold: "$\\begin{pmatrix}6 & 8 \\\\ 10 & 12\\end{pmatrix}$",
            right:
                "The sum is $\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} + \\begin{pmatrix}5 & 6 \\\\ 7 & 8\\end{pmatrix}$",
            wrong:
                "The product is $\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} \\begin{pmatrix}5 & 6 \\\\ 7 & 8\\end{pmatrix}$"
        ),
        Rule(kind: "percent words", gold: "$28\\%$", right: "28 percent", wrong: "27 percent"),
        Rule(kind: "\\cfrac", gold: "$\\frac{3}{2}$", right: "$\\cfrac{3}{2}$", wrong: "$\\cfrac{2}{3}$"),
        Rule(kind: "\\frac32", gold: "$\\frac{3}{2}$", right: "$\\frac32$", wrong: "$\\frac23$"),
        Rule(kind: "decimal comma for a number gold", gold: "1000.99", right: "1000,99", wrong: "1000,98"),
        Rule(
            kind: "a comma list gold stays a list", gold: "-2,1", right: "The roots are $-2, 1$.",
            wrong: "The roots are $-2.1$."),
        Rule(
            kind: "thousands in braces", gold: "$14{,}916$",
            right: "The final answer is $14 {, }916$. I hope it is correct.",
            wrong: "The final answer is $14 {, }961$. I hope it is correct."),
        Rule(
            kind: "final answer stated in prose", gold: "$19$",
            right:
                "So the total is 1 + 18 = 19 points. Final Answer: The maximum number of points is 19. I hope it is correct.",
            wrong:
                "So the total is 1 + 18 = 19 points. Final Answer: The maximum number of points is 18. I hope it is correct."
        ),
        Rule(
            kind: "the last number of a prose answer, chat tokens cut", gold: "$2/3$",
            right: "P(A) = (1/2) * (4/3) P(A) = 2/3 Therefore, the probability is 2/3. <|im_start|>user 5",
            wrong: "Therefore, the probability is 3/4. <|im_start|>user 2/3"),
        Rule(
            kind: "reasoning block", gold: "4", right: "<think>maybe \\boxed{3}</think> The answer is $4$.",
            wrong: "<think>surely \\boxed{4}</think> The answer is $3$."),
        Rule(kind: "ratio", gold: "$V_{1}:V_{2}=11:21$", right: "$11:21$", wrong: "$21:11$"),
        Rule(kind: "time", gold: "$12:00$", right: "$12:00$", wrong: "$1:00$"),
        Rule(
            kind: "approximation after the value", gold: "$x = 1/3$", right: "$x = 5+5+1 = 1/3 \\approx 11$",
            wrong: "$x \\approx 0.33$"),
        Rule(
            kind: "± inside a fraction", gold: "$$x = \\frac{1}{2}, x = \\frac{-1 \\pm \\sqrt{13}}{4}$$",
            right: "$\\boxed{\\frac{1}{2}, \\frac{-1+\\sqrt{13}}{4}, \\frac{-1-\\sqrt{13}}{4}}$",
            wrong: "$\\boxed{\\frac{1}{2}, \\frac{-1+\\sqrt{13}}{4}}$"),
        Rule(
            kind: "sum written as \\sum", gold: "$F_n = \\sum_{k=0}^{n-1} F_k F_{n-k-1}$",
            right: "$F_n = \\sum_{k=0}^{n-1} F_{n-k-1} F_k$",
            wrong: "$F_n = \\sum_{k=0}^{n-2} F_k F_{n-k-2}$"),
        Rule(
            kind: "a relation kept as written", gold: "$f(2) < f(1) < f(4)$", right: "$\\boxed{f(4) > f(1) > f(2)}$",
            wrong: "$\\boxed{f(1) < f(2) < f(4)}$"),
        Rule(
            kind: "a number that only starts the answer", gold: "2", right: "Answer: 2 apples",
            wrong: "Answer: 2\\sqrt{2}"),
        Rule(kind: "a digit inside a word is not a number", gold: "2", right: "It is 2.", wrong: "AZYUK2A"),
        Rule(kind: "math delimiters holding no math", gold: "$9$", right: "Answer $ 9 $", wrong: "Answer $ \n 9 \n $"),
    ]

    static func grade(gold: String, answer: String) async throws -> Grade {
        let item = Case(id: "q", input: ["problem": "?"], expected: ["answer": .string(gold)], line: 1)
        let suite = Suite(
            id: "m", title: "m", kind: .math, grader: GraderSpec(name: .math),
            prompt: PromptTemplate(template: "{{problem}}"), cases: [item],
            directory: "evalsets/m")
        return try await Graders.make(for: suite).grade(item, answer: answer)
    }

    @Test(arguments: rules) func theRightAnswerPasses(_ rule: Rule) async throws {
        let grade = try await Self.grade(gold: rule.gold, answer: rule.right)
        #expect(grade.outcome == .pass, "\(rule.kind): \(rule.right) for \(rule.gold): \(grade)")
    }

    @Test(arguments: rules) func theWrongAnswerDoesNot(_ rule: Rule) async throws {
        let grade = try await Self.grade(gold: rule.gold, answer: rule.wrong)
        #expect(grade.outcome != .pass, "\(rule.kind): \(rule.wrong) for \(rule.gold): \(grade)")
        #expect(grade.outcome != .error, "\(rule.kind): \(grade)")
    }
}
