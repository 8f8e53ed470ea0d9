/// Literal helpers: numbers, `\text{}` contents, inequalities and intervals.
extension MathTokenParser {
    /// `"12"` → exact integer, `"0.25"` → decimal literal, a literal beyond `Int` → `real`.
    static func numberExpression(_ text: String) -> MathExpr {
        if let dot = text.firstIndex(of: ".") {
            let literal = DecimalLiteral(
                intPart: String(text[..<dot]), fracPart: String(text[text.index(after: dot)...]))
            return .decimal(literal)
        }
        if let n = Int(text), let r = Rational(n) { return .number(r) }
        return .real(Double(text) ?? .infinity)
    }

    /// Whether a `\text{…}` is a list separator ("or", "and").
    static func isSeparatorText(_ t: String) -> Bool {
        ["or", "and", ","].contains(t.trimmingMathSpaces.lowercased())
    }

    /// Whether a leading `\text{…}` is a label to skip: it ends with `:` or `=`, or mentions "answer".
    static func isLabelText(_ t: String) -> Bool {
        let trimmed = t.trimmingMathSpaces
        return trimmed.hasSuffix(":") || trimmed.hasSuffix("=") || trimmed.lowercased().contains("answer")
    }

    /// A whole `\text{…}` answer: a single letter (`\mathrm{e}`) is a symbol; contents that start like a
    /// number, have no backslash, and parse to a constant (`\text{5 cm}`, `\text{12}`) are that value;
    /// anything else is words.
    static func textExpression(_ raw: String) -> MathExpr {
        let t = raw.trimmingMathSpaces
        guard !t.contains("\\"), let tokens = try? MathTokenizer.tokenize(t) else { return .text(t) }
        if tokens.count == 1, case .word(let w) = tokens[0].kind, w.count == 1 { return .symbol(w) }
        guard let first = t.first, first.isNumber || first == "." || first == "-" || first == "+" else {
            return .text(t)
        }
        var parser = MathTokenParser(tokens: tokens)
        if let e = try? parser.parseTop(), ScalarComparison.freeVariables(e).isEmpty {
            switch e {
            case .text, .list: break
            default: return e
            }
        }
        return .text(t)
    }

    /// A two-element tuple inside a union is the open interval it denotes.
    static func asInterval(_ e: MathExpr) -> MathExpr {
        if case .tuple(let items) = e, items.count == 2 {
            return .interval(lower: items[0], upper: items[1], lowerClosed: false, upperClosed: false)
        }
        return e
    }

    /// `x > 2` → (2, ∞); `x \le 5` → (-∞, 5]; `-2 \le x < 7` → [-2, 7). Other inequalities are rejected.
    static func inequalityInterval(_ operands: [MathExpr], _ ops: [String]) throws(MathParseError) -> MathExpr {
        /// `f(x)` between two bounds: the values it takes (`0 < f(x) < 1` is (0, 1)).
        func isName(_ e: MathExpr) -> Bool { e.isName }
        func isVariable(_ e: MathExpr) -> Bool { e.isVariable }
        func less(_ op: String) -> (Bool, closed: Bool)? {
            switch op {
            case "<", "lt": return (true, false)
            case "le", "leq", "leqslant": return (true, true)
            case ">", "gt": return (false, false)
            case "ge", "geq", "geqslant": return (false, true)
            default: return nil
            }
        }
        let infinity = MathExpr.symbol("infinity")
        let minusInfinity = MathExpr.negation(infinity)
        // `-x > -1` is `x < 1`.
        if operands.count == 2, case .negation(let inner) = operands[0], isVariable(inner), let op = ops.first,
            less(op) != nil
        {
            let flipped = [
                "<": ">", "lt": ">", ">": "<", "gt": "<", "le": "ge", "leq": "ge", "leqslant": "ge", "ge": "le",
                "geq": "le", "geqslant": "le",
            ]
            return try inequalityInterval([inner, .negation(operands[1])], [flipped[op] ?? op])
        }
        // `1 \le |z| \le 3/2`: two intervals, mirrored, when the lower bound is a non-negative number.
        if operands.count == 3, case .function("abs", let inner) = operands[1], inner.count == 1, isVariable(inner[0]),
            let (l1, c1) = less(ops[0]), let (l2, c2) = less(ops[1]), l1, l2, case .number(let low) = operands[0],
            low.numerator >= 0
        {
            return .union([
                .interval(
                    lower: .negation(operands[2]), upper: .negation(operands[0]), lowerClosed: c2, upperClosed: c1),
                .interval(lower: operands[0], upper: operands[2], lowerClosed: c1, upperClosed: c2),
            ])
        }
        if operands.count == 2, let (isLess, closed) = less(ops[0]) {
            if isVariable(operands[0]) {  // x < b  or  x > b
                return isLess
                    ? .interval(lower: minusInfinity, upper: operands[1], lowerClosed: false, upperClosed: closed)
                    : .interval(lower: operands[1], upper: infinity, lowerClosed: closed, upperClosed: false)
            }
            if isVariable(operands[1]) {  // a < x  or  a > x
                return isLess
                    ? .interval(lower: operands[0], upper: infinity, lowerClosed: closed, upperClosed: false)
                    : .interval(lower: minusInfinity, upper: operands[0], lowerClosed: false, upperClosed: closed)
            }
        }
        if operands.count == 3, isVariable(operands[1]) || isName(operands[1]), let (l1, c1) = less(ops[0]),
            let (l2, c2) = less(ops[1]), l1 == l2
        {
            return l1
                ? .interval(lower: operands[0], upper: operands[2], lowerClosed: c1, upperClosed: c2)
                : .interval(lower: operands[2], upper: operands[0], lowerClosed: c2, upperClosed: c1)
        }
        throw MathParseError(reason: "unsupported inequality")
    }
}
