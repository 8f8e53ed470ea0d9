@testable import AssayGraders

/// Renders a `MathExpr` back to LaTeX (test helper: round-trip variants and structural perturbations).
enum LatexRenderer {
    static let greek: Set<String> = MathTokenParser.greek

    static func render(_ e: MathExpr) -> String {
        switch e {
        case .number(let r): return r.isInteger ? "\(r.numerator)" : "\\frac{\(r.numerator)}{\(r.denominator)}"
        case .decimal(let d): return d.text
        case .real(let x): return "\(x)"
        case .symbol(let s):
            switch s {
            case "pi": return "\\pi"
            case "infinity": return "\\infty"
            default:
                if greek.contains(s) { return "\\" + s }
                if let u = s.firstIndex(of: "_") { return s[..<u] + "_{" + s[s.index(after: u)...] + "}" }
                return s
            }
        case .sum(let items):
            var out = ""
            for (k, item) in items.enumerated() {
                if case .negation(let inner) = item {
                    out += (k == 0 ? "-" : " - ") + wrapped(inner, forSum: true)
                } else {
                    out += (k == 0 ? "" : " + ") + render(item)
                }
            }
            return out
        case .negation(let x): return "-" + wrapped(x, forSum: true)
        case .product(let items): return items.map { wrapped($0, forSum: true) }.joined(separator: " \\cdot ")
        case .quotient(let a, let b): return "\\frac{\(render(a))}{\(render(b))}"
        case .power(let b, let x): return "{" + wrapped(b, forSum: false) + "}^{" + render(x) + "}"
        case .root(let x, let k):
            if k == .number(Rational(2) ?? .one) { return "\\sqrt{\(render(x))}" }
            return "\\sqrt[\(render(k))]{\(render(x))}"
        case .function(let name, let args):
            switch (name, args.count) {
            case ("abs", 1): return "\\left|" + render(args[0]) + "\\right|"
            case ("factorial", 1): return "\\left(" + render(args[0]) + "\\right)!"
            case ("binom", 2): return "\\binom{\(render(args[0]))}{\(render(args[1]))}"
            case ("floor", 1): return "\\lfloor " + render(args[0]) + " \\rfloor"
            case ("ceil", 1): return "\\lceil " + render(args[0]) + " \\rceil"
            case ("log", 2): return "\\log_{\(render(args[0]))}\\left(\(render(args[1]))\\right)"
            default: return "\\" + name + "\\left(" + args.map(render).joined(separator: ", ") + "\\right)"
            }
        case .tuple(let items): return "\\left(" + items.map(render).joined(separator: ", ") + "\\right)"
        case .interval(let lo, let hi, let lc, let hc):
            return (lc ? "\\left[" : "\\left(") + render(lo) + ", " + render(hi) + (hc ? "\\right]" : "\\right)")
        case .union(let parts): return parts.map(render).joined(separator: " \\cup ")
        case .set(let items): return "\\{" + items.map(render).joined(separator: ", ") + "\\}"
        case .list(let items): return items.map(render).joined(separator: ", ")
        case .matrix(let rows):
            return "\\begin{pmatrix} "
                + rows.map { $0.map(render).joined(separator: " & ") }.joined(separator: " \\\\ ")
                + " \\end{pmatrix}"
        case .equation(let l, let r): return render(l) + " = " + render(r)
        case .plusMinus(let a, let b): return render(a) + " \\pm " + wrapped(b, forSum: true)
        case .text(let t): return "\\text{\(t)}"
        case .baseNumeral(let d, let b): return "\(d)_{\(b)}"
        }
    }

    /// Parenthesizes anything that is not atomic in the given context.
    static func wrapped(_ e: MathExpr, forSum: Bool) -> String {
        switch e {
        case .number(let r) where r.isInteger && r.numerator >= 0: return render(e)
        case .decimal, .symbol, .root, .quotient, .function, .baseNumeral: return render(e)
        case .power where forSum: return render(e)
        default: return "\\left(" + render(e) + "\\right)"
        }
    }
}
