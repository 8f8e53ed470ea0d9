/// The "text" rule: words compared case-insensitively after removing layout.
enum TextNormalizer {
    static let dropped: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", "(", ")", "{", "}", ".", "$", "~", "*", "\""]

    /// Lower-cased, with command names (`\text`, `\textbf`, `\mbox`, …), whitespace, parentheses, braces,
    /// periods, `$`, `~`, `*` and quotes removed: `\text{(C)}` → `c`. Linear time.
    static func normalize(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            i += 1
            if c == "\\" {
                while i < scalars.count, MathTokenizer.isLetter(scalars[i]) { i += 1 }
                continue
            }
            if dropped.contains(c) || c.properties.isWhitespace { continue }
            if c.value >= 65 && c.value <= 90, let lower = Unicode.Scalar(c.value + 32) {
                out.append(lower)
            } else if c.isASCII {
                out.append(c)
            } else {
                out.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }

    /// A plain-string reading of a simple expression: words, symbols, numbers, and juxtaposed letters
    /// (an unbraced `Evelyn` parses as E·v·e·l·y·n and reads back as "Evelyn"). Nil for real mathematics.
    static func plain(_ e: MathExpr) -> String? {
        switch e {
        case .text(let t): return t
        case .symbol(let s): return s
        case .number(let r): return r.description
        case .decimal(let d): return d.text
        case .product(let items):
            var out = ""
            for item in items {
                guard let p = plain(item) else { return nil }
                out += p
            }
            return out
        default: return nil
        }
    }
}
