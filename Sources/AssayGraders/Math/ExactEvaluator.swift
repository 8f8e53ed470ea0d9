/// Folds constant expressions to `ExactValue` (rationals, Gaussian rationals, square-root radicals).
///
/// Returns `nil` for anything outside that field: variables, `\pi`, `e`, transcendental functions,
/// non-perfect cube roots, overflow, or exponents that are too large (|n| > 4096 for rationals).
enum ExactEvaluator {
    static func value(_ e: MathExpr) -> ExactValue? {
        switch e {
        case .number(let r):
            return ExactValue(r)
        case .decimal(let d):
            return d.exact.map { ExactValue($0) }
        case .real:
            return nil
        case .symbol(let s):
            return s == "i" ? .imaginaryUnit : nil
        case .sum(let items):
            var acc = ExactValue(.zero)
            for item in items {
                guard let v = value(item), let next = acc.adding(v) else { return nil }
                acc = next
            }
            return acc
        case .negation(let inner):
            return value(inner)?.negated()
        case .product(let items):
            var acc = ExactValue(.one)
            for item in items {
                guard let v = value(item), let next = acc.multiplied(by: v) else { return nil }
                acc = next
            }
            return acc
        case .quotient(let n, let d):
            guard let nv = value(n), let dv = value(d) else { return nil }
            return nv.divided(by: dv)
        case .power(let base, let exponent):
            return power(base, exponent)
        case .root(let radicand, let index):
            guard let k = value(index)?.rational, k.isInteger, k.numerator >= 2, k.numerator <= 64,
                  let r = value(radicand)?.rational else { return nil }
            return ExactValue.root(of: r, index: k.numerator)
        case .function(let name, let args):
            return function(name, args)
        default:
            return nil
        }
    }

    /// Integer exponents on any exact base; `p/q` exponents on rational bases via exact roots.
    static func power(_ base: MathExpr, _ exponent: MathExpr) -> ExactValue? {
        guard let ev = value(exponent)?.rational else { return nil }
        // Evaluate the exponent first so that `10^{10^{10}}` is refused before touching the base.
        guard ev.denominator <= 64, ev.numerator.magnitude <= 4096 else { return nil }
        guard let bv = value(base) else { return nil }
        if ev.isInteger { return bv.power(ev.numerator) }
        guard let b = bv.rational, let root = ExactValue.root(of: b, index: ev.denominator) else { return nil }
        return root.power(ev.numerator)
    }

    static func function(_ name: String, _ args: [MathExpr]) -> ExactValue? {
        let values = args.compactMap { value($0)?.rational }
        guard values.count == args.count else { return nil }
        switch (name, values.count) {
        case ("abs", 1):
            return values[0].numerator < 0 ? values[0].negated().map { ExactValue($0) } : ExactValue(values[0])
        case ("floor", 1), ("ceil", 1):
            let q = values[0]
            var f = q.numerator / q.denominator
            if q.numerator < 0 && q.numerator % q.denominator != 0 { f -= 1 }
            if name == "ceil" && !q.isInteger { f += 1 }
            return Rational(f).map { ExactValue($0) }
        case ("factorial", 1):
            guard values[0].isInteger, (0...20).contains(values[0].numerator) else { return nil }
            var acc = 1
            for k in stride(from: 2, through: values[0].numerator, by: 1) { acc *= k }
            return Rational(acc).map { ExactValue($0) }
        case ("binom", 2):
            guard values[0].isInteger, values[1].isInteger else { return nil }
            let n = values[0].numerator
            let k = values[1].numerator
            guard n >= 0, n <= 1000 else { return nil }
            if k < 0 || k > n { return ExactValue(.zero) }
            var acc = Rational.one
            for j in 0..<min(k, n - k) {
                guard let next = acc.multiplied(by: Rational(n - j, j + 1) ?? .one) else { return nil }
                acc = next
            }
            return ExactValue(acc)
        default:
            return nil
        }
    }
}
