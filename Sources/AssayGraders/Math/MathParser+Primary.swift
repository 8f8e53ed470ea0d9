/// Primaries: literals, variables, LaTeX commands, brackets, sets and matrices.
extension MathTokenParser {
    static let functionNames: Set<String> = [
        "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "log",
        "ln", "lg", "exp",
    ]
    static let fracCommands: Set<String> = ["frac", "dfrac", "tfrac", "cfrac"]
    static let summation = "sum over"
    static let repeatedProduct = "product over"
    static let greek: Set<String> = [
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
        "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi",
        "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega",
    ]
    /// Commands that only decorate their argument (`\mathbf{v}` is just `v`).
    static let transparentCommands: Set<String> = [
        "mathbf", "boldsymbol", "bm", "mathit", "mathbb", "mathcal", "vec", "overline", "overrightarrow", "hat",
        "bar", "tilde", "underline", "mathnormal", "pmb",
    ]

    mutating func parsePrimary() throws(MathParseError) -> MathExpr {
        try enter()
        defer { leave() }
        // A leading label such as `\text{Area: } 12` or `\text{Answer} = 12` is ignored.
        while case .text(let t) = kind, pos + 1 < tokens.count, MathTokenParser.isLabelText(t),
            MathTokenParser.startsFactor(tokens[pos + 1].kind) || tokens[pos + 1].kind == .setOpen
        {
            advance()
        }
        guard let token = current else { throw unexpected() }
        switch token.kind {
        case .number(let text):
            advance()
            return try parseNumberTail(text)
        case .word(let w):
            return try parseWord(w)
        case .command(let c):
            advance()
            return try parseCommand(c)
        case .text(let t):
            advance()
            return MathTokenParser.textExpression(t)
        case .begin(let env):
            advance()
            return try parseMatrix(env)
        case .punct("("), .punct("["):
            return try parseBracketed()
        case .punct("{"):
            advance()
            let items = try parseCommaList()
            try expectPunct("}")
            return items.count == 1 ? items[0] : .list(items)
        case .setOpen:
            advance()
            if kind == .setClose { advance(); return .set([]) }
            let items = try parseCommaList()
            guard kind == .setClose else { throw unexpected(expecting: "\\}") }
            advance()
            return .set(items)
        case .punct("|"):
            advance()
            let inner = try parseSum()
            try expectPunct("|")
            return .function("abs", [inner])
        default:
            throw unexpected()
        }
    }

    /// After a number literal: base subscript (`52_8`), mixed number (`2\frac{1}{3}` = 7/3), or the value.
    mutating func parseNumberTail(_ text: String) throws(MathParseError) -> MathExpr {
        let value = MathTokenParser.numberExpression(text)
        if isPunct("_"), !text.contains(".") {
            advance()
            let base = try parseSubscriptText()
            guard let b = Int(base), (2...36).contains(b) else {
                throw MathParseError(reason: "bad numeral base '\(base)'")
            }
            guard text.allSatisfy({ ($0.hexDigitValue ?? 99) < b }) else {
                throw MathParseError(reason: "digit not valid in base \(b): \(text)")
            }
            return .baseNumeral(digits: text, base: b)
        }
        if case .number(let whole) = value, isCommand(MathTokenParser.fracCommands) {
            advance()
            let fraction = try parseFraction()
            if case .quotient(.number(let a), .number(let b)) = fraction, a.isInteger, b.isInteger,
                a.numerator >= 0, b.numerator > 0, whole.numerator >= 0
            {
                return .sum([value, fraction])  // mixed number
            }
            return .product([value, fraction])
        }
        return value
    }

    mutating func parseFraction() throws(MathParseError) -> MathExpr {
        let numerator = try parseScriptArgument()
        let denominator = try parseScriptArgument()
        return .quotient(numerator, denominator)
    }

    /// Letters: a function name written without backslash, `pi`, or single-letter variables (`xy` = x·y).
    mutating func parseWord(_ w: String) throws(MathParseError) -> MathExpr {
        for name in [
            "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "sqrt", "sin", "cos", "tan", "cot", "sec",
            "csc", "log", "ln", "exp", "pi",
        ] where w.hasPrefix(name) {
            consumePrefix(of: w, count: name.count)
            return try parseCommand(name)
        }
        if w == "infinity" || w == "inf" { advance(); return .symbol("infinity") }
        consumePrefix(of: w, count: 1)
        var name = String(w.prefix(1))
        if isPunct("_") {
            advance()
            name += "_" + (try parseSubscriptText())
        }
        return .symbol(name)
    }

    /// Consumes the first `count` characters of the current word token, leaving the rest as a token.
    mutating func consumePrefix(of w: String, count: Int) {
        if w.count > count {
            tokens[pos] = MathToken(kind: .word(String(w.dropFirst(count))), spaceBefore: false)
        } else {
            advance()
        }
    }

