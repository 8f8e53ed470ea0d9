/// Folds constant expressions to `ExactValue` (rationals, Gaussian rationals, square-root radicals).
///
/// Returns `nil` for anything outside that field: variables, `\pi`, `e`, transcendental functions,
/// non-perfect cube roots, and for values past the exact limits (more than `ExactValue.maxTerms`
/// terms, overflow of 64-bit integers, radicands past 10^10, exponents past 4096); the latter are
/// noted in the budget (`MathBudget.exactLimitHit`). Every node evaluated spends one step of the
/// budget; once it is spent the evaluator returns `nil`.
struct ExactEvaluator {
    let budget: MathBudget

    init(budget: MathBudget = MathBudget()) { self.budget = budget }

    /// The exact value of `e` with a fresh budget (for tests and one-off checks).
    static func value(_ e: MathExpr) -> ExactValue? { ExactEvaluator().value(e) }

    func value(_ e: MathExpr) -> ExactValue? {
        guard budget.spend() else { return nil }
        switch e {
        case .number(let r):
            return ExactValue(r)
        case .decimal(let d):
            return d.exact.map { ExactValue($0) }
        case .real:
            budget.exactLimitHit()  // an integer past 64 bits
            return nil
        case .symbol(let s):
            return s == "i" ? .imaginaryUnit : nil
        case .sum(let items):
            var acc = ExactValue(.zero)
            for item in items {
                guard let v = value(item), let next = acc.adding(v, budget: budget) else { return nil }
                acc = next
            }
            return acc
        case .negation(let inner):
            return value(inner)?.negated()
        case .product(let items):
            var acc = ExactValue(.one)
            for item in items {
                guard let v = value(item), let next = acc.multiplied(by: v, budget: budget) else { return nil }
                acc = next
            }
            return acc
        case .quotient(let n, let d):
            guard let nv = value(n), let dv = value(d) else { return nil }
            return nv.divided(by: dv, budget: budget)
        case .power(let base, let exponent):
            return power(base, exponent)
        case .root(let radicand, let index):
            guard let k = value(index)?.rational, k.isInteger, k.numerator >= 2, k.numerator <= 64,
                let r = value(radicand)?.rational
            else { return nil }
            return ExactValue.root(of: r, index: k.numerator, budget: budget)
        case .function(let name, let args):
            return function(name, args)
        default:
            return nil
        }
    }

    /// Integer exponents on any exact base; `p/q` exponents on rational bases via exact roots.
    func power(_ base: MathExpr, _ exponent: MathExpr) -> ExactValue? {
        guard let ev = value(exponent)?.rational else { return nil }
        // The exponent first, so that `10^{10^{10}}` is refused before any work on the base: past
        // 4096 only 0 and ±1 have an exact power (`Rational.power`).
        guard ev.denominator <= 64 else { return nil }
        guard let bv = value(base) else { return nil }
        if ev.numerator.magnitude > 4096 {
            guard ev.isInteger, let b = bv.rational, b.isZero || (b.isInteger && b.numerator.magnitude == 1),
                let p = b.power(ev.numerator)
            else {
                budget.exactLimitHit()
                return nil
            }
            return ExactValue(p)
        }
        if ev.isInteger { return bv.power(ev.numerator, budget: budget) }
        guard let b = bv.rational, let root = ExactValue.root(of: b, index: ev.denominator, budget: budget) else {
            return nil
        }
        return root.power(ev.numerator, budget: budget)
    }

    func function(_ name: String, _ args: [MathExpr]) -> ExactValue? {
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
            guard values[0].isInteger, values[0].numerator >= 0 else { return nil }
            guard values[0].numerator <= 20 else {
                budget.exactLimitHit()  // past 20! the value overflows 64 bits
                return nil
            }
            var acc = 1
            for k in stride(from: 2, through: values[0].numerator, by: 1) { acc *= k }
            return Rational(acc).map { ExactValue($0) }
        case ("binom", 2):
            guard values[0].isInteger, values[1].isInteger else { return nil }
            let n = values[0].numerator
            let k = values[1].numerator
            guard n >= 0 else { return nil }
            guard n <= 1000 else {
                budget.exactLimitHit()
                return nil
            }
            if k < 0 || k > n { return ExactValue(.zero) }
            var acc = Rational.one
            for j in 0..<min(k, n - k) {
                guard budget.spend() else { return nil }
                guard let next = acc.multiplied(by: Rational(n - j, j + 1) ?? .one) else {
                    budget.exactLimitHit()
                    return nil
                }
                acc = next
            }
            return ExactValue(acc)
        default:
            return nil
        }
    }
}
