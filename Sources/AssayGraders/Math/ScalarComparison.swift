import Foundation

/// Comparison of single values (no tuples, sets or intervals), in this order:
///
/// 1. **Infinity**: `\infty` only equals `\infty` of the same sign.
/// 2. **Exact**: when both sides fold to `ExactValue` (rationals, Gaussian rationals, square-root radicals) they
///    are equal iff the canonical forms are identical ("exact rational" / "canonical radical"); no tolerance,
///    so `11111111100` ≠ `11111111101`.
/// 3. **Decimal rounding**: a decimal literal answer (`0.3333`, at most 17 places) against a constant gold
///    that is not itself a decimal literal is decided by this rule alone: accepted iff the answer has at least
///    4 significant digits and equals the gold rounded half-up or truncated to the answer's own number of
///    decimal places (`0.3888` for 243/625 passes; `0.3887`, `0.389` and `0.39` fail; `4.667` and `4.666`
///    both pass for 14/3; `3.1416` passes for π). A gold that is exact at that precision must match exactly.
/// 4. **Numeric constants**: otherwise constants compare in complex floating point with relative tolerance
///    1e-6 (absolute 1e-9 near zero); both must be finite.
/// 5. **Identity**: with k free variables, both sides are evaluated at points whose coordinates come from a
///    fixed-seed SplitMix64 in [0.15, 2.85] avoiding integers; every point where either side is finite must
///    agree, and 5·k points (k capped at 8) must be finite on both sides, within 3× that many attempts
///    ("polynomial identity" when both sides are polynomials, else "numeric at 5·k points (rel tol 1e-6)").
///
/// All of it runs on the grade's `MathBudget`. A side whose exact value was abandoned at a limit
/// (`ExactValue.maxTerms` terms, 64-bit overflow, a radicand past 10^10, an exponent past 4096: an
/// exact number too large to work with, not a transcendental one) is compared in floating point
/// only to reject: values further apart than the tolerance fail ("numeric (exact form past limits)"),
/// values within it are undecided ("too large to compare exactly"), since 1e-6 cannot tell
/// `2^{70}` from `2^{70}+1`. An undecided verdict is never a pass; the grade is `invalid`.
enum ScalarComparison {
    static let relativeTolerance = 1e-6
    static let absoluteTolerance = 1e-9
    /// Agreeing finite sample points required per free variable (at most 8 variables are sampled that densely).
    static let pointsPerVariable = 5
    /// Sample attempts allowed per required point (points where both sides are undefined are skipped).
    static let attemptsPerPoint = 3
    static let minimumDecimalDigits = 4
    static let constants: Set<String> = ["pi", "e", "i", "infinity"]

    static func compare(_ a: MathExpr, _ g: MathExpr, budget: MathBudget = MathBudget()) -> MathVerdict {
        let ia = infinitySign(a)
        let ig = infinitySign(g)
        if ia != nil || ig != nil { return MathVerdict(equal: ia == ig, rule: "infinity") }
        let exact = ExactEvaluator(budget: budget)
        let limitHits = budget.exactLimitHits
        let ea = exact.value(a)
        let eg = exact.value(g)
        let pastExactLimits = budget.exactLimitHits > limitHits
        let exactRule = ea?.rational != nil && eg?.rational != nil ? "exact rational" : "canonical radical"
        if let ea, let eg, ea == eg { return MathVerdict(equal: true, rule: exactRule) }
        let variables = freeVariables(a).union(freeVariables(g))
        if variables.isEmpty, let (literal, negative) = decimalLiteral(a), decimalLiteral(g) == nil,
            literal.places <= 17
        {
            if let q = eg?.rational {
                return MathVerdict(equal: decimalRule(literal, negative, gold: q), rule: "decimal rounding")
            }
            let vg = NumericEvaluator(bindings: [:], budget: budget).value(g)
            if vg.isReal, vg.isFinite {
                return MathVerdict(equal: decimalRule(literal, negative, gold: vg.re), rule: "decimal rounding")
            }
        }
        if ea != nil, eg != nil { return MathVerdict(equal: false, rule: exactRule) }
        if variables.isEmpty {
            let evaluator = NumericEvaluator(bindings: [:], budget: budget)
            let va = evaluator.value(a)
            let vg = evaluator.value(g)
            guard va.isFinite, vg.isFinite else { return MathVerdict(equal: false, rule: "numeric (not finite)") }
            if pastExactLimits {
                if close(va, vg) {
                    budget.noteUndecided(
                        "the values agree to 1e-6 in floating point, but an exact value is past the limits "
                            + "(\(ExactValue.maxTerms) radical terms, 64-bit integers, radicands up to 10^10, exponents up to 4096), "
                            + "so equality cannot be proven")
                    return MathVerdict(equal: false, rule: "too large to compare exactly")
                }
                return MathVerdict(equal: false, rule: "numeric (exact form past limits)")
            }
            return MathVerdict(equal: close(va, vg), rule: "numeric (rel tol 1e-6)")
        }
        let polynomial = isPolynomial(a) && isPolynomial(g)
        let points = pointsPerVariable * min(variables.count, 8)
        let rule = polynomial ? "polynomial identity" : "numeric at \(points) points (rel tol 1e-6)"
        let equal = agreeAtPoints(variables.sorted(), budget: budget) { ev in
            let va = ev.value(a)
            let vg = ev.value(g)
            if !va.isFinite && !vg.isFinite { return nil }
            return va.isFinite && vg.isFinite && close(va, vg)
        }
        return MathVerdict(equal: equal, rule: rule)
    }

