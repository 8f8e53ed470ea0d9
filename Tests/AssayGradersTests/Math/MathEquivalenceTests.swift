import Testing
@testable import AssayGraders

/// Hand-written pairs: (answer, gold, expected rule).
@Suite struct MathEquivalenceTests {
    static let accepted: [(String, String, String)] = [
        ("\\frac{243}{625}", "\\frac{243}{625}", "exact rational"),
        ("0.3888", "\\frac{243}{625}", "exact rational"),
        ("243/625", "\\dfrac{243}{625}", "exact rational"),
        ("\\tfrac{1}{2}", "\\frac12", "exact rational"),
        ("4.667", "\\frac{14}{3}", "decimal rounding"),
        ("4.666", "\\frac{14}{3}", "decimal rounding"),
        ("0.5774", "\\frac{\\sqrt{3}}{3}", "decimal rounding"),
        ("3.14159", "\\pi", "decimal rounding"),
        ("\\frac{1}{\\sqrt{3}}", "\\frac{\\sqrt{3}}{3}", "canonical radical"),
        ("\\sqrt{117}", "3\\sqrt{13}", "canonical radical"),
        ("\\sqrt2 \\cdot 11", "11\\sqrt2", "canonical radical"),
        ("\\frac{1}{\\sqrt2 - 1}", "1 + \\sqrt{2}", "canonical radical"),
        ("\\frac{3+4i}{1-2i}", "-1+2i", "canonical radical"),
        ("-5i+6", "6 - 5i", "canonical radical"),
        ("\\sqrt[3]{-8}", "-2", "exact rational"),
        ("32348", "\\$32,\\!348", "exact rational"),
        ("32{,}348", "32348", "exact rational"),
        ("11111111100", "11,\\! 111,\\! 111,\\! 100", "exact rational"),
        ("2\\frac{1}{3}", "\\frac73", "exact rational"),
        ("137.5", "137 \\frac{1}{2}", "exact rational"),
        ("5\\text{ cm}", "5", "exact rational"),
        ("864", "864 \\mbox{ inches}^2", "exact rational"),
        ("12 square feet", "12", "exact rational"),
        ("36°", "36^\\circ", "exact rational"),
        ("36^{\\circ}", "36", "exact rational"),
        ("50\\%", "50", "exact rational"),
        ("\\$18.90", "18.9", "exact rational"),
        ("6.72 \\times 10^{-5}", ".0000672", "exact rational"),
        ("\\log_2 8", "3", "numeric (rel tol 1e-6)"),
        ("\\ln e^2", "2", "numeric (rel tol 1e-6)"),
        ("2\\pi", "\\pi \\cdot 2", "numeric (rel tol 1e-6)"),
        ("\\frac{\\cos x}{\\sin x}", "\\cot x", "numeric at 5 points (rel tol 1e-6)"),
        ("(x+1)(x-2)", "x^2 - x - 2", "polynomial identity"),
        ("-q + p", "p - q", "polynomial identity"),
        ("\\frac{9a+11}{20}", "\\frac{11+9a}{20}", "polynomial identity"),
        ("2(k+1)", "2k+2", "polynomial identity"),
        ("x = 5", "5", "equation rhs"),
        ("5", "x=5", "equation rhs"),
        ("y=2x+3", "2x+3", "equation rhs"),
        ("2x+3", "y = 2x + 3", "equation rhs"),
        ("-5x + 7y - 11z - 4 = 0", "5x - 7y + 11z + 4 = 0", "equation (proportional)"),
        ("5x - 7y + 11z = -4", "5x - 7y + 11z + 4 = 0", "equation (proportional)"),
        ("(3, \\frac{\\pi}{2})", "\\left( 3, \\frac{\\pi}{2} \\right)", "tuple"),
        ("\\left(3,\\frac{\\pi}{2}\\right)", "(3, \\frac{\\pi}{2})", "tuple"),
        ("[2, 5)", "[2,5)", "interval"),
        ("(-\\infty, 3]", "(-\\infty,3]", "interval"),
        ("x \\le 3", "(-\\infty, 3]", "interval"),
        ("-2 \\le x \\le 7", "x \\in [-2,7]", "equation rhs"),
        ("(-\\infty, 2) \\cup (3, \\infty)", "(-\\infty, 2) \\cup (3, \\infty)", "interval union"),
        ("(3,\\infty)\\cup(-\\infty,2)", "(-\\infty, 2) \\cup (3, \\infty)", "interval union"),
        ("\\{3, 2, 1\\}", "\\{1, 2, 3\\}", "set (unordered)"),
        ("7, 5, 3", "3, 5, 7", "set (unordered)"),
        ("x = 1 \\text{ or } x = -2", "1,-2", "set (unordered)"),
        ("1+\\sqrt{19}, 1-\\sqrt{19}", "1 \\pm \\sqrt{19}", "set (unordered)"),
        ("1 \\pm \\sqrt{19}", "\\{1+\\sqrt{19}, 1-\\sqrt{19}\\}", "set (unordered)"),
        ("-2, 1+\\sqrt5, 1-\\sqrt5", "\\{1\\pm\\sqrt{5},-2\\}", "set (unordered)"),
        (
            "\\begin{bmatrix} -1 & 0 \\\\ 0 & -1 \\end{bmatrix}", "\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}",
            "matrix"
        ),
        (
            "\\begin{pmatrix} -\\frac13 \\\\ \\frac23 \\\\ \\frac53 \\end{pmatrix}",
            "\\begin{pmatrix} -1/3 \\\\ 2/3 \\\\ 5/3 \\end{pmatrix}", "matrix"
        ),
        ("(-7, 16, 5)", "\\begin{pmatrix} -7 \\\\ 16 \\\\ 5 \\end{pmatrix}", "vector"),
        ("C", "\\text{(C)}", "text"),
        ("(c)", "\\text{(C)}", "text"),
        ("Evelyn", "\\text{Evelyn}", "text"),
        ("\\textbf{East}", "\\text{east}", "text"),
        ("52_{8}", "52_8", "base numeral"),
        ("52", "52_8", "base numeral digits"),
        ("\\infty", "\\infty", "infinity"),
        ("\\sin^2 x + \\cos^2 x", "1", "numeric at 5 points (rel tol 1e-6)"),
        ("\\binom{5}{2}", "10", "exact rational"),
        ("5!", "120", "exact rational"),
        ("\\sqrt{-4}", "2i", "canonical radical"),
        ("10\\,000", "10000", "exact rational"),
        ("\\frac{270}{7}", "\\frac{270}7\\text{ degrees}", "exact rational"),
    ]

