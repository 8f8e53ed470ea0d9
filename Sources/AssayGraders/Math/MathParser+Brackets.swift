/// Bracketed structures: groups, tuples, intervals and matrices.
extension MathTokenParser {
    /// `( … )` or `[ … ]`: grouping, tuple, or interval (mixed brackets, or ∞ at an end, make an interval).
    mutating func parseBracketed() throws(MathParseError) -> MathExpr {
        let open: Character = isPunct("[") ? "[" : "("
        advance()
        let items = try parseCommaList()
        guard case .punct(let close) = kind, close == ")" || close == "]" else { throw unexpected(expecting: ")") }
        advance()
        switch items.count {
        case 1:
            guard (open == "(") == (close == ")") else {
                throw MathParseError(reason: "mismatched brackets around one value")
            }
            return items[0]
        case 2:
            if open == "(" && close == ")" && !items.contains(where: MathTokenParser.isInfinity) {
                return .tuple(items)
            }
            return .interval(lower: items[0], upper: items[1], lowerClosed: open == "[", upperClosed: close == "]")
        default:
            return .tuple(items)
        }
    }

    static func isInfinity(_ e: MathExpr) -> Bool {
        switch e {
        case .symbol("infinity"): return true
        case .negation(let inner): return isInfinity(inner)
        default: return false
        }
    }

    /// `\begin{pmatrix} a & b \\ c & d \end{pmatrix}` (also bmatrix, Bmatrix, matrix, smallmatrix, array).
    mutating func parseMatrix(_ env: String) throws(MathParseError) -> MathExpr {
        guard ["pmatrix", "bmatrix", "Bmatrix", "matrix", "smallmatrix", "array"].contains(env) else {
            throw MathParseError(reason: "unsupported environment \(env)")
        }
        if env == "array", isPunct("{") {  // column specification
            while let k = kind, k != .punct("}") { advance() }
            advance()
        }
        var rows: [[MathExpr]] = [[]]
        while true {
            if case .end(let e) = kind {
                guard e == env else { throw MathParseError(reason: "\\begin{\(env)} closed by \\end{\(e)}") }
                advance()
                break
            }
            rows[rows.count - 1].append(try parseSum())
            if isPunct("&") {
                advance()
            } else if kind == .rowSeparator {
                advance()
                rows.append([])
            } else if case .end = kind {
                continue
            } else {
                throw unexpected(expecting: "\\end{\(env)}")
            }
        }
        if rows.last?.isEmpty == true { rows.removeLast() }
        guard let width = rows.first?.count, width > 0, rows.allSatisfy({ $0.count == width }) else {
            throw MathParseError(reason: "matrix rows have different lengths")
        }
        return .matrix(rows)
    }
}
