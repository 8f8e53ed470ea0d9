/// A parsed final answer of a MATH-style problem.
///
/// The tree keeps what was written (a `\frac` stays a `quotient`, a decimal keeps its digits) so that the
/// equivalence rules can tell "exact" from "rounded" answers; folding to values happens in the evaluators.
public indirect enum MathExpr: Sendable, Hashable {
    /// An exact integer literal (or an exact value produced by the parser, e.g. a percentage or degree count).
    case number(Rational)
    /// A decimal literal such as `0.3888` or `.35625`, kept with its written precision.
    case decimal(DecimalLiteral)
    /// A literal too large for `Int` (kept as the nearest `Double`, possibly infinite).
    case real(Double)
    /// A variable (`x`, `x_1`, `alpha`) or a named constant: `pi`, `e`, `i`, `infinity`.
    case symbol(String)
    /// `a + b + ...`; subtraction is a `negation` term.
    case sum([MathExpr])
    /// `-a`.
    case negation(MathExpr)
    /// `a · b · ...` (explicit or implicit multiplication).
    case product([MathExpr])
    /// `a / b`, `\frac{a}{b}`.
    case quotient(MathExpr, MathExpr)
    /// `a ^ b`.
    case power(MathExpr, MathExpr)
    /// `\sqrt[index]{radicand}`; `\sqrt{x}` has index 2.
    case root(MathExpr, index: MathExpr)
    /// A named function: `sin`, `cos`, `tan`, `cot`, `sec`, `csc`, `arcsin`, `arccos`, `arctan`, `sinh`,
    /// `cosh`, `tanh`, `ln`, `exp`, `abs`, `floor`, `ceil`, `factorial`, `log` (one argument: base 10;
    /// two arguments: `[base, x]`), `binom` (`[n, k]`).
    case function(String, [MathExpr])
    /// An ordered tuple / coordinate `(a, b, ...)`. A 2-tuple also stands for the open interval `(a, b)`.
    case tuple([MathExpr])
    /// An interval with each end open or closed.
    case interval(lower: MathExpr, upper: MathExpr, lowerClosed: Bool, upperClosed: Bool)
    /// A union of intervals `I \cup J`.
    case union([MathExpr])
    /// A set `\{a, b\}` (unordered).
    case set([MathExpr])
    /// A bare comma list `a, b, c` (unordered list of solutions).
    case list([MathExpr])
    /// A matrix or vector, row-major; every row has the same length.
    case matrix([[MathExpr]])
    /// `lhs = rhs` (also `x \in S`).
    case equation(MathExpr, MathExpr)
    /// `a \pm b`, i.e. the two values `a + b` and `a - b`.
    case plusMinus(MathExpr, MathExpr)
    /// Words that are not mathematics, e.g. `\text{Monday}` or `\text{(C)}`.
    case text(String)
    /// A numeral in another base, `52_8` → digits "52", base 8.
    case baseNumeral(digits: String, base: Int)
}

extension MathExpr {
    /// A letter that stands for an unknown (`x`, `x_1`), not a named constant (`\pi`, `e`, `i`, `\infty`).
    var isVariable: Bool {
        if case .symbol(let s) = self { return !ScalarComparison.constants.contains(s) }
        return false
    }

    /// Whether this names a quantity rather than giving a value: letters only, no number written
    /// (`x`, `f(x)`, `(p,q)`, `|AB|`, `\frac{NO}{BO}`, `V_1 : V_2`, `S_{MBCN}`). On the left of an
    /// equation (`(p,q) = (3,2)`, `f(x) = 1`), the answer is the right side.
    var isName: Bool {
        switch self {
        case .symbol: return isVariable
        case .product(let items), .tuple(let items): return !items.isEmpty && items.allSatisfy(\.isName)
        case .quotient(let a, let b): return a.isName && b.isName
        case .function(let name, let args):
            return (name == "abs" || name == MathTokenParser.ratio) && args.allSatisfy(\.isName)
        default: return false
        }
    }
}

/// A decimal literal with the precision it was written with.
public struct DecimalLiteral: Sendable, Hashable {
    /// The digits as written, separators removed, e.g. `"0.3888"`.
    public var text: String
    /// The exact value when numerator and 10^places fit in `Int`.
    public var exact: Rational?
    /// The nearest `Double`.
    public var value: Double
    /// Digits after the decimal point.
    public var places: Int
    /// Significant digits (leading zeros excluded, trailing zeros included).
    public var significantDigits: Int

    /// Builds a literal from `intPart.fracPart` (either may be empty, not both).
    init(intPart: String, fracPart: String) {
        let joined = intPart + fracPart
        text = (intPart.isEmpty ? "0" : intPart) + "." + fracPart
        places = fracPart.count
        significantDigits = joined.drop(while: { $0 == "0" }).count
        value = Double(text) ?? .nan
        var exactValue: Rational?
        if places <= 18, let n = Int(joined), let d = Rational(10)?.power(places) {
            exactValue = Rational(n, d.numerator)
        }
        exact = exactValue
    }
}

/// Why an answer could not be parsed.
public struct MathParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// The outcome of comparing an answer with a gold answer, and the rule that decided it.
public struct MathVerdict: Sendable, Hashable {
    public var equal: Bool
    /// Which rule decided, e.g. "exact rational", "canonical radical", "polynomial identity",
    /// "numeric at 5 points (rel tol 1e-6)", "interval", "set (unordered)", "tuple", "text", "equation rhs".
    public var rule: String
    /// Why the comparison stopped before it could decide (the grade's work or time limit, values too
    /// large to compare exactly, cancellation); `equal` is then false, and the grade is `invalid`
    /// (or an `error` when cancelled), never a fail.
    public var undecided: String?
    /// Whether the grade was cancelled while comparing.
    public var cancelled: Bool
    public init(equal: Bool, rule: String, undecided: String? = nil, cancelled: Bool = false) {
        self.equal = equal
        self.rule = rule
        self.undecided = undecided
        self.cancelled = cancelled
    }
}
