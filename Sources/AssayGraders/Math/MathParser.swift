/// Parses LaTeX or plain-text final answers into `MathExpr`.
///
/// Grammar, loosest binding first: comma list → relation (`=`, `\in`, `<`, `\le`, …) → union (`\cup`) →
/// sum (`+`, `-`, `\pm`) → product (`\cdot`, `\times`, `*`, `/`, `\div`, juxtaposition) → unary sign →
/// power (`^`, `^\circ` dropped, postfix `!`) → primary (numbers, letters, commands, brackets).
/// Nesting is limited to `maxDepth` so hostile input cannot exhaust the stack.
public enum MathParser {
    /// Parses one answer. Throws with a human-readable reason when the text is not a recognisable answer.
    public static func parse(_ source: String) throws(MathParseError) -> MathExpr {
        var parser = MathTokenParser(tokens: try MathTokenizer.tokenize(source))
        return try parser.parseTop()
    }
}

/// Unit words dropped when they follow a value after a space (`5 cm`, `12 square feet`).
let unitWords: Set<String> = [
    "cm", "mm", "km", "inch", "inches", "ft", "feet", "foot", "yd", "yard", "yards", "mi", "mile",
    "miles", "meter", "meters", "metre", "metres", "centimeter", "centimeters", "kilometer", "kilometers",
    "unit", "units", "sq", "square", "cubic", "degree", "degrees", "deg", "cent", "cents", "dollar", "dollars",
    "hour", "hours", "hr", "hrs", "minute", "minutes", "second", "seconds", "day", "days", "week",
    "weeks", "year", "years", "month", "months", "mph", "kg", "lb", "lbs", "pound", "pounds", "ounce",
    "ounces", "oz", "liter", "liters", "gallon", "gallons", "people", "students", "ways", "points", "percent",
    "percentage", "pct",
]

struct MathTokenParser {
    static let maxDepth = 64

    var tokens: [MathToken]
    var pos = 0
    var depth = 0

    init(tokens: [MathToken]) { self.tokens = tokens }

    // MARK: token helpers

    var current: MathToken? { pos < tokens.count ? tokens[pos] : nil }
    var kind: MathToken.Kind? { current?.kind }

    func isPunct(_ c: Character) -> Bool { kind == .punct(c) }
    func isCommand(_ names: Set<String>) -> Bool {
        if case .command(let n) = kind { return names.contains(n) }
        return false
    }

    mutating func advance() { pos += 1 }

    mutating func expectPunct(_ c: Character) throws(MathParseError) {
        guard isPunct(c) else { throw unexpected(expecting: String(c)) }
        advance()
    }

    func unexpected(expecting: String? = nil) -> MathParseError {
        let found = kind.map { "'\($0.display)'" } ?? "end of answer"
        return MathParseError(reason: expecting.map { "expected '\($0)' but found \(found)" } ?? "unexpected \(found)")
    }

    mutating func enter() throws(MathParseError) {
        depth += 1
        guard depth <= MathTokenParser.maxDepth else {
            throw MathParseError(reason: "nesting deeper than \(MathTokenParser.maxDepth)")
        }
    }

    mutating func leave() { depth -= 1 }

    /// Whether the current token separates list items: `,`, or the words "or" / "and".
    var atListSeparator: Bool {
        switch kind {
        case .punct(","), .punct(";"): return true
        case .text(let t): return MathTokenParser.isSeparatorText(t)
        case .word(let w):
            // `(11,7)or(7,11)`: glued to a closing bracket, still a separator.
            return (w == "or" || w == "and")
                && (current?.spaceBefore == true
                    || (pos > 0 && [.punct(")"), .punct("]")].contains(tokens[pos - 1].kind)))
        default: return false
        }
    }

    // MARK: grammar

    mutating func parseTop() throws(MathParseError) -> MathExpr {
        guard !tokens.isEmpty else { throw MathParseError(reason: "empty answer") }
        if tokens.count == 1, case .text(let t) = tokens[0].kind { return MathTokenParser.textExpression(t) }
        // A trailing sentence period is common in model answers.
        if case .punct(".") = tokens.last?.kind { tokens.removeLast() }
        let items = try parseCommaList()
        guard current == nil else { throw unexpected() }
        return items.count == 1 ? items[0] : .list(items)
    }

    /// `item (sep item)*` where sep is `,` / "or" / "and".
    mutating func parseCommaList() throws(MathParseError) -> [MathExpr] {
        var groups: [[MathExpr]] = [[try parseRelation()]]
        while atListSeparator {
            while atListSeparator {  // `, and`, `, \text{ or }`
                if isPunct(";") && groups[groups.count - 1].count > 0 { groups.append([]) }
                advance()
            }
            groups[groups.count - 1].append(try parseRelation())
        }
        // `p=5,q=2;p=7,q=2`: each `;` group of assignments is one solution, the tuple of its values.
        if groups.count > 1, groups.allSatisfy({ $0.count > 1 && $0.allSatisfy(MathTokenParser.isAssignment) }) {
            return groups.map { group in
                .tuple(group.compactMap { if case .equation(_, let value) = $0 { value } else { nil } })
            }
        }
        return groups.flatMap { $0 }
    }