    /// `f = 0` and `h = 0` describe the same locus when f/h is the same non-zero constant at every point.
    static func proportional(_ f: MathExpr, _ h: MathExpr, budget: MathBudget = MathBudget()) -> Bool {
        var ratio: Complex?
        let variables = freeVariables(f).union(freeVariables(h)).sorted()
        guard !variables.isEmpty else { return false }
        return agreeAtPoints(variables, budget: budget) { ev in
            let vf = ev.value(f)
            let vh = ev.value(h)
            guard vf.isFinite, vh.isFinite else { return nil }
            if vh.magnitude < absoluteTolerance { return vf.magnitude < absoluteTolerance ? nil : false }
            let r = vf / vh
            guard r.magnitude > absoluteTolerance else { return false }
            if let first = ratio { return close(first, r) }
            ratio = r
            return true
        }
    }

    /// Runs `check` at deterministic sample points: `nil` = point skipped, `false` = disagreement.
    /// Once the budget is spent every value is NaN, every point is skipped, and the answer is
    /// not equal.
    static func agreeAtPoints(
        _ variables: [String], budget: MathBudget = MathBudget(), _ check: (NumericEvaluator) -> Bool?
    ) -> Bool {
        var rng = SplitMix64()
        var agreed = 0
        let requiredPoints = pointsPerVariable * min(max(variables.count, 1), 8)
        for _ in 0..<(requiredPoints * attemptsPerPoint) {
            guard !budget.isSpent else { return false }
            var bindings: [String: Complex] = [:]
            for v in variables { bindings[v] = Complex(rng.samplePoint()) }
            switch check(NumericEvaluator(bindings: bindings, budget: budget)) {
            case .some(false): return false
            case .some(true): agreed += 1
            case .none: continue
            }
            if agreed >= requiredPoints { return true }
        }
        return false
    }

    static func close(_ x: Complex, _ y: Complex) -> Bool {
        let d = (x - y).magnitude
        return d <= absoluteTolerance || d <= relativeTolerance * max(x.magnitude, y.magnitude)
    }

    /// The digits of a decimal literal as an integer: `0.3888` → 3888 (sign applied).
    static func writtenDigits(_ literal: DecimalLiteral, _ negative: Bool) -> Double {
        let scaled = literal.exact.flatMap { q in Rational(10)?.power(literal.places).flatMap { q.multiplied(by: $0) } }
        let magnitude =
            scaled.map { Double($0.numerator) } ?? (literal.value * pow(10, Double(literal.places))).rounded()
        return negative ? -magnitude : magnitude
    }

    /// Decimal rounding against an exact rational gold, in integer arithmetic when it fits.
    static func decimalRule(_ literal: DecimalLiteral, _ negative: Bool, gold: Rational) -> Bool {
        guard literal.significantDigits >= minimumDecimalDigits else { return false }
        guard let scale = Rational(10)?.power(literal.places), let n = Rational.mul(gold.numerator, scale.numerator)
        else {
            return decimalRule(literal, negative, gold: gold.doubleValue)
        }
        let q = gold.denominator
        let truncated = n / q
        let remainder = n % q
        let rounded = remainder.magnitude * 2 >= UInt(q) ? truncated + (n < 0 ? -1 : 1) : truncated
        let written = writtenDigits(literal, negative)
        return written == Double(truncated) || written == Double(rounded)
    }

    /// Decimal rounding against a floating-point gold; a gold that is (numerically) exact at the written
    /// precision must be matched exactly, otherwise rounding half-up or truncation are both accepted.
    static func decimalRule(_ literal: DecimalLiteral, _ negative: Bool, gold: Double) -> Bool {
        guard literal.significantDigits >= minimumDecimalDigits else { return false }
        let target = gold * pow(10, Double(literal.places))
        guard target.isFinite, abs(target) < 9e15 else { return false }
        let written = writtenDigits(literal, negative)
        let nearest = target.rounded()
        if abs(target - nearest) <= 1e-9 * max(1, abs(target)) { return written == nearest }
        return written == target.rounded(.toNearestOrAwayFromZero) || written == target.rounded(.towardZero)
    }

    static func decimalLiteral(_ e: MathExpr) -> (DecimalLiteral, Bool)? {
        switch e {
        case .decimal(let d): return (d, false)
        case .negation(.decimal(let d)): return (d, true)
        default: return nil
        }
    }

    /// +1 / -1 for (signed) infinity, nil otherwise.
    static func infinitySign(_ e: MathExpr) -> Int? {
        switch e {
        case .symbol("infinity"): return 1
        case .negation(let inner): return infinitySign(inner).map { -$0 }
        default: return nil
        }
    }

    static func freeVariables(_ e: MathExpr) -> Set<String> {
        switch e {
        case .symbol(let s): return constants.contains(s) ? [] : [s]
        case .sum(let items), .product(let items), .function(_, let items), .tuple(let items), .set(let items),
            .list(let items), .union(let items):
            return items.reduce(into: Set<String>()) { $0.formUnion(freeVariables($1)) }
        case .negation(let x): return freeVariables(x)
        case .quotient(let x, let y), .power(let x, let y), .root(let x, let y), .equation(let x, let y),
            .plusMinus(let x, let y):
            return freeVariables(x).union(freeVariables(y))
        default: return []
        }
    }

    /// Numbers, symbols, +, −, ×, non-negative integer powers, and division by a number literal.
    static func isPolynomial(_ e: MathExpr) -> Bool {
        switch e {
        case .number, .decimal, .symbol: return true
        case .sum(let items), .product(let items): return items.allSatisfy(isPolynomial)
        case .negation(let x): return isPolynomial(x)
        case .power(let b, .number(let n)): return n.isInteger && n.numerator >= 0 && isPolynomial(b)
        case .quotient(let x, .number): return isPolynomial(x)
        default: return false
        }
    }
}
