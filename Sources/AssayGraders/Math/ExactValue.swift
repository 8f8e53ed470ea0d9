/// An exact value `Σ c·√r` with rational coefficients `c` and square-free integer radicands `r`.
///
/// `r = 1` is the rational part and `r = -1` is `i`, so Gaussian rationals (`6 - 5i`) and canonical radicals
/// (`3\sqrt{13}` = `\sqrt{117}`, `\frac{\sqrt3}{3}` = `\frac{1}{\sqrt3}`) are both represented uniquely:
/// two expressions with exact values are equal exactly when their `terms` dictionaries are equal.
/// Every operation returns `nil` when the result leaves this form or overflows `Int`.
///
/// Exact arithmetic here can blow up: a product of n factors `(1+\sqrt{p})` over distinct primes has
/// 2^n terms, and squaring it multiplies 2^n by 2^n terms. So operations that take a budget refuse
/// a result with more than `maxTerms` terms, spend one step of the grade's `MathBudget` per pair of
/// terms multiplied, and note each limit they hit (`MathBudget.exactLimitHit`): a value abandoned at a
/// limit is still a number, so floating point may show it differs but never that it is equal.
struct ExactValue: Sendable, Hashable {
    /// Radicand → non-zero coefficient.
    private(set) var terms: [Int: Rational]

    /// Radicands above this are not factored (the caller falls back to floating point).
    static let maxRadicand = 10_000_000_000
    /// Values with more terms than this are abandoned (six distinct radicands and their products;
    /// a MATH answer has at most a few).
    static let maxTerms = 64

    init(_ r: Rational) { terms = r.isZero ? [:] : [1: r] }
    private init(terms: [Int: Rational]) { self.terms = terms.filter { !$0.value.isZero } }

    static let imaginaryUnit = ExactValue(terms: [-1: .one])

    /// The value as a plain rational, when it has no radical part.
    var rational: Rational? {
        if terms.isEmpty { return .zero }
        if terms.count == 1, let c = terms[1] { return c }
        return nil
    }

    func adding(_ other: ExactValue, budget: MathBudget = MathBudget()) -> ExactValue? {
        guard budget.spend(other.terms.count) else { return nil }
        var out = terms
        for (r, c) in other.terms {
            guard let sum = (out[r] ?? .zero).adding(c) else { return nil }
            out[r] = sum
        }
        guard out.count <= ExactValue.maxTerms else {
            budget.exactLimitHit()
            return nil
        }
        return ExactValue(terms: out)
    }

    func negated() -> ExactValue? {
        var out: [Int: Rational] = [:]
        for (r, c) in terms {
            guard let n = c.negated() else { return nil }
            out[r] = n
        }
        return ExactValue(terms: out)
    }

    func multiplied(by other: ExactValue, budget: MathBudget = MathBudget()) -> ExactValue? {
        guard budget.spend(terms.count * other.terms.count) else { return nil }
        var out: [Int: Rational] = [:]
        for (r1, c1) in terms {
            for (r2, c2) in other.terms {
                guard let (factor, radicand) = ExactValue.multiplyRadicands(r1, r2),
                    let c = c1.multiplied(by: c2)?.multiplied(by: factor),
                    let sum = (out[radicand] ?? .zero).adding(c)
                else {
                    budget.exactLimitHit()
                    return nil
                }
                out[radicand] = sum
            }
        }
        guard out.count <= ExactValue.maxTerms else {
            budget.exactLimitHit()
            return nil
        }
        return ExactValue(terms: out)
    }

    /// √r1·√r2 = factor·√radicand for square-free r1, r2 (both negative gives i·i = -1).
    static func multiplyRadicands(_ r1: Int, _ r2: Int) -> (Rational, Int)? {
        let g = Int(Rational.gcd(r1.magnitude, r2.magnitude))
        guard g > 0, let radicand = Rational.mul(r1 / g, r2 / g), let factor = Rational(r1 < 0 && r2 < 0 ? -g : g)
        else {
            return nil
        }
        return (factor, radicand)
    }

