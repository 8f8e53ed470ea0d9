/// A compact, unambiguous infix rendering for logs and test failures, e.g. `(3 + (-(x)))`.
extension MathExpr: CustomStringConvertible {
    public var description: String {
        switch self {
        case .number(let r): return r.description
        case .decimal(let d): return d.text
        case .real(let x): return "\(x)"
        case .symbol(let s): return s
        case .sum(let items): return "(" + items.map(\.description).joined(separator: " + ") + ")"
        case .negation(let x): return "-(\(x))"
        case .product(let items): return "(" + items.map(\.description).joined(separator: " * ") + ")"
        case .quotient(let a, let b): return "(\(a) / \(b))"
        case .power(let a, let b): return "(\(a))^(\(b))"
        case .root(let a, let k): return "root[\(k)](\(a))"
        case .function(let name, let args): return name + "(" + args.map(\.description).joined(separator: ", ") + ")"
        case .tuple(let items): return "tuple(" + items.map(\.description).joined(separator: ", ") + ")"
        case .interval(let lo, let hi, let lc, let hc): return (lc ? "[" : "(") + "\(lo), \(hi)" + (hc ? "]" : ")")
        case .union(let items): return items.map(\.description).joined(separator: " U ")
        case .set(let items): return "{" + items.map(\.description).joined(separator: ", ") + "}"
        case .list(let items): return "list(" + items.map(\.description).joined(separator: ", ") + ")"
        case .matrix(let rows):
            return "matrix(" + rows.map { $0.map(\.description).joined(separator: " & ") }.joined(separator: "; ") + ")"
        case .equation(let l, let r): return "\(l) = \(r)"
        case .plusMinus(let a, let b): return "(\(a) ± \(b))"
        case .text(let t): return "text(\"\(t)\")"
        case .baseNumeral(let d, let b): return "\(d)_\(b)"
        }
    }
}
