/// One lexical unit of a LaTeX / plain-text answer.
struct MathToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// Digits with an optional decimal point; thousands separators already removed.
        case number(String)
        /// A run of ASCII letters (split into single-letter variables by the parser).
        case word(String)
        /// `\name` without the backslash; Unicode math symbols are mapped to commands too.
        case command(String)
        /// Raw contents of `\text{…}`, `\mbox{…}`, `\mathrm{…}`, … .
        case text(String)
        /// `\begin{env}` / `\end{env}`.
        case begin(String), end(String)
        /// Single punctuation: `+ - * / ^ _ ( ) [ ] { } , = < > | & !`.
        case punct(Character)
        /// `\\` (matrix row separator).
        case rowSeparator
        /// `\{` / `\lbrace` and `\}` / `\rbrace`.
        case setOpen, setClose
    }
    var kind: Kind
    /// Whether whitespace (or a spacing command) preceded the token.
    var spaceBefore: Bool
}

/// Turns answer text into tokens, dropping pure layout: `\left`, `\right`, `\displaystyle`, `\!`, `\,`,
/// `\;`, `~`, `$`, `\$`, `\%`, `%`, `°`, `\quad`.
///
/// Thousands separators are removed inside numbers: `32,\!348`, `32{,}348`, `32\text{,}348`, `32\,348`
/// (also `\ `, `\;`, `\:`) anywhere, and a plain
/// `32,348` (comma followed by exactly three digits and then a non-digit, first group of 1–3 digits) only
/// outside brackets, so `(3,400)` stays a pair.
struct MathTokenizer {
    /// Answers longer than this are rejected rather than parsed.
    static let maxLength = 10_000

    private let s: [Unicode.Scalar]
    private var i = 0
    private var bracketDepth = 0
    private var tokens: [MathToken] = []
    private var pendingSpace = false

    static let textCommands: Set<String> = [
        "text", "textbf", "textit", "textrm", "textsf", "texttt", "textnormal", "mbox", "hbox", "mathrm",
        "emph", "textup", "mathtt", "mathsf",
    ]
    static let ignoredCommands: Set<String> = [
        "left", "right", "displaystyle", "textstyle", "scriptstyle", "!", ",", ";", ":", " ", "$", "%",
        "quad", "qquad", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
        "limits", "nolimits", "degree", "enspace", "thinspace", "medspace", "negthinspace", "middle",
    ]

    init(_ source: String) {
        s = Array(source.unicodeScalars)
    }

    static func tokenize(_ source: String) throws(MathParseError) -> [MathToken] {
        var t = MathTokenizer(source)
        guard t.s.count <= maxLength else {
            throw MathParseError(reason: "answer longer than \(maxLength) characters")
        }
        try t.run()
        return t.tokens
    }