    /// 1/x for `c√r` and for two-term values `a + b√n` (multiplying by the conjugate `a - b√n`).
    func reciprocal() -> ExactValue? {
        if terms.count == 1, let (r, c) = terms.first {
            guard let denominator = c.multiplied(by: Rational(r) ?? .one), let inv = denominator.reciprocal() else {
                return nil
            }
            return ExactValue(terms: [r: inv])
        }
        guard terms.count == 2, let a = terms[1], let (n, b) = terms.first(where: { $0.key != 1 }),
            let b2n = b.multiplied(by: b)?.multiplied(by: Rational(n) ?? .one),
            let norm = a.multiplied(by: a)?.subtracting(b2n), let invNorm = norm.reciprocal(),
            let ca = a.multiplied(by: invNorm), let cb = b.negated()?.multiplied(by: invNorm)
        else { return nil }
        return ExactValue(terms: [1: ca, n: cb])
    }

    func divided(by other: ExactValue, budget: MathBudget = MathBudget()) -> ExactValue? {
        guard let inv = other.reciprocal() else {
            // One or two terms: the reciprocal overflowed (zero is no value; three terms are not handled).
            if (1...2).contains(other.terms.count) { budget.exactLimitHit() }
            return nil
        }
        return multiplied(by: inv, budget: budget)
    }

    /// Integer power; radical values only up to |n| ≤ 64.
    func power(_ n: Int, budget: MathBudget = MathBudget()) -> ExactValue? {
        if let q = rational {
            guard let p = q.power(n) else {
                if !(q.isZero && n < 0) { budget.exactLimitHit() }
                return nil
            }
            return ExactValue(p)
        }
        guard n.magnitude <= 64 else {
            budget.exactLimitHit()
            return nil
        }
        if n < 0 {
            guard let inverse = reciprocal() else {
                if terms.count <= 2 { budget.exactLimitHit() }
                return nil
            }
            return inverse.power(-n, budget: budget)
        }
        var result = ExactValue(.one)
        for _ in 0..<n {
            guard let next = result.multiplied(by: self, budget: budget) else { return nil }
            result = next
        }
        return result
    }

    /// √(p/q) = √(p·q)/q, reduced to `s/q · √m` with m square-free (negative p gives an imaginary result).
    static func squareRoot(of value: Rational, budget: MathBudget = MathBudget()) -> ExactValue? {
        guard let pq = Rational.mul(value.numerator, value.denominator) else {
            budget.exactLimitHit()
            return nil
        }
        if pq == 0 { return ExactValue(.zero) }
        guard pq.magnitude <= UInt(maxRadicand) else {
            budget.exactLimitHit()
            return nil
        }
        guard let (s, m) = squareFreeDecomposition(pq, budget: budget), let c = Rational(s, value.denominator) else {
            return nil
        }
        return ExactValue(terms: [m: c])
    }

    /// n = s²·m with m square-free (sign kept in m), by trial division (one budget step per 1,000
    /// divisors tried: at most 50 for a radicand up to 10^10).
    static func squareFreeDecomposition(_ n: Int, budget: MathBudget = MathBudget()) -> (Int, Int)? {
        var rest = n.magnitude
        var s: UInt = 1
        var m: UInt = 1
        var d: UInt = 2
        var tried = 0
        while d * d <= rest {
            tried += 1
            if tried % 1_000 == 0, !budget.spend() { return nil }
            var e = 0
            while rest % d == 0 { rest /= d; e += 1 }
            for _ in 0..<(e / 2) { s *= d }
            if e % 2 == 1 { m *= d }
            d += d == 2 ? 1 : 2
        }
        m *= rest
        guard let si = Int(exactly: s), let mi = Int(exactly: m) else { return nil }
        return (si, n < 0 ? -mi : mi)
    }

    /// The exact k-th root of a rational when numerator and denominator are perfect k-th powers
    /// (odd k keeps the sign; even k of a negative value is not handled here).
    static func root(of value: Rational, index k: Int, budget: MathBudget = MathBudget()) -> ExactValue? {
        guard k >= 1 else { return nil }
        if k == 1 { return ExactValue(value) }
        if k == 2 { return squareRoot(of: value, budget: budget) }
        let negative = value.numerator < 0
        guard !negative || k % 2 == 1,
            let magnitude = Int(exactly: value.numerator.magnitude),
            let n = Rational.exactRoot(magnitude, k),
            let d = Rational.exactRoot(value.denominator, k),
            let r = Rational(negative ? -n : n, d)
        else { return nil }
        return ExactValue(r)
    }
}