    static let rejected: [(String, String)] = [
        ("\\frac{243}{624}", "\\frac{243}{625}"),
        ("-\\frac{243}{625}", "\\frac{243}{625}"),
        ("\\frac{243}{626}", "\\frac{243}{625}"),
        ("0.3887", "\\frac{243}{625}"),
        ("0.39", "\\frac{243}{625}"),
        ("0.389", "\\frac{243}{625}"),
        ("3.14", "\\pi"),
        ("(\\frac{\\pi}{2}, 3)", "\\left( 3, \\frac{\\pi}{2} \\right)"),
        ("[2, 5]", "[2,5)"),
        ("(2, 5)", "[2,5)"),
        ("[2, 5)", "(2,5)"),
        ("2k+1", "2k+2"),
        ("2n+2", "2k+2"),
        ("11111111101", "11,\\! 111,\\! 111,\\! 100"),
        ("27649", "27648"),
        ("1+\\sqrt{19}", "1 \\pm \\sqrt{19}"),
        ("3, 5", "3, 5, 7"),
        ("(3, 5, 7)", "3, 5, 7"),
        ("x^2 + x - 2", "(x+1)(x-2)"),
        ("42", "52_8"),
        ("D", "\\text{(C)}"),
        ("\\infty", "-\\infty"),
        ("6 + 5i", "6 - 5i"),
        ("\\sqrt{118}", "3\\sqrt{13}"),
        ("y = 2x - 3", "y = 2x + 3"),
        ("x = 4", "x=5"),
        ("\\frac{\\pi}{2}", "90^\\circ"),
        ("\\begin{pmatrix} 0 & -1 \\\\ -1 & 0 \\end{pmatrix}", "\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}"),
        ("(-1, 6)", "(-1, 6]"),
        ("5", "(2,4)"),
        ("\\sqrt{5}", "2.236"),
    ]

    @Test(arguments: accepted.indices) func accepts(_ k: Int) throws {
        let (answer, gold, rule) = Self.accepted[k]
        let v = try MathEquivalence.compare(answer: answer, gold: gold)
        #expect(v.equal, "\(answer) vs \(gold): \(v.rule)")
        #expect(v.rule == rule, "\(answer) vs \(gold)")
    }

