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

    static func compare(_ answer: MathExpr, _ gold: MathExpr, budget: MathBudget) -> MathVerdict {
        guard budget.spend() else { return MathVerdict(equal: false, rule: "limit") }
        if case .text = gold { return textVerdict(answer, gold) }
        if case .text = answer { return textVerdict(answer, gold) }
        if let verdict = compareEquations(answer, gold, budget: budget) { return verdict }
        if isPlusMinus(answer) || isPlusMinus(gold) {
            return unordered(expandValues(answer), expandValues(gold), rule: "set (unordered)", budget: budget)
        }
        switch gold {
        case .list, .set:
            guard isUnorderedCollection(answer) else { return MathVerdict(equal: false, rule: "set (unordered)") }
            return unordered(expandValues(answer), expandValues(gold), rule: "set (unordered)", budget: budget)
        case .tuple(let items):
            return ordered(sequenceItems(answer, count: items.count), items, rule: "tuple", budget: budget)
        case .interval(let lo, let hi, let loClosed, let hiClosed):
            switch answer {
            case .interval(let alo, let ahi, let aloClosed, let ahiClosed):
                guard aloClosed == loClosed, ahiClosed == hiClosed else { return MathVerdict(equal: false, rule: "interval") }
                return ordered([alo, ahi], [lo, hi], rule: "interval", budget: budget)
            case .tuple(let items) where !loClosed && !hiClosed:
                return ordered(items, [lo, hi], rule: "interval", budget: budget)
            default:
                return MathVerdict(equal: false, rule: "interval")
            }
        case .union(let parts):
            guard case .union(let answerParts) = answer else { return MathVerdict(equal: false, rule: "interval union") }
            return unordered(answerParts, parts, rule: "interval union", budget: budget)
        case .matrix(let rows):
            if case .matrix(let answerRows) = answer {
                guard answerRows.count == rows.count, answerRows.first?.count == rows.first?.count else {
                    return MathVerdict(equal: false, rule: "matrix")
                }
                return ordered(answerRows.flatMap { $0 }, rows.flatMap { $0 }, rule: "matrix", budget: budget)
            }
            guard rows.count == 1 || rows.allSatisfy({ $0.count == 1 }) else { return MathVerdict(equal: false, rule: "matrix") }
            let entries = rows.flatMap { $0 }
            return ordered(sequenceItems(answer, count: entries.count), entries, rule: "vector", budget: budget)
        case .baseNumeral(let digits, let base):
            return compareBaseNumeral(answer, digits: digits, base: base)
        default:
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

    static func compareUnbudgeted(answer: String, gold: String, budget: MathBudget) throws(MathParseError) -> MathVerdict {
        let limit = MathTokenizer.maxLength
        guard answer.unicodeScalars.count <= limit, gold.unicodeScalars.count <= limit else {
            _ = try MathParser.parse(answer)  // throws "answer longer than …" for an over-long answer
            return MathVerdict(equal: false, rule: "text (gold too long)")
        }
        guard let goldExpr = try? MathParser.parse(gold) else {
            return MathVerdict(equal: TextNormalizer.normalize(answer) == TextNormalizer.normalize(gold), rule: "text (gold not parsed)")
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

    static func isVariable(_ e: MathExpr) -> Bool {
        if case .symbol(let s) = e { return !ScalarComparison.constants.contains(s) }
        return false
    }

    /// Equation rules; nil when neither side is an equation.
    static func compareEquations(_ a: MathExpr, _ g: MathExpr, budget: MathBudget) -> MathVerdict? {
        func rhs(_ v: MathVerdict) -> MathVerdict { MathVerdict(equal: v.equal, rule: "equation rhs") }
        switch (a, g) {
        case (.equation(let al, let ar), .equation(let gl, let gr)):
            if isVariable(al), al == gl { return rhs(compare(ar, gr, budget: budget)) }
            if isVariable(ar), ar == gr { return rhs(compare(al, gl, budget: budget)) }
            if isVariable(al), al == gr { return rhs(compare(ar, gl, budget: budget)) }
            if isVariable(ar), ar == gl { return rhs(compare(al, gr, budget: budget)) }
            let f = MathExpr.sum([al, .negation(ar)])
            let h = MathExpr.sum([gl, .negation(gr)])
            return MathVerdict(equal: ScalarComparison.proportional(f, h, budget: budget), rule: "equation (proportional)")
        case (.equation(let l, let r), _):
            if isVariable(l) { return rhs(compare(r, g, budget: budget)) }
            if isVariable(r) { return rhs(compare(l, g, budget: budget)) }
            return MathVerdict(equal: false, rule: "equation rhs")
        case (_, .equation(let l, let r)):
            if isVariable(l) { return rhs(compare(a, r, budget: budget)) }
            if isVariable(r) { return rhs(compare(a, l, budget: budget)) }
            return MathVerdict(equal: false, rule: "equation rhs")
        default:
            return nil
        }
    }

    static func isPlusMinus(_ e: MathExpr) -> Bool {
        if case .plusMinus = e { return true }
        return false
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
        case .plusMinus(let base, let delta): return [.sum([base, delta]), .sum([base, .negation(delta)])]
        case .list(let items), .set(let items): return items.flatMap(expandValues)
        default: return [e]
        }
    }

    /// Elements of an ordered answer (tuple, open interval, vector) when it has `count` of them.
    static func sequenceItems(_ e: MathExpr, count: Int) -> [MathExpr]? {
        switch e {
        case .tuple(let items): return items
        case .interval(let lo, let hi, false, false): return [lo, hi]
        case .matrix(let rows) where rows.count == 1 || rows.allSatisfy({ $0.count == 1 }): return rows.flatMap { $0 }
        default: return nil
        }
    }

    static func ordered(_ answer: [MathExpr]?, _ gold: [MathExpr], rule: String, budget: MathBudget) -> MathVerdict {
        guard let answer, answer.count == gold.count else { return MathVerdict(equal: false, rule: rule) }
        for (x, y) in zip(answer, gold) where !compare(x, y, budget: budget).equal { return MathVerdict(equal: false, rule: rule) }
        return MathVerdict(equal: true, rule: rule)
    }

    /// Multiset match: same size, each answer element matched to a distinct equal gold element.
    static func unordered(_ answer: [MathExpr], _ gold: [MathExpr], rule: String, budget: MathBudget) -> MathVerdict {
        guard answer.count == gold.count, answer.count <= 256 else { return MathVerdict(equal: false, rule: rule) }
        var used = [Bool](repeating: false, count: gold.count)
        for x in answer {
            guard let j = gold.indices.first(where: { !used[$0] && compare(x, gold[$0], budget: budget).equal }) else {
                return MathVerdict(equal: false, rule: rule)
            }
            used[j] = true
        }
        return MathVerdict(equal: true, rule: rule)
    }

    static func baseValue(_ digits: String, _ base: Int) -> Rational? {
        var acc = 0
        for c in digits {
            guard let d = c.hexDigitValue, d < base, let m = Rational.mul(acc, base), let s = Rational.add(m, d) else { return nil }
            acc = s
        }
        return Rational(acc)
    }

    static func compareBaseNumeral(_ answer: MathExpr, digits: String, base: Int) -> MathVerdict {
        switch answer {
        case .baseNumeral(let d, let b):
            let same = (d.lowercased() == digits.lowercased() && b == base)
                || (baseValue(d, b) != nil && baseValue(d, b) == baseValue(digits, base))
            return MathVerdict(equal: same, rule: "base numeral")
        case .number(let r) where r.isInteger:
            return MathVerdict(equal: String(r.numerator) == digits.lowercased(), rule: "base numeral digits")
        default:
            return MathVerdict(equal: false, rule: "base numeral")
        }
    }
}
