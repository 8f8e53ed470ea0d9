/// Deterministic value comparison of a parsed answer against a parsed gold answer.
///
/// Structure first, then values (see `ScalarComparison` for single values):
/// - **text**: when either side is words, normalized strings must match (case-insensitive, spaces,
///   parentheses, braces and `\text` removed), so `\text{(C)}` = `C` and `\text{Evelyn}` = `evelyn`.
/// - **equation rhs**: `x = 3` vs `3`, or `y = 2x+3` vs `y = 2x + 3`, compares the side opposite a lone
///   variable; two general equations are equal when `lhs − rhs` are proportional ("equation (proportional)").
/// - **set (unordered)**: sets, bare comma lists and `a \pm b` (the two values a+b, a−b) match as multisets.
/// - **tuple**: same length, element by element in order; a 2-tuple equals the open interval it can denote,
///   and a one-column matrix equals the tuple of its entries ("vector").
/// - **interval**: both ends open/closed alike and both endpoints equal; unions match interval-wise, unordered.
/// - **matrix**: same shape, element by element.
/// - **base numeral**: `52_8` equals `52_{8}`, `101010_2` (same value) and the bare digits `52`, not `42`.
///
/// Every comparison runs on a `MathBudget` (steps, a time backstop, cancellation): past it, or when
/// values are too large to compare exactly (`ScalarComparison`), the verdict is *undecided*, never
/// equal. Use `compare(answer:gold:budget:)`, which reports that; the tree-level `compare` only
/// says equal or not.
public enum MathEquivalence {
    public static func compare(_ answer: MathExpr, _ gold: MathExpr) -> MathVerdict {
        compare(answer, gold, budget: MathBudget())
    }

    /// The rules in their order of precedence, first that decides wins. One function on
    /// purpose (62 lines): the order is the grader's meaning, and is read in one place.
    static func compare(_ answer: MathExpr, _ gold: MathExpr, budget: MathBudget) -> MathVerdict {
        guard budget.spend() else { return MathVerdict(equal: false, rule: "limit") }
        if case .text = gold { return textVerdict(answer, gold) }
        if case .text = answer { return textVerdict(answer, gold) }
        if let verdict = compareEquations(answer, gold, budget: budget) { return verdict }
        if let verdict = compareWritten(answer, gold, budget: budget) { return verdict }
        if containsPlusMinus(answer) || containsPlusMinus(gold) {
            return unordered(expandValues(answer), expandValues(gold), rule: "set (unordered)", budget: budget)
        }
        let answer = foldMatrices(answer)
        switch gold {
        case .list, .set:
            guard isUnorderedCollection(answer) else { return MathVerdict(equal: false, rule: "set (unordered)") }
            return unordered(expandValues(answer), expandValues(gold), rule: "set (unordered)", budget: budget)
        case .tuple(let items):
            return ordered(sequenceItems(answer, count: items.count), items, rule: "tuple", budget: budget)
        case .interval(let lo, let hi, let loClosed, let hiClosed):
            switch answer {
            case .interval(let alo, let ahi, let aloClosed, let ahiClosed):
                guard aloClosed == loClosed, ahiClosed == hiClosed else {
                    return MathVerdict(equal: false, rule: "interval")
                }
                return ordered([alo, ahi], [lo, hi], rule: "interval", budget: budget)
            case .tuple(let items) where !loClosed && !hiClosed:
                return ordered(items, [lo, hi], rule: "interval", budget: budget)
            default:
                return MathVerdict(equal: false, rule: "interval")
            }
        case .union(let parts):
            guard case .union(let answerParts) = answer else {
                return MathVerdict(equal: false, rule: "interval union")
            }
            return unordered(answerParts, parts, rule: "interval union", budget: budget)
        case .matrix(let rows):
            if case .matrix(let answerRows) = answer {
                guard answerRows.count == rows.count, answerRows.first?.count == rows.first?.count else {
                    return MathVerdict(equal: false, rule: "matrix")
                }
                return ordered(answerRows.flatMap { $0 }, rows.flatMap { $0 }, rule: "matrix", budget: budget)
            }
            guard rows.count == 1 || rows.allSatisfy({ $0.count == 1 }) else {
                return MathVerdict(equal: false, rule: "matrix")
            }
            let entries = rows.flatMap { $0 }
            return ordered(sequenceItems(answer, count: entries.count), entries, rule: "vector", budget: budget)
        case .baseNumeral(let digits, let base):
            return compareBaseNumeral(answer, digits: digits, base: base)
        default:
            // `\boxed{15\frac{39}{40}}, or \boxed{\frac{639}{40}}`: one value written twice is that value.
            if case .list(let items) = answer, items.count <= 16,
                items.allSatisfy({ compare($0, gold, budget: budget).equal })
            {
                return MathVerdict(equal: true, rule: "one value, written \(items.count) ways")
            }
            if isCollection(answer) { return MathVerdict(equal: false, rule: "shape mismatch") }
            if case .baseNumeral(let digits, let base) = answer {
                guard let v = baseValue(digits, base) else { return MathVerdict(equal: false, rule: "base numeral") }
                let verdict = ScalarComparison.compare(.number(v), gold, budget: budget)
                return MathVerdict(equal: verdict.equal, rule: "base numeral value")
            }
            return ScalarComparison.compare(answer, gold, budget: budget)
        }
    }

