@testable import AssayGraders

/// Structural edits of a gold answer that must change its meaning; rendered back to LaTeX.
enum Perturbations {
    static func perturbations(gold: MathExpr) -> [Variant] {
        var out: [Variant] = []
        func add(_ kind: String, _ e: MathExpr?) {
            if let e, e != gold { out.append(Variant(kind: kind, text: LatexRenderer.render(e))) }
        }
        if case .text(let t) = gold {
            add("text changed", .text(t + "x"))
            return out
        }
        var done = false
        add("integer +1", incrementFirstInteger(gold, &done))
        add("sign flip", signFlip(gold))
        var doneDenominator = false
        add("denominator +1", incrementDenominator(gold, &doneDenominator))
        add("tuple swapped", swapped(gold))
        add("interval bracket flipped", bracketFlipped(gold))
        return out
    }

    static func isZero(_ e: MathExpr) -> Bool { MathEquivalence.compare(e, .number(.zero)).equal }

    /// Pre-order: the first integer literal (or decimal's last digit, or base numeral value) gets +1.
    static func incrementFirstInteger(_ e: MathExpr, _ done: inout Bool) -> MathExpr {
        if done { return e }
        switch e {
        case .number(let r) where r.isInteger:
            done = true
            return .number(Rational(r.numerator + 1) ?? r)
        case .decimal(let d):
            done = true
            let digits = String(d.text.dropLast()) + String(((d.text.last?.wholeNumberValue ?? 0) + 1) % 10)
            return MathTokenParser.numberExpression(d.text.last == "9" ? d.text + "1" : digits)
        case .baseNumeral(let digits, let base):
            guard let v = MathEquivalence.baseValue(digits, base) else { return e }
            done = true
            return .baseNumeral(digits: String(v.numerator + 1, radix: base), base: base)
        default:
            return mapChildren(e) { incrementFirstInteger($0, &done) }
        }
    }

    static func incrementDenominator(_ e: MathExpr, _ done: inout Bool) -> MathExpr {
        if done { return e }
        if case .quotient(let n, .number(let d)) = e, d.isInteger {
            done = true
            return .quotient(n, .number(Rational(d.numerator + 1) ?? d))
        }
        return mapChildren(e) { incrementDenominator($0, &done) }
    }

    static func signFlip(_ e: MathExpr) -> MathExpr? {
        switch e {
        case .tuple(var items):
            guard let k = items.firstIndex(where: { !isZero($0) }) else { return nil }
            items[k] = .negation(items[k])
            return .tuple(items)
        case .list(var items):
            guard let k = items.firstIndex(where: { !isZero($0) }) else { return nil }
            items[k] = .negation(items[k])
            return .list(items)
        case .set(var items):
            guard let k = items.firstIndex(where: { !isZero($0) }) else { return nil }
            items[k] = signFlip(items[k]) ?? items[k]
            return .set(items)
        case .matrix(var rows):
            guard let r = rows.firstIndex(where: { $0.contains { !isZero($0) } }),
                let c = rows[r].firstIndex(where: { !isZero($0) })
            else { return nil }
            rows[r][c] = .negation(rows[r][c])
            return .matrix(rows)
        case .plusMinus(let a, let b):
            return isZero(a) ? nil : .plusMinus(.negation(a), b)
        case .interval(let lo, let hi, let lc, let hc):
            if !isZero(lo), ScalarComparison.infinitySign(lo) == nil {
                return .interval(lower: .negation(lo), upper: hi, lowerClosed: lc, upperClosed: hc)
            }
            if !isZero(hi), ScalarComparison.infinitySign(hi) == nil {
                return .interval(lower: lo, upper: .negation(hi), lowerClosed: lc, upperClosed: hc)
            }
            return nil
        case .union(var parts):
            guard let first = parts.first, let flipped = signFlip(first) else { return nil }
            parts[0] = flipped
            return .union(parts)
        case .equation(let l, let r):
            guard MathEquivalence.isVariable(l), let flipped = signFlip(r) else { return nil }
            return .equation(l, flipped)
        case .text, .baseNumeral:
            return nil
        default:
            return isZero(e) ? nil : .negation(e)
        }
    }

    static func swapped(_ e: MathExpr) -> MathExpr? {
        switch e {
        case .tuple(var items) where items.count >= 2 && !MathEquivalence.compare(items[0], items[1]).equal:
            items.swapAt(0, 1)
            return .tuple(items)
        case .matrix(let rows)
        where rows.count >= 2 && rows.allSatisfy({ $0.count == 1 })
            && !MathEquivalence.compare(rows[0][0], rows[1][0]).equal:
            var r = rows
            r.swapAt(0, 1)
            return .matrix(r)
        default:
            return nil
        }
    }

    static func bracketFlipped(_ e: MathExpr) -> MathExpr? {
        switch e {
        case .interval(let lo, let hi, let lc, let hc):
            if ScalarComparison.infinitySign(lo) == nil {
                return .interval(lower: lo, upper: hi, lowerClosed: !lc, upperClosed: hc)
            }
            return .interval(lower: lo, upper: hi, lowerClosed: lc, upperClosed: !hc)
        case .tuple(let items) where items.count == 2:
            return .interval(lower: items[0], upper: items[1], lowerClosed: true, upperClosed: false)
        case .union(var parts):
            guard let first = parts.first, let flipped = bracketFlipped(first) else { return nil }
            parts[0] = flipped
            return .union(parts)
        case .equation(let l, let r):
            return bracketFlipped(r).map { .equation(l, $0) }
        default:
            return nil
        }
    }

    /// Applies `f` to each direct child in order (so an inout flag can stop after the first change).
    static func mapChildren(_ e: MathExpr, _ f: (MathExpr) -> MathExpr) -> MathExpr {
        switch e {
        case .sum(let items): return .sum(items.map(f))
        case .product(let items): return .product(items.map(f))
        case .negation(let x): return .negation(f(x))
        case .quotient(let a, let b): let fa = f(a); return .quotient(fa, f(b))
        case .power(let a, let b): let fa = f(a); return .power(fa, f(b))
        case .root(let x, let k): return .root(f(x), index: k)
        case .function(let n, let args): return .function(n, args.map(f))
        case .tuple(let items): return .tuple(items.map(f))
        case .set(let items): return .set(items.map(f))
        case .list(let items): return .list(items.map(f))
        case .union(let items): return .union(items.map(f))
        case .matrix(let rows): return .matrix(rows.map { $0.map(f) })
        case .interval(let lo, let hi, let lc, let hc):
            let fl = f(lo); return .interval(lower: fl, upper: f(hi), lowerClosed: lc, upperClosed: hc)
        case .equation(let l, let r): let fl = f(l); return .equation(fl, f(r))
        case .plusMinus(let a, let b): let fa = f(a); return .plusMinus(fa, f(b))
        default: return e
        }
    }
}