    private func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }
    private static func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { $0.value >= 48 && $0.value <= 57 } ?? false }
    static func isLetter(_ c: Unicode.Scalar?) -> Bool {
        guard let v = c?.value else { return false }
        return (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
    }

    private mutating func emit(_ kind: MathToken.Kind) {
        tokens.append(MathToken(kind: kind, spaceBefore: pendingSpace))
        pendingSpace = false
    }

    private mutating func run() throws(MathParseError) {
        while let c = peek() {
            if c.properties.isWhitespace || c == "~" || c == "$" || c == "%" || c == "°" {
                pendingSpace = pendingSpace || c != "°"
                i += 1
            } else if MathTokenizer.isDigit(c) || (c == "." && MathTokenizer.isDigit(peek(1))) {
                lexNumber()
            } else if MathTokenizer.isLetter(c) {
                var w = ""
                while MathTokenizer.isLetter(peek()), let l = peek() { w.unicodeScalars.append(l); i += 1 }
                emit(.word(w))
            } else if c == "\\" {
                try lexCommand()
            } else {
                i += 1
                lexSymbol(c)
            }
        }
    }

    private mutating func lexSymbol(_ c: Unicode.Scalar) {
        switch c {
        case "(", "[": bracketDepth += 1; emit(.punct(Character(c)))
        case ")", "]": bracketDepth -= 1; emit(.punct(Character(c)))
        case "−", "–": emit(.punct("-"))
        case "×", "·", "⋅", "∙": emit(.punct("*"))
        case "÷": emit(.punct("/"))
        case "π": emit(.command("pi"))
        case "∞": emit(.command("infty"))
        case "√": emit(.command("sqrt"))
        case "±": emit(.command("pm"))
        case "∓": emit(.command("mp"))
        case "≤": emit(.command("le"))
        case "≥": emit(.command("ge"))
        case "∪": emit(.command("cup"))
        case "∈": emit(.command("in"))
        case "≠": emit(.command("neq"))
        case "≈": emit(.command("approx"))
        case "!" where peek() == "=":
            i += 1
            emit(.command("neq"))
        case "²", "³":
            emit(.punct("^"))
            tokens.append(MathToken(kind: .number(c == "²" ? "2" : "3"), spaceBefore: false))
        default: emit(.punct(Character(c)))
        }
    }

    private mutating func lexCommand() throws(MathParseError) {
        i += 1  // backslash
        guard let c = peek() else { throw MathParseError(reason: "dangling backslash") }
        var name = ""
        if MathTokenizer.isLetter(c) {
            while MathTokenizer.isLetter(peek()), let l = peek() { name.unicodeScalars.append(l); i += 1 }
        } else {
            name = String(c)
            i += 1
        }
        // `\quadx_{2}` (a space lost after `\quad`): the spacing, then the word.
        for spacing in ["qquad", "quad"] where name.count > spacing.count && name.hasPrefix(spacing) {
            pendingSpace = true
            emit(.word(String(name.dropFirst(spacing.count))))
            return
        }
        if MathTokenizer.ignoredCommands.contains(name) {
            pendingSpace = true
            // `\left.` / `\right.` are invisible delimiters.
            if (name == "left" || name == "right") && peek() == "." { i += 1 }
            return
        }
        switch name {
        case "\\": emit(.rowSeparator)
        case "{", "lbrace": bracketDepth += 1; emit(.setOpen)
        case "}", "rbrace": bracketDepth -= 1; emit(.setClose)
        case "langle": emit(.punct("("))
        case "rangle": emit(.punct(")"))
        case "lvert", "rvert", "vert", "|": emit(.punct("|"))
        case "begin", "end":
            let env = rawGroup() ?? ""
            emit(name == "begin" ? .begin(env) : .end(env))
        default:
            if MathTokenizer.textCommands.contains(name) {
                emit(.text(rawGroup() ?? ""))
            } else if name == "operatorname" {
                emit(.command(rawGroup() ?? ""))
            } else {
                emit(.command(name))
            }
        }
    }

    /// Reads `{…}` (balanced, escapes skipped) after optional spaces; a single character when no brace.
    private mutating func rawGroup() -> String? {
        while let c = peek(), c.properties.isWhitespace { i += 1 }
        guard let open = peek() else { return nil }
        guard open == "{" else {
            i += 1
            return String(open)
        }
        i += 1
        let start = i
        let close = LaTeXBraces.closing(in: s, contentStart: start) ?? s.count  // unclosed: the rest
        i = min(close + 1, s.count)
        return String(String.UnicodeScalarView(s[start..<min(close, s.count)]))
    }

    private mutating func lexNumber() {
        var intPart = String.UnicodeScalarView()
        var group = 0
        while true {
            while MathTokenizer.isDigit(peek()), let d = peek() { intPart.append(d); group += 1; i += 1 }
            guard let skip = separatorLength(groupLength: group, isFirstGroup: group == intPart.count) else { break }
            i += skip
            group = 0
        }
        var text = String(intPart)
        if peek() == ".", MathTokenizer.isDigit(peek(1)) {
            i += 1
            var frac = String.UnicodeScalarView()
            while MathTokenizer.isDigit(peek()), let d = peek() { frac.append(d); i += 1 }
            text += "." + String(frac)
        }
        emit(.number(text))
    }

    /// Length of a thousands separator starting at `i` (so that three digits follow), or nil.
    private func separatorLength(groupLength: Int, isFirstGroup: Bool) -> Int? {
        guard groupLength >= 1 else { return nil }
        if !isFirstGroup && groupLength != 3 { return nil }
        if isFirstGroup && groupLength > 3 { return nil }
        func threeDigits(at k: Int) -> Bool {
            MathTokenizer.isDigit(peek(k)) && MathTokenizer.isDigit(peek(k + 1)) && MathTokenizer.isDigit(peek(k + 2))
                && !MathTokenizer.isDigit(peek(k + 3))
        }
        func skipSpaces(from k: Int) -> Int {
            var k = k
            while let c = peek(k), c.properties.isWhitespace { k += 1 }
            return k
        }
        if peek() == "{" && peek(1) == "," && peek(2) == "}" && threeDigits(at: 3) { return 3 }
        // `14 {, }916`
        let brace = skipSpaces(from: 0)
        if peek(brace) == "{" && peek(brace + 1) == ",", case let close = skipSpaces(from: brace + 2),
            peek(close) == "}", threeDigits(at: close + 1)
        {
            return close + 1
        }
        if peek() == "," && peek(1) == "\\" && peek(2) == "!" {
            let k = skipSpaces(from: 3)
            return threeDigits(at: k) ? k : nil
        }
        if peek() == "\\", let c = peek(1), [",", " ", ";", ":"].contains(c), threeDigits(at: 2) { return 2 }
        if Array("\\text{,}".unicodeScalars).enumerated().allSatisfy({ peek($0.offset) == $0.element }),
            threeDigits(at: 8)
        {
            return 8
        }
        if peek() == "," && bracketDepth <= 0 && threeDigits(at: 1) {
            // `3,000.5` fine; `1,234,5` is not a grouping.
            return 1
        }
        return nil
    }
}

extension MathToken.Kind {
    /// Short human-readable form for error messages.
    var display: String {
        switch self {
        case .number(let n): return n
        case .word(let w): return w
        case .command(let c): return "\\" + c
        case .text(let t): return "\\text{\(t.prefix(20))}"
        case .begin(let e): return "\\begin{\(e)}"
        case .end(let e): return "\\end{\(e)}"
        case .punct(let p): return String(p)
        case .rowSeparator: return "\\\\"
        case .setOpen: return "\\{"
        case .setClose: return "\\}"
        }
    }
}
