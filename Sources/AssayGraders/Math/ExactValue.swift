/// An exact value `Σ c·√r` with rational coefficients `c` and square-free integer radicands `r`.
///
/// `r = 1` is the rational part and `r = -1` is `i`, so Gaussian rationals (`6 - 5i`) and canonical radicals
/// (`3\sqrt{13}` = `\sqrt{117}`, `\frac{\sqrt3}{3}` = `\frac{1}{\sqrt3}`) are both represented uniquely:
/// two expressions with exact values are equal exactly when their `terms` dictionaries are equal.
/// Every operation returns `nil` when the result leaves this form or overflows `Int`.
struct ExactValue: Sendable, Hashable {
    /// Radicand → non-zero coefficient.
    private(set) var terms: [Int: Rational]

    /// Radicands above this are not factored (the caller falls back to floating point).
    static let maxRadicand = 10_000_000_000

    init(_ r: Rational) { terms = r.isZero ? [:] : [1: r] }
    private init(terms: [Int: Rational]) { self.terms = terms.filter { !$0.value.isZero } }

    static let imaginaryUnit = ExactValue(terms: [-1: .one])

    /// The value as a plain rational, when it has no radical part.
    var rational: Rational? {
        if terms.isEmpty { return .zero }
        if terms.count == 1, let c = terms[1] { return c }
        return nil
    }

    func adding(_ other: ExactValue) -> ExactValue? {
        var out = terms
        for (r, c) in other.terms {
            guard let sum = (out[r] ?? .zero).adding(c) else { return nil }
            out[r] = sum
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

    func multiplied(by other: ExactValue) -> ExactValue? {
        var out: [Int: Rational] = [:]
        for (r1, c1) in terms {
            for (r2, c2) in other.terms {
                guard let (factor, radicand) = ExactValue.multiplyRadicands(r1, r2),
                      let c = c1.multiplied(by: c2)?.multiplied(by: factor),
                      let sum = (out[radicand] ?? .zero).adding(c) else { return nil }
                out[radicand] = sum
            }
        }
        return ExactValue(terms: out)
    }

    /// √r1·√r2 = factor·√radicand for square-free r1, r2 (both negative gives i·i = -1).
    static func multiplyRadicands(_ r1: Int, _ r2: Int) -> (Rational, Int)? {
        let g = Int(Rational.gcd(r1.magnitude, r2.magnitude))
        guard g > 0, let radicand = Rational.mul(r1 / g, r2 / g), let factor = Rational(r1 < 0 && r2 < 0 ? -g : g) else {
            return nil
        }
        return (factor, radicand)
    }

    /// 1/x for `c√r` and for two-term values `a + b√n` (multiplying by the conjugate `a - b√n`).
    func reciprocal() -> ExactValue? {
        if terms.count == 1, let (r, c) = terms.first {
            guard let denominator = c.multiplied(by: Rational(r) ?? .one), let inv = denominator.reciprocal() else { return nil }
            return ExactValue(terms: [r: inv])
        }
        guard terms.count == 2, let a = terms[1], let (n, b) = terms.first(where: { $0.key != 1 }),
              let b2n = b.multiplied(by: b)?.multiplied(by: Rational(n) ?? .one),
              let norm = a.multiplied(by: a)?.subtracting(b2n), let invNorm = norm.reciprocal(),
              let ca = a.multiplied(by: invNorm), let cb = b.negated()?.multiplied(by: invNorm) else { return nil }
        return ExactValue(terms: [1: ca, n: cb])
    }

    func divided(by other: ExactValue) -> ExactValue? {
        guard let inv = other.reciprocal() else { return nil }
        return multiplied(by: inv)
    }

    /// Integer power; radical values only up to |n| ≤ 64.
    func power(_ n: Int) -> ExactValue? {
        if let q = rational { return q.power(n).map { ExactValue($0) } }
        guard n.magnitude <= 64 else { return nil }
        if n < 0 { return reciprocal()?.power(-n) }
        var result = ExactValue(.one)
        for _ in 0..<n {
            guard let next = result.multiplied(by: self) else { return nil }
            result = next
        }
        return result
    }

    /// √(p/q) = √(p·q)/q, reduced to `s/q · √m` with m square-free (negative p gives an imaginary result).
    static func squareRoot(of value: Rational) -> ExactValue? {
        guard let pq = Rational.mul(value.numerator, value.denominator) else { return nil }
        if pq == 0 { return ExactValue(.zero) }
        guard pq.magnitude <= UInt(maxRadicand), let (s, m) = squareFreeDecomposition(pq),
              let c = Rational(s, value.denominator) else { return nil }
        return ExactValue(terms: [m: c])
    }

    /// n = s²·m with m square-free (sign kept in m), by trial division.
    static func squareFreeDecomposition(_ n: Int) -> (Int, Int)? {
        var rest = n.magnitude
        var s: UInt = 1
        var m: UInt = 1
        var d: UInt = 2
        while d * d <= rest {
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
    static func root(of value: Rational, index k: Int) -> ExactValue? {
        guard k >= 1 else { return nil }
        if k == 1 { return ExactValue(value) }
        if k == 2 { return squareRoot(of: value) }
        let negative = value.numerator < 0
        guard !negative || k % 2 == 1,
              let magnitude = Int(exactly: value.numerator.magnitude),
              let n = Rational.exactRoot(magnitude, k),
              let d = Rational.exactRoot(value.denominator, k),
              let r = Rational(negative ? -n : n, d) else { return nil }
        return ExactValue(r)
    }
}