    /// Parses both and compares them within `budget` (a fresh one by default). A gold that does not
    /// parse (or is text) is compared as normalized text; an answer that does not parse against a
    /// non-text gold throws with the reason. A comparison stopped by the budget, or left undecided
    /// because the values are too large to compare exactly, comes back not equal with `undecided`
    /// set (and `cancelled` when the task was cancelled).
    public static func compare(answer: String, gold: String) throws(MathParseError) -> MathVerdict {
        try compare(answer: answer, gold: gold, budget: MathBudget())
    }

    static func compare(answer: String, gold: String, budget: MathBudget) throws(MathParseError) -> MathVerdict {
        let verdict = try compareUnbudgeted(answer: answer, gold: gold, budget: budget)
        return settle(verdict, budget: budget)
    }

    /// The verdict as the budget leaves it: undecided when the budget ran out or a comparison it
    /// rests on was undecided, unless it is a proven equality.
    static func settle(_ verdict: MathVerdict, budget: MathBudget) -> MathVerdict {
        if let reason = budget.reason {
            return MathVerdict(equal: false, rule: "limit", undecided: reason, cancelled: budget.stop == .cancelled)
        }
        if !verdict.equal, let reason = budget.undecided {
            return MathVerdict(equal: false, rule: verdict.rule, undecided: reason)
        }
        return verdict
    }

    static func compareUnbudgeted(answer: String, gold: String, budget: MathBudget) throws(MathParseError)
        -> MathVerdict
    {
        let limit = MathTokenizer.maxLength
        guard answer.unicodeScalars.count <= limit, gold.unicodeScalars.count <= limit else {
            _ = try MathParser.parse(answer)  // throws "answer longer than …" for an over-long answer
            return MathVerdict(equal: false, rule: "text (gold too long)")
        }
        guard let goldExpr = try? MathParser.parse(gold) else {
            return MathVerdict(
                equal: TextNormalizer.normalize(answer) == TextNormalizer.normalize(gold),
                rule: "text (gold not parsed)")
        }
        if case .text(let t) = goldExpr, (try? MathParser.parse(answer)) == nil {
            return MathVerdict(equal: TextNormalizer.normalize(answer) == TextNormalizer.normalize(t), rule: "text")
        }
        return compare(try MathParser.parse(answer), goldExpr, budget: budget)
    }

    // MARK: rules

    static func textVerdict(_ a: MathExpr, _ g: MathExpr) -> MathVerdict {
        guard let pa = TextNormalizer.plain(a), let pg = TextNormalizer.plain(g) else {
            return MathVerdict(equal: false, rule: "text")
        }
        return MathVerdict(equal: TextNormalizer.normalize(pa) == TextNormalizer.normalize(pg), rule: "text")
    }

    static func isVariable(_ e: MathExpr) -> Bool { e.isVariable }

    /// Equation rules; nil when neither side is an equation.
    static func compareEquations(_ a: MathExpr, _ g: MathExpr, budget: MathBudget) -> MathVerdict? {
        func rhs(_ v: MathVerdict) -> MathVerdict { MathVerdict(equal: v.equal, rule: "equation rhs") }
        switch (a, g) {
        case (.equation(let al, let ar), .equation(let gl, let gr)):
            if isVariable(al), al == gl { return rhs(compare(ar, gr, budget: budget)) }
            if isVariable(ar), ar == gr { return rhs(compare(al, gl, budget: budget)) }
            if isVariable(al), al == gr { return rhs(compare(ar, gl, budget: budget)) }
            if isVariable(ar), ar == gl { return rhs(compare(al, gr, budget: budget)) }
            // Two named quantities (`W(x) = 1` and `W(n) = 1`, `(p,q) = (3,2)` twice): their values.
            if al.isName, gl.isName { return rhs(compare(ar, gr, budget: budget)) }
            let f = MathExpr.sum([al, .negation(ar)])
            let h = MathExpr.sum([gl, .negation(gr)])
            return MathVerdict(
                equal: ScalarComparison.proportional(f, h, budget: budget), rule: "equation (proportional)")
        case (.equation(let l, let r), _):
            // `x = 3`; `1/2 = 10/9` ends at 10/9
            if l.isName || isConstant(l) { return rhs(compare(r, g, budget: budget)) }
            if isVariable(r) { return rhs(compare(l, g, budget: budget)) }
            return MathVerdict(equal: false, rule: "equation rhs")
        case (_, .equation(let l, let r)):
            if l.isName { return rhs(compare(a, r, budget: budget)) }  // `(3,2)` for `(p,q) = (3,2)`
            if isVariable(r) { return rhs(compare(a, l, budget: budget)) }
            return MathVerdict(equal: false, rule: "equation rhs")
        default:
            return nil
        }
    }