    static let relationCommands: Set<String> = [
        "in", "le", "leq", "ge", "geq", "lt", "gt", "leqslant", "geqslant", "neq", "ne", "approx",
    ]

    mutating func parseRelation() throws(MathParseError) -> MathExpr {
        try enter()
        defer { leave() }
        var operands = [try parseRatio()]
        var ops: [String] = []
        while true {
            if case .punct(let p) = kind, p == "=" || p == "<" || p == ">" {
                ops.append(String(p))
            } else if case .command(let c) = kind, MathTokenParser.relationCommands.contains(c) {
                ops.append(c)
            } else {
                break
            }
            advance()
            if ops.last == "<" || ops.last == ">", isPunct("=") {  // `<=`, `>=`
                advance()
                ops[ops.count - 1] = ops[ops.count - 1] == "<" ? "le" : "ge"
            }
            operands.append(try parseRatio())
            // `a \approx b`: the approximation adds nothing, except after a lone variable (`x \approx 11` says x = 11).
            if ops.last == "approx" {
                ops.removeLast()
                let value = operands.removeLast()
                if operands.count == 1, MathTokenParser.isVariable(operands[0]) {
                    ops.append("=")
                    operands.append(value)
                }
            }
        }
        guard let first = operands.first, let last = operands.last, !ops.isEmpty else { return operands[0] }
        if ops.allSatisfy({ $0 == "=" || $0 == "in" }) { return .equation(first, last) }
        if ops == ["neq"] || ops == ["ne"], MathTokenParser.isVariable(first) {
            // x ≠ a: every value but a.
            return .union([
                .interval(lower: .negation(.symbol("infinity")), upper: last, lowerClosed: false, upperClosed: false),
                .interval(lower: last, upper: .symbol("infinity"), lowerClosed: false, upperClosed: false),
            ])
        }
        if let interval = try? MathTokenParser.inequalityInterval(operands, ops) { return interval }
        return MathTokenParser.relation(operands, ops)
    }

    static func isAssignment(_ e: MathExpr) -> Bool {
        if case .equation(let name, _) = e { return isVariable(name) }
        return false
    }

    static func isVariable(_ e: MathExpr) -> Bool { e.isVariable }

    /// A relation that is not a set of values (`f(2) < f(1) < f(4)`), kept as written: the operators
    /// (`<` written for `\lt`, `\le` for `<=`…) and the operands, compared in order.
    static func relation(_ operands: [MathExpr], _ ops: [String]) -> MathExpr {
        let names = ops.map { op -> String in
            switch op {
            case "lt": "<"
            case "gt": ">"
            case "leq", "leqslant": "le"
            case "geq", "geqslant": "ge"
            case "ne": "neq"
            default: op
            }
        }
        return .function("relation " + names.joined(separator: " "), operands)
    }

    /// `a : b` (a ratio, `7:32`; a time, `12:00`), kept as its parts.
    mutating func parseRatio() throws(MathParseError) -> MathExpr {
        var parts = [try parseUnion()]
        while isPunct(":") || isCommand(["colon"]) {
            advance()
            parts.append(try parseUnion())
        }
        return parts.count == 1 ? parts[0] : .function(MathTokenParser.ratio, parts)
    }

    static let ratio = "ratio"

    mutating func parseUnion() throws(MathParseError) -> MathExpr {
        var parts = [try parseSum()]
        while isCommand(["cup"]) || isPlainTextUnion {
            advance()
            parts.append(try parseSum())
        }
        guard parts.count > 1 else { return parts[0] }
        return .union(parts.map(MathTokenParser.asInterval))
    }

    /// A plain-text union `(0,1) U (2,3)`: a spaced capital U directly followed by a bracket.
    var isPlainTextUnion: Bool {
        guard kind == .word("U"), current?.spaceBefore == true, pos + 1 < tokens.count else { return false }
        return tokens[pos + 1].kind == .punct("(") || tokens[pos + 1].kind == .punct("[")
    }

    /// `a + b - c`, with at most one `\pm`/`\mp`: `a \pm b + c` means `(a + c) ± b`.
    mutating func parseSum() throws(MathParseError) -> MathExpr {
        var terms: [MathExpr] = []
        var pmTerm: MathExpr?
        var first = true
        while true {
            var sign = 1
            var isPM = false
            if first {
                if isCommand(["pm", "mp"]) { isPM = true; advance() }
            } else if isPunct("+") {
                advance()
            } else if isPunct("-") {
                sign = -1
                advance()
            } else if isCommand(["pm", "mp"]) {
                isPM = true
                advance()
            } else {
                break
            }
            first = false
            let term = try parseProduct()
            if isPM {
                guard pmTerm == nil else { throw MathParseError(reason: "more than one \\pm in a sum") }
                pmTerm = term
            } else {
                terms.append(sign < 0 ? .negation(term) : term)
            }
        }
        let base: MathExpr = terms.count == 1 ? terms[0] : (terms.isEmpty ? .number(.zero) : .sum(terms))
        if let pm = pmTerm { return .plusMinus(base, pm) }
        return base
    }

