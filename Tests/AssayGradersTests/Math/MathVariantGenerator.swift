import Foundation
@testable import AssayGraders

/// One rewritten answer: `kind` names the rewrite; `viaExtract` means the text is a whole model reply
/// that must go through `FinalAnswer.extract` first.
struct Variant: Sendable {
    var kind: String
    var text: String
    var viaExtract = false
}

/// Rewrites a gold answer into equivalent forms, mostly at the string level so the parser is exercised on
/// spellings it has not seen in the gold set.
enum VariantGenerator {
    static func variants(gold g: String, parsed: MathExpr) -> [Variant] {
        var out: [Variant] = []
        func add(_ kind: String, _ text: String, viaExtract: Bool = false) {
            if text != g || viaExtract { out.append(Variant(kind: kind, text: text, viaExtract: viaExtract)) }
        }
        add(
            "boxed in sentence", "We simplify step by step.\nTherefore the answer is $\\boxed{\(g)}$. Done.",
            viaExtract: true)
        add("final answer phrase", "Some work here.\nThe final answer is $\(g)$.", viaExtract: true)
        add("rendered round trip", LatexRenderer.render(parsed))
        add("display math reply", "Putting it together,\n$$\n\(g)\n$$\nwhich is the result", viaExtract: true)
        add("whitespace collapsed", collapseSpaces(g))

        if case .text(let t) = parsed {
            add("text: bare", t)
            add("text: upper", t.uppercased())
            add(
                "text: no parentheses",
                t.replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: ""))
            add("text: textbf", "\\textbf{\(t.lowercased())}")
            return out
        }
        if g.contains("\\frac") {
            add("dfrac", g.replacingOccurrences(of: "\\frac", with: "\\dfrac"))
            add("a/b", slashFractions(g))
        }
        if let k = g.range(of: "^\\circ") {
            let n = String(g[..<k.lowerBound])
            add("degree sign", n + "°")
            add("degree braces", n + "^{\\circ}")
            add("degrees word", n + " degrees")
            add("no degree mark", n)
        }
        if let decimal = decimalForm(parsed) { add("decimal", decimal) }
        if isPlainNumber(parsed), !g.contains("text"), !g.contains("mbox") {
            add("units", g + "\\text{ cm}")
            add("equation form", "x = " + g)
        }
        if case .number(let r) = parsed, r.isInteger, r.numerator.magnitude >= 1000 {
            let grouped = groupThousands(String(r.numerator.magnitude))
            let sign = r.numerator < 0 ? "-" : ""
            add("thousands ,\\!", sign + grouped.replacingOccurrences(of: ",", with: ",\\!"))
            add("thousands {,}", sign + grouped.replacingOccurrences(of: ",", with: "{,}"))
            add("thousands comma", sign + grouped)
            add("plain digits", "\(r.numerator)")
        }
        if let r = reorderedSum(g) { add("reordered terms", r) }
        if let c = commutedProduct(g) { add("commuted product", c) }
        if let s = radicalUnsimplified(parsed) { add("unsimplified radical", s) }
        if let s = scaledFraction(g) { add("unreduced fraction", s) }
        switch parsed {
        case .tuple, .interval, .union, .set, .matrix, .list:
            add(
                "comma spacing", g.replacingOccurrences(of: ", ", with: ",").replacingOccurrences(of: ",", with: " ,  ")
            )
        default: break
        }
        switch parsed {
        case .list(let items):
            add("reversed list", items.reversed().map(LatexRenderer.render).joined(separator: ", "))
            add("as set", "\\{" + g + "\\}")
            add("or-joined", items.map(LatexRenderer.render).joined(separator: " \\text{ or } "))
        case .set(let items):
            add("reversed set", "\\{" + items.reversed().map(LatexRenderer.render).joined(separator: ", ") + "\\}")
            add("bare list", items.reversed().map(LatexRenderer.render).joined(separator: ", "))
        case .plusMinus(let a, let b):
            let (sa, sb) = (LatexRenderer.render(a), LatexRenderer.wrapped(b, forSum: true))
            add("expanded ±", "\(sa) + \(sb), \(sa) - \(sb)")
            add("expanded ± set", "\\{\(sa) - \(sb), \(sa) + \(sb)\\}")
        case .equation(let l, let r):
            if MathEquivalence.isVariable(l) { add("rhs only", LatexRenderer.render(r)) }
            add("sides swapped", LatexRenderer.render(r) + " = " + LatexRenderer.render(l))
        case .matrix(let rows):
            add("bmatrix", g.replacingOccurrences(of: "pmatrix", with: "bmatrix"))
            if rows.allSatisfy({ $0.count == 1 }) {
                add("as tuple", "(" + rows.map { LatexRenderer.render($0[0]) }.joined(separator: ", ") + ")")
            }
        case .baseNumeral(let d, let b):
            add("braced base", "\(d)_{\(b)}")
            add("bare digits", d)
        case .interval(let lo, let hi, let lc, let hc):
            add("x in", "x \\in " + g)
            if ScalarComparison.infinitySign(hi) == 1 {
                add("inequality", "x " + (lc ? "\\ge " : "> ") + LatexRenderer.render(lo))
            }
            if ScalarComparison.infinitySign(lo) == -1 {
                add("inequality", "x " + (hc ? "\\le " : "< ") + LatexRenderer.render(hi))
            }
        default: break
        }
        if g.hasPrefix("\\left(") || g.hasPrefix("\\left[") {
            add(
                "plain brackets",
                g.replacingOccurrences(of: "\\left", with: "").replacingOccurrences(of: "\\right", with: ""))
        } else if g.hasPrefix("("), g.hasSuffix(")") || g.hasSuffix("]") {
            add("\\left \\right", "\\left(" + g.dropFirst().dropLast() + "\\right" + String(g.last ?? ")"))
        } else if !isUnorderedCollection(parsed), !g.contains(",") || g.contains(",\\!") {
            add("wrapped \\left( \\right)", "\\left( " + g + " \\right)")
        }
        return out
    }

    /// Removes spaces except where they end a command name before a letter (`\\cot x`).
    static func collapseSpaces(_ g: String) -> String {
        let s = Array(g)
        var out = ""
        for (k, c) in s.enumerated() {
            if c == " ", k > 0, k + 1 < s.count, !(s[k - 1].isLetter && s[k + 1].isLetter),
                !s[k + 1].isNumber || !s[k - 1].isLetter
            {
                continue
            }
            out.append(c)
        }
        return out
    }

    static func isPlainNumber(_ e: MathExpr) -> Bool {
        switch e {
        case .number, .decimal: return true
        case .negation(let x): return isPlainNumber(x)
        default: return false
        }
    }

    static func isUnorderedCollection(_ e: MathExpr) -> Bool {
        switch e {
        case .list, .plusMinus: return true
        default: return false
        }
    }

    /// A 10-significant-digit decimal for real, non-integer constants.
    static func decimalForm(_ e: MathExpr) -> String? {
        guard ScalarComparison.freeVariables(e).isEmpty, !MathEquivalence.isCollection(e) else { return nil }
        switch e {
        case .equation, .text, .baseNumeral: return nil
        default: break
        }
        if let q = ExactEvaluator.value(e)?.rational, q.isInteger { return nil }
        let v = NumericEvaluator(bindings: [:]).value(e)
        guard v.isReal, v.re.isFinite, v.re != 0 else { return nil }
        let magnitude = Int(floor(log10(abs(v.re))))
        let places = max(0, min(15, 9 - magnitude))
        return String(format: "%.\(places)f", v.re)
    }

    static func groupThousands(_ digits: String) -> String {
        var out = ""
        for (k, c) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out += "," }
            out.append(c)
        }
        return out
    }

    /// Reads one TeX argument starting at `i`: `{…}`, `\command`, or a single character.
    static func readArgument(_ s: [Character], _ i: Int) -> (String, Int)? {
        var i = i
        while i < s.count, s[i] == " " { i += 1 }
        guard i < s.count else { return nil }
        if s[i] == "{" {
            var depth = 0
            var j = i
            while j < s.count {
                if s[j] == "{" { depth += 1 }
                if s[j] == "}" { depth -= 1; if depth == 0 { return (String(s[(i + 1)..<j]), j + 1) } }
                j += 1
            }
            return nil
        }
        if s[i] == "\\" {
            var j = i + 1
            while j < s.count, s[j].isLetter { j += 1 }
            return (String(s[i..<j]), j)
        }
        return (String(s[i]), i + 1)
    }

    /// `\frac{A}{B}` → `(A)/(B)` everywhere (a mixed number `1\frac45` becomes `1+(4)/(5)`).
    static func slashFractions(_ g: String) -> String {
        let s = Array(g)
        var out = ""
        var i = 0
        while i < s.count {
            if String(s[i..<min(s.count, i + 5)]) == "\\frac", let (a, j) = readArgument(s, i + 5),
                let (b, k) = readArgument(s, j)
            {
                if let last = out.last(where: { $0 != " " }), last.isNumber { out += "+" }
                out += "(" + slashFractions(a) + ")/(" + slashFractions(b) + ")"
                i = k
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    /// Splits at top-level `+`/`-` and reverses the terms (each side of a single `=` separately).
    static func reorderedSum(_ g: String) -> String? {
        if ["\\pm", ",", "\\cup", "\\in", "\\text", "\\begin"].contains(where: { g.contains($0) }) { return nil }
        let sides = g.components(separatedBy: "=")
        guard sides.count <= 2 else { return nil }
        let reordered = sides.map { reverseTerms($0) ?? $0 }
        let result = reordered.joined(separator: "=")
        return result == g ? nil : result
    }

    static func reverseTerms(_ side: String) -> String? {
        var terms: [(sign: Character, body: String)] = []
        var depth = 0
        var current = ""
        var sign: Character = "+"
        var previous: Character = "("
        for c in side {
            if "{([".contains(c) { depth += 1 }
            if "})]".contains(c) { depth -= 1 }
            if depth == 0, c == "+" || c == "-", !"^_({[=".contains(previous) {
                if !current.trimmingCharacters(in: .whitespaces).isEmpty { terms.append((sign, current)) }
                sign = c
                current = ""
            } else {
                current.append(c)
            }
            if c != " " { previous = c }
        }
        terms.append((sign, current))
        guard terms.count >= 2 else { return nil }
        var out = ""
        for (k, t) in terms.reversed().enumerated() {
            let body = t.body.trimmingCharacters(in: .whitespaces)
            out += k == 0 ? (t.sign == "-" ? "-" : "") + body : " \(t.sign) " + body
        }
        return out
    }

    /// `3\sqrt{13}` → `\sqrt{13} \cdot 3`, `2k` → `k \cdot 2` (leading integer coefficient, no top-level sum).
    static func commutedProduct(_ g: String) -> String? {
        let digits = g.prefix(while: \.isNumber)
        let rest = g.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, !rest.isEmpty, let f = rest.first, f.isLetter || f == "\\",
            !rest.hasPrefix("\\frac"), !rest.hasPrefix("\\text"), !rest.hasPrefix("\\mbox"), !rest.hasPrefix("^"),
            !rest.contains("+"), !rest.contains("-"), !rest.contains("\\pm"), !rest.hasPrefix("\\$")
        else { return nil }
        return rest + " \\cdot " + digits
    }

    /// `c\sqrt{n}` → `\sqrt{c²n}` for a positive single radical term.
    static func radicalUnsimplified(_ e: MathExpr) -> String? {
        guard let v = ExactEvaluator.value(e), v.terms.count == 1, let (n, c) = v.terms.first, n > 1,
            c.isInteger, c.numerator > 1,
            let inside = Rational.mul(c.numerator, c.numerator).flatMap({ Rational.mul($0, n) })
        else { return nil }
        return "\\sqrt{\(inside)}"
    }

    /// `\frac{a}{b}` (whole answer, integer parts) → `\frac{3a}{3b}`.
    static func scaledFraction(_ g: String) -> String? {
        var body = g
        var sign = ""
        if body.hasPrefix("-") { sign = "-"; body.removeFirst() }
        for prefix in ["\\frac", "\\dfrac"] where body.hasPrefix(prefix) {
            let s = Array(body)
            guard let (a, j) = readArgument(s, prefix.count), let (b, k) = readArgument(s, j), k == s.count,
                let x = Int(a), let y = Int(b)
            else { return nil }
            return sign + "\\frac{\(3 * x)}{\(3 * y)}"
        }
        return nil
    }
}