    /// A value written with no variable (`\frac{1}{2}`, `3\sqrt{2}`).
    static func isConstant(_ e: MathExpr) -> Bool {
        switch e {
        case .number, .decimal, .real: return true
        case .sum, .product, .quotient, .power, .root, .negation: return ScalarComparison.freeVariables(e).isEmpty
        default: return false
        }
    }

    /// Whether a `\pm` is anywhere in the value (`\frac{-1 \pm \sqrt{13}}{4}`).
    static func containsPlusMinus(_ e: MathExpr) -> Bool {
        switch e {
        case .plusMinus: return true
        case .sum(let items), .product(let items): return items.contains(where: containsPlusMinus)
        case .quotient(let a, let b): return containsPlusMinus(a) || containsPlusMinus(b)
        case .negation(let a): return containsPlusMinus(a)
        case .equation(_, let r): return containsPlusMinus(r)
        case .list(let items), .set(let items): return items.contains(where: containsPlusMinus)
        default: return false
        }
    }

    /// The values a `\pm` stands for: `\frac{-1 \pm \sqrt{13}}{4}` → the two fractions; an equation's
    /// right side likewise. At most 16.
    static func branches(_ e: MathExpr) -> [MathExpr] {
        func combine(_ items: [MathExpr]) -> [[MathExpr]] {
            var out: [[MathExpr]] = [[]]
            for item in items {
                let options = branches(item)
                out = out.flatMap { prefix in options.map { prefix + [$0] } }
                if out.count > 16 { out = Array(out.prefix(16)) }
            }
            return out
        }
        switch e {
        case .plusMinus(let a, let b):
            return combine([a, b]).flatMap { pair in
                [MathExpr.sum([pair[0], pair[1]]), .sum([pair[0], .negation(pair[1])])]
            }
        case .sum(let items): return combine(items).map { .sum($0) }
        case .product(let items): return combine(items).map { .product($0) }
        case .quotient(let a, let b): return combine([a, b]).map { .quotient($0[0], $0[1]) }
        case .negation(let a): return branches(a).map { .negation($0) }
        case .equation(let l, let r): return branches(r).map { .equation(l, $0) }
        default: return [e]
        }
    }

    /// Ratios (`7:32`), sums and products (`\sum_{k=0}^{n} a_k`: bounds, then the body by value) and
    /// relations kept as written (`f(2) < f(1) < f(4)`): the same operators and
    /// the same parts in order (a relation also read mirrored: `a < b` is `b > a`). Nil when neither side is one.
    static func compareWritten(_ a: MathExpr, _ g: MathExpr, budget: MathBudget) -> MathVerdict? {
        func written(_ e: MathExpr) -> (String, [MathExpr])? {
            if case .function(let name, let args) = e,
                [MathTokenParser.ratio, MathTokenParser.summation, MathTokenParser.repeatedProduct].contains(name)
                    || name.hasPrefix("relation ")
            {
                return (name, args)
            }
            return nil
        }
        guard written(a) != nil || written(g) != nil else { return nil }
        guard let (an, aa) = written(a), let (gn, ga) = written(g) else {
            return MathVerdict(equal: false, rule: "relation")
        }
        let rule = gn == MathTokenParser.ratio ? "ratio" : gn.hasPrefix("relation ") ? "relation" : gn
        if an == gn, ordered(aa, ga, rule: rule, budget: budget).equal { return MathVerdict(equal: true, rule: rule) }
        let mirror = ["<": ">", ">": "<", "le": "ge", "ge": "le"]
        let mirrored =
            "relation "
            + an.dropFirst(9).split(separator: " ").reversed().map { mirror[String($0)] ?? String($0) }.joined(
                separator: " ")
        if an.hasPrefix("relation "), mirrored == gn { return ordered(aa.reversed(), ga, rule: rule, budget: budget) }
        return MathVerdict(equal: false, rule: rule)
    }