    static let multiplyCommands: Set<String> = ["cdot", "times", "ast", "cdotp"]

    mutating func parseProduct() throws(MathParseError) -> MathExpr {
        var factors = [try parseUnary()]
        var nested = 0  // each `/` nests the tree one level deeper
        defer { for _ in 0..<nested { leave() } }
        while true {
            if isPunct("*") || isCommand(MathTokenParser.multiplyCommands) {
                advance()
                factors.append(try parseUnary())
            } else if isPunct("/") || isCommand(["div"]) {
                advance()
                try enter()
                nested += 1
                let divisor = try parseUnary()
                let dividend: MathExpr = factors.count == 1 ? factors[0] : .product(factors)
                factors = [.quotient(dividend, divisor)]
            } else if skipUnit() {
                continue
            } else if startsImplicitFactor && !atListSeparator {
                if case .number = kind, pos > 0, case .number = tokens[pos - 1].kind {
                    throw MathParseError(reason: "two numbers in a row")  // `10 080` is not 10 · 80
                }
                factors.append(try parsePower())
            } else {
                break
            }
        }
        return factors.count == 1 ? factors[0] : .product(factors)
    }

    /// Drops a unit after a value: `\text{ cm}`, `\mbox{ inches}^2`, or a known unit word after a space.
    mutating func skipUnit() -> Bool {
        guard !atListSeparator else { return false }
        switch kind {
        case .text:
            break
        case .word(let w) where current?.spaceBefore == true && unitWords.contains(w.lowercased()):
            break
        default:
            return false
        }
        advance()
        // `cm^2`, `\text{ cm}^{2}`
        if isPunct("^"), pos + 1 < tokens.count {
            if case .number = tokens[pos + 1].kind {
                pos += 2
            } else if tokens[pos + 1].kind == .punct("{"), pos + 3 < tokens.count, case .number = tokens[pos + 2].kind,
                tokens[pos + 3].kind == .punct("}")
            {
                pos += 4
            }
        }
        return true
    }

    /// Tokens that start a factor written by juxtaposition (`2x`, `3\sqrt2`, `(x+1)(x-2)`).
    var startsImplicitFactor: Bool { MathTokenParser.startsFactor(kind) }

    static func startsFactor(_ kind: MathToken.Kind?) -> Bool {
        switch kind {
        case .number, .word, .begin: return true
        case .punct(let p): return p == "(" || p == "{"
        case .command(let c): return !MathTokenParser.nonFactorCommands.contains(c)
        default: return false
        }
    }

    static let nonFactorCommands: Set<String> = [
        "cdot", "times", "ast", "cdotp", "div", "pm", "mp", "cup", "cap", "in", "le", "leq", "ge", "geq", "lt", "gt",
        "leqslant", "geqslant", "circ", "rfloor", "rceil", "to", "neq", "ne", "approx", "setminus", "cdots",
        "ldots", "dots", "colon", "mid",
    ]

    mutating func parseUnary() throws(MathParseError) -> MathExpr {
        if isPunct("-") {
            advance()
            try enter()
            defer { leave() }
            return .negation(try parseUnary())
        }
        if isPunct("+") {
            advance()
            return try parseUnary()
        }
        return try parsePower()
    }

    /// `base ^ exponent` (right-associative through braces), `^\circ` dropped, postfix `!`.
    mutating func parsePower() throws(MathParseError) -> MathExpr {
        var base = try parsePrimary()
        var nested = 0  // each `^` or `!` nests the tree one level deeper
        defer { for _ in 0..<nested { leave() } }
        while true {
            if isPunct("!") || isPunct("^") {
                try enter()
                nested += 1
            }
            if isPunct("!") {
                advance()
                base = .function("factorial", [base])
            } else if isPunct("^") {
                advance()
                if isCommand(["circ"]) { advance(); continue }
                if isPunct("{"), pos + 2 < tokens.count, tokens[pos + 1].kind == .command("circ"),
                    tokens[pos + 2].kind == .punct("}")
                {
                    pos += 3
                    continue
                }
                if isCommand(["prime"]) { throw MathParseError(reason: "primes are not supported") }
                base = .power(base, try parseScriptArgument())
            } else {
                return base
            }
        }
    }
}

extension String {
    var trimmingMathSpaces: String {
        var scalars = Substring(self)
        while let f = scalars.first, f.isWhitespace { scalars.removeFirst() }
        while let l = scalars.last, l.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