    mutating func parseCommand(_ c: String) throws(MathParseError) -> MathExpr {
        if MathTokenParser.fracCommands.contains(c) { return try parseFraction() }
        if MathTokenParser.functionNames.contains(c) { return try parseFunction(c == "lg" ? "log" : c) }
        if MathTokenParser.greek.contains(c) { return .symbol(c.hasPrefix("var") ? String(c.dropFirst(3)) : c) }
        if MathTokenParser.transparentCommands.contains(c) { return try parseScriptArgument() }
        switch c {
        case "sqrt":
            var index = MathExpr.number(Rational(2) ?? .one)
            if isPunct("[") {
                advance()
                index = try parseSum()
                try expectPunct("]")
            }
            return .root(try parseScriptArgument(), index: index)
        case "binom", "dbinom", "tbinom":
            return .function("binom", [try parseScriptArgument(), try parseScriptArgument()])
        case "pi", "varpi": return .symbol("pi")
        case "infty", "infinity": return .symbol("infinity")
        case "imath": return .symbol("i")
        case "emptyset", "varnothing": return .set([])
        case "lfloor", "lceil":
            let inner = try parseSum()
            guard isCommand(c == "lfloor" ? ["rfloor"] : ["rceil"]) else {
                throw unexpected(expecting: "closing bracket")
            }
            advance()
            return .function(c == "lfloor" ? "floor" : "ceil", [inner])
        case "sum", "prod":
            // `\sum_{k=0}^{n-1} F_k F_{n-k-1}`: kept as written (bounds and body), compared part by part.
            var lower = MathExpr.text("")
            var upper = MathExpr.text("")
            if isPunct("_") {
                advance()
                if isPunct("{") {
                    advance()
                    lower = try parseRelation()
                    try expectPunct("}")
                } else {
                    lower = try parseScriptArgument()
                }
            }
            if isPunct("^") {
                advance()
                upper = try parseScriptArgument()
            }
            return .function(
                c == "sum" ? MathTokenParser.summation : MathTokenParser.repeatedProduct,
                [lower, upper, try parseProduct()])
        default:
            throw MathParseError(reason: "unsupported command \\\(c)")
        }
    }

    /// `\sin x`, `\sin^2 x`, `\sin^{-1} x`, `\log_2 8`, `\ln(x+1)`. Without brackets the argument is the
    /// juxtaposed product that follows (`\sin 2x` = sin(2x)), stopping at the next function.
    mutating func parseFunction(_ name: String) throws(MathParseError) -> MathExpr {
        var name = name
        var exponent: MathExpr?
        var base: MathExpr?
        for _ in 0..<2 {
            if isPunct("^") {
                advance()
                let e = try parseScriptArgument()
                if e == .negation(.number(.one)), ["sin", "cos", "tan"].contains(name) {
                    name = "arc" + name
                } else {
                    exponent = e
                }
            } else if isPunct("_"), name == "log" {
                advance()
                base = try parseScriptArgument()
            }
        }
        var argument: MathExpr
        if isPunct("(") {
            argument = try parseBracketed()
        } else {
            var factors = [try parsePower()]
            while startsImplicitFactor, !isPunct("("), !isFunctionStart { factors.append(try parsePower()) }
            argument = factors.count == 1 ? factors[0] : .product(factors)
        }
        var result = MathExpr.function(name, base.map { [$0, argument] } ?? [argument])
        if let e = exponent { result = .power(result, e) }
        return result
    }

    var isFunctionStart: Bool {
        switch kind {
        case .command(let c): return MathTokenParser.functionNames.contains(c)
        case .word(let w): return MathTokenParser.functionNames.contains(where: { w.hasPrefix($0) })
        default: return false
        }
    }

    /// One TeX argument: `{…}`, a single digit (`\frac43`), a single letter, a command, `-arg`, or `(…)`.
    mutating func parseScriptArgument() throws(MathParseError) -> MathExpr {
        guard let token = current else { throw unexpected() }
        try enter()
        defer { leave() }
        switch token.kind {
        case .punct("{"):
            advance()
            let inner = try parseSum()
            try expectPunct("}")
            return inner
        case .number(let text):
            guard text.count > 1, !text.hasPrefix(".") else { advance(); return MathTokenParser.numberExpression(text) }
            tokens[pos] = MathToken(kind: .number(String(text.dropFirst())), spaceBefore: false)
            return MathTokenParser.numberExpression(String(text.prefix(1)))
        case .word(let w):
            consumePrefix(of: w, count: 1)
            return .symbol(String(w.prefix(1)))
        case .command(let c):
            advance()
            return try parseCommand(c)
        case .punct("-"):
            advance()
            return .negation(try parseScriptArgument())
        case .punct("("):
            return try parseBracketed()
        default:
            throw unexpected()
        }
    }

    /// The raw text of a subscript: `_8`, `_{10}`, `_n`, `_{n+1}`.
    mutating func parseSubscriptText() throws(MathParseError) -> String {
        guard let token = current else { throw unexpected() }
        advance()
        switch token.kind {
        case .number(let n): return n
        case .word(let w): return w
        case .command(let c): return c
        case .punct("{"):
            var parts: [String] = []
            while let k = kind, k != .punct("}") {
                parts.append(k.display)
                advance()
            }
            try expectPunct("}")
            return parts.joined()
        default:
            throw MathParseError(reason: "bad subscript '\(token.kind.display)'")
        }
    }
}