    /// Sums and products of matrices worked out (`A + B`, `I \cdot I`), entry by entry; anything else as is.
    static func foldMatrices(_ e: MathExpr) -> MathExpr {
        func matrix(_ e: MathExpr) -> [[MathExpr]]? {
            if case .matrix(let rows) = foldMatrices(e) { return rows }
            return nil
        }
        switch e {
        case .sum(let items) where items.count > 1 && items.count <= 8:
            let matrices = items.compactMap(matrix)
            guard matrices.count == items.count, let first = matrices.first,
                matrices.allSatisfy({ $0.count == first.count && $0.first?.count == first.first?.count })
            else { return e }
            return .matrix(first.indices.map { r in first[r].indices.map { c in .sum(matrices.map { $0[r][c] }) } })
        case .product(let items) where items.count > 1 && items.count <= 8:
            let matrices = items.compactMap(matrix)
            guard matrices.count == items.count, var result = matrices.first else { return e }
            for next in matrices.dropFirst() {
                guard result.first?.count == next.count, let width = next.first?.count, result.count * width <= 64
                else { return e }
                result = result.map { row in
                    (0..<width).map { c in .sum(row.indices.map { k in .product([row[k], next[k][c]]) }) }
                }
            }
            return .matrix(result)
        default:
            return e
        }
    }

    static func isUnorderedCollection(_ e: MathExpr) -> Bool {
        switch e {
        case .list, .set, .plusMinus: return true
        default: return false
        }
    }

    static func isCollection(_ e: MathExpr) -> Bool {
        switch e {
        case .list, .set, .tuple, .interval, .union, .matrix, .plusMinus: return true
        default: return false
        }
    }

    /// `a \pm b` → [a+b, a−b]; lists and sets → their (expanded) elements; anything else → itself.
    static func expandValues(_ e: MathExpr) -> [MathExpr] {
        switch e {
        case .list(let items), .set(let items): return items.flatMap(expandValues)
        default: return branches(e)
        }
    }

    /// Elements of an ordered answer (tuple, open interval, vector) when it has `count` of them.
    static func sequenceItems(_ e: MathExpr, count: Int) -> [MathExpr]? {
        switch e {
        case .tuple(let items), .list(let items): return items
        case .interval(let lo, let hi, false, false): return [lo, hi]
        case .matrix(let rows) where rows.count == 1 || rows.allSatisfy({ $0.count == 1 }): return rows.flatMap { $0 }
        default: return nil
        }
    }

    static func ordered(_ answer: [MathExpr]?, _ gold: [MathExpr], rule: String, budget: MathBudget) -> MathVerdict {
        guard let answer, answer.count == gold.count else { return MathVerdict(equal: false, rule: rule) }
        for (x, y) in zip(answer, gold) where !compare(x, y, budget: budget).equal {
            return MathVerdict(equal: false, rule: rule)
        }
        return MathVerdict(equal: true, rule: rule)
    }

    /// Set match (as Math-Verify's finite sets): every answer element equals some gold element and
    /// every gold element some answer element; a value written twice counts once.
    static func unordered(_ answer: [MathExpr], _ gold: [MathExpr], rule: String, budget: MathBudget) -> MathVerdict {
        guard !answer.isEmpty, !gold.isEmpty, answer.count <= 256, gold.count <= 256 else {
            return MathVerdict(equal: false, rule: rule)
        }
        var matched = [Bool](repeating: false, count: gold.count)
        for x in answer {
            var found = false
            for j in gold.indices where compare(x, gold[j], budget: budget).equal {
                matched[j] = true
                found = true
            }
            guard found else { return MathVerdict(equal: false, rule: rule) }
        }
        return MathVerdict(equal: matched.allSatisfy { $0 }, rule: rule)
    }

    static func baseValue(_ digits: String, _ base: Int) -> Rational? {
        var acc = 0
        for c in digits {
            guard let d = c.hexDigitValue, d < base, let m = Rational.mul(acc, base), let s = Rational.add(m, d) else {
                return nil
            }
            acc = s
        }
        return Rational(acc)
    }

    static func compareBaseNumeral(_ answer: MathExpr, digits: String, base: Int) -> MathVerdict {
        switch answer {
        case .baseNumeral(let d, let b):
            let same =
                (d.lowercased() == digits.lowercased() && b == base)
                || (baseValue(d, b) != nil && baseValue(d, b) == baseValue(digits, base))
            return MathVerdict(equal: same, rule: "base numeral")
        case .number(let r) where r.isInteger:
            return MathVerdict(equal: String(r.numerator) == digits.lowercased(), rule: "base numeral digits")
        default:
            return MathVerdict(equal: false, rule: "base numeral")
        }
    }
}