    @Test(arguments: rejected.indices) func rejects(_ k: Int) throws {
        let (answer, gold) = Self.rejected[k]
        let v = try MathEquivalence.compare(answer: answer, gold: gold)
        #expect(!v.equal, "\(answer) vs \(gold) accepted by \(v.rule)")
    }

    @Test func unparseableAnswerThrows() {
        #expect(throws: MathParseError.self) { try MathEquivalence.compare(answer: "\\frac{1}{", gold: "1") }
        #expect(throws: MathParseError.self) { try MathEquivalence.compare(answer: "(1, 2", gold: "3") }
        do {
            _ = try MathEquivalence.compare(answer: "\\frobnicate{2}", gold: "2")
            Issue.record("expected a parse error")
        } catch {
            #expect(error.reason.contains("frobnicate"))
        }
    }

    @Test func textAnswerAgainstTextGoldNeedsNoParse() throws {
        #expect(try MathEquivalence.compare(answer: "Evelyn's", gold: "\\text{Evelyn's}").equal)
    }
}

@Suite struct MathParserDetailTests {
    @Test func textContents() throws {
        #expect(try MathParser.parse("\\text{5 cm}") == .number(Rational(5)!))
        #expect(try MathParser.parse("\\text{Evelyn}") == .text("Evelyn"))
        #expect(try MathParser.parse("\\text{pie}") == .text("pie"))
        #expect(try MathParser.parse("\\text{(C)}") == .text("(C)"))
        #expect(try MathParser.parse("\\mathrm{e}") == .symbol("e"))
    }

    @Test func thousandsSeparatorsVersusTuples() throws {
        #expect(try MathParser.parse("32,348") == .number(Rational(32348)!))
        #expect(try MathParser.parse("1,234,567.5") == MathParser.parse("1234567.5"))
        #expect(try MathParser.parse("(3,400)") == .tuple([.number(Rational(3)!), .number(Rational(400)!)]))
        #expect(try MathParser.parse("(2,12) \\cup (12,102)") != MathParser.parse("(2,12102)"))
        #expect(try MathParser.parse("3, 400") == .list([.number(Rational(3)!), .number(Rational(400)!)]))
        #expect(try MathParser.parse("1234,567") == .list([.number(Rational(1234)!), .number(Rational(567)!)]))
        #expect(try MathParser.parse("(1{,}000, 2)") == .tuple([.number(Rational(1000)!), .number(Rational(2)!)]))
        #expect(try MathParser.parse("10\\text{,}080") == .number(Rational(10080)!))
        #expect(try MathParser.parse("10\\ 080") == .number(Rational(10080)!))
        #expect(throws: MathParseError.self) { try MathParser.parse("10 080") }
    }

    @Test func texArgumentsAndMixedNumbers() throws {
        #expect(try MathEquivalence.compare(answer: "\\frac43", gold: "4/3").equal)
        #expect(try MathEquivalence.compare(answer: "\\frac{270}7", gold: "270/7").equal)
        #expect(try MathEquivalence.compare(answer: "\\sqrt2", gold: "2^{1/2}").equal)
        #expect(try MathEquivalence.compare(answer: "x^23", gold: "3x^2").equal)  // TeX: x^2 · 3
        #expect(try MathEquivalence.compare(answer: "-2\\frac{1}{3}", gold: "-7/3").equal)
        #expect(try MathEquivalence.compare(answer: "2\\frac{x}{3}", gold: "2x/3").equal)  // not a mixed number
        #expect(try MathEquivalence.compare(answer: "5 \\text{cm}^{2}", gold: "5").equal)
        #expect(try MathEquivalence.compare(answer: "x²", gold: "x^2").equal)
    }

    @Test func functions() throws {
        #expect(try MathEquivalence.compare(answer: "\\sin 2x", gold: "2\\sin x \\cos x").equal)
        #expect(try MathEquivalence.compare(answer: "\\sin^{-1} 1", gold: "\\frac{\\pi}{2}").equal)
        #expect(try MathEquivalence.compare(answer: "sqrt(2)/2", gold: "\\frac{\\sqrt2}{2}").equal)
        #expect(try MathEquivalence.compare(answer: "\\ln(x^2)", gold: "2\\ln x").equal)
        #expect(try MathEquivalence.compare(answer: "|-3|", gold: "3").equal)
        #expect(try !MathEquivalence.compare(answer: "\\sin x", gold: "\\cos x").equal)
    }
}
