/// Whether a number found in an answer is the whole final value or only part of an expression.
///
/// "Answer: 2" is the number 2; "Answer: 2\sqrt{2}", "Answer: 2^{10}", "Answer: 2x",
/// "Answer: 2 + 1", "Answer: 2 \cdot 3", "Answer: \sqrt{2}", "Answer: 2, 3" and "Answer: 2:30"
/// are not, though each starts with (or holds) a 2. Looked at within the stretch of text the
/// answer was found in (the rest of a marker's line, a box's content), on the scalars
/// `NumberScanner.normalize` gives.
///
/// After the number, an expression goes on with: `^` (but `^\circ` is degrees), `_`, a glued
/// single letter or a function name (`2x`, `2i`, `2\pi`, `2pi`, `2sin`), a glued `(`, an
/// operator followed by an operand (`+ 1`, `- x`, `* 3`, `/ 4`, `×`, `·`, `÷`), a LaTeX command
/// other than spacing, text and delimiters (`\sqrt`, `\cdot`, `\times`, `\frac`, `\pm`), a
/// comma or colon followed by another number (a list, a decimal comma, a time), a spaced
/// `x 3`, and `√ π ² ³`. Before the number: `^ _ / * × · ÷ √`, a brace opened by a command
/// (`\sqrt{`, `\frac{`), a LaTeX command that is not spacing, or a binary `+`/`-` with an operand
/// before it. Words (units, "because"), `$`, `**`, `%`, a period and `!` do not continue it.
enum FinalValue {
    /// Commands that may stand next to a lone number: spacing, text, delimiters, boxes, `\approx`.
    static let neutralCommands: Set<String> = [
        "text", "textbf", "textit", "textrm", "textnormal", "mbox", "mathrm", "mathbf", "boxed", "fbox", "displaystyle",
        "quad", "qquad", "left", "right", "approx", "%", "$", "(", ")", "[", "]", "end", "begin", "\\", "circ",
        "degree",
        ",", ";", ":", "!", " ",
    ]
    /// Spacing commands that may separate thousands (`12\,450`).
    static let spacingCommands: Set<String> = [",", ";", ":", "!", " "]
    static let functionWords: Set<String> = [
        "sin", "cos", "tan", "cot", "sec", "csc", "log", "ln", "exp", "pi", "sqrt", "cdot", "times",
    ]

    static func standsAlone(_ number: ScannedNumber, in s: [Unicode.Scalar], from start: Int, to end: Int) -> Bool {
        let end = min(end, s.count)
        return !continuesAfter(number.end, in: s, to: end) && !continuesBefore(number.start, in: s, from: start)
    }

    /// The first number after the last `=` in `s[from..<to]`, when it stands alone there:
    /// "Answer: 4 + 4 = 8" gives 8.
    static func afterLastEquals(in s: [Unicode.Scalar], from: Int, to: Int) -> ScannedNumber? {
        let end = min(to, s.count)
        guard from < end, let equals = (from..<end).last(where: { s[$0] == "=" }),
            let number = NumberScanner.first(in: s, from: equals + 1, to: end),
            standsAlone(number, in: s, from: equals + 1, to: end)
        else { return nil }
        return number
    }

    /// The line (without its newline) that holds position `i`.
    static func line(around i: Int, in s: [Unicode.Scalar]) -> Range<Int> {
        var start = min(i, s.count)
        while start > 0, s[start - 1] != "\n" { start -= 1 }
        var end = min(i, s.count)
        while end < s.count, s[end] != "\n" { end += 1 }
        return start..<end
    }

    // MARK: after

    static func continuesAfter(_ position: Int, in s: [Unicode.Scalar], to end: Int) -> Bool {
        var k = position
        while k < end, s[k] == " " || s[k] == "\t" { k += 1 }
        guard k < end else { return false }
        let glued = k == position
        let c = s[k]
        switch c {
        case "^":
            return !isDegrees(s, at: k + 1, to: end)
        case "_":
            return glued
        case "+", "-", "*", "/":
            if c == "*", k + 1 < end, s[k + 1] == "*" { return false }  // **bold**
            return startsOperand(s, at: skipSpaces(s, from: k + 1, to: end), to: end)
        case "×", "·", "⋅", "÷", "√", "π", "²", "³", "±":
            return true
        case "(":
            return glued
        case ",", ":":
            return NumberScanner.isDigit(s, skipSpaces(s, from: k + 1, to: end))
        case "\\":
            let (name, after) = command(s, at: k, to: end)
            if spacingCommands.contains(name), after + 2 < end,
                (after..<(after + 3)).allSatisfy({ NumberScanner.isDigit(s, $0) })
            {
                return true  // `12\,450`: a grouping the numeric reader does not take
            }
            return !neutralCommands.contains(name) && !name.hasPrefix("text")
        default:
            break
        }
        guard NumberScanner.isASCIILetter(c) else { return false }
        var j = k
        while j < end, NumberScanner.isASCIILetter(s[j]) { j += 1 }
        let word = String(String.UnicodeScalarView(s[k..<j])).lowercased()
        if glued { return word.count == 1 || functionWords.contains(word) }
        // A spaced `x 3` or `X 3` is a product; any other word is prose or a unit.
        return (word == "x") && NumberScanner.isDigit(s, skipSpaces(s, from: j, to: end))
    }

    static func isDegrees(_ s: [Unicode.Scalar], at i: Int, to end: Int) -> Bool {
        let rest = String(String.UnicodeScalarView(s[min(i, end)..<min(i + 9, end)]))
        return rest.hasPrefix("\\circ") || rest.hasPrefix("{\\circ}") || rest.hasPrefix("\\degree")
            || rest.hasPrefix("°")
    }

    /// Whether an operand starts at `i`: a digit, a letter, a command, a bracket or a brace.
    static func startsOperand(_ s: [Unicode.Scalar], at i: Int, to end: Int) -> Bool {
        guard i < end else { return false }
        let c = s[i]
        if NumberScanner.isDigit(s, i) || c == "\\" || c == "(" || c == "{" || c == "." || c == "√" || c == "π" {
            return true
        }
        guard NumberScanner.isASCIILetter(c) else { return false }
        // A single letter (a variable), not a word of prose: "2 - x" but not "12 - the rest".
        return !(i + 1 < end && NumberScanner.isASCIILetter(s[i + 1]))
    }

    static func skipSpaces(_ s: [Unicode.Scalar], from i: Int, to end: Int) -> Int {
        var k = i
        while k < end, s[k] == " " || s[k] == "\t" { k += 1 }
        return k
    }

    /// The name of the command whose backslash is at `i` (letters, or one other character), and
    /// where it ends.
    static func command(_ s: [Unicode.Scalar], at i: Int, to end: Int) -> (String, Int) {
        var j = i + 1
        guard j < end else { return ("", j) }
        if !NumberScanner.isASCIILetter(s[j]) { return (String(Character(s[j])), j + 1) }
        while j < end, NumberScanner.isASCIILetter(s[j]) { j += 1 }
        return (String(String.UnicodeScalarView(s[(i + 1)..<j])), j)
    }

    // MARK: before

    static func continuesBefore(_ position: Int, in s: [Unicode.Scalar], from start: Int) -> Bool {
        var k = position - 1
        while k >= start, s[k] == " " || s[k] == "\t" { k -= 1 }
        guard k >= start else { return false }
        let c = s[k]
        switch c {
        case "^", "_", "/", "×", "·", "⋅", "÷", "√":
            return true
        case "*":
            return !(k > start && s[k - 1] == "*")  // `**2**` is bold
        case "+", "-":
            var j = k - 1
            while j >= start, s[j] == " " || s[j] == "\t" { j -= 1 }
            guard j >= start else { return false }
            return NumberScanner.isASCIILetter(s[j]) || NumberScanner.isDigit(s, j) || s[j] == ")" || s[j] == "}"
        case "{":
            // `\sqrt{2}`, `\frac{2}{3}`, `^{2}`: a group that belongs to an operator.
            guard k > start else { return false }
            if s[k - 1] == "^" || s[k - 1] == "_" { return true }
            var j = k - 1
            while j >= start, NumberScanner.isASCIILetter(s[j]) { j -= 1 }
            guard j >= start, j < k - 1, s[j] == "\\" else { return false }
            return !neutralCommands.contains(String(String.UnicodeScalarView(s[(j + 1)..<k])))
        default:
            break
        }
        // A command right before the number: `\sqrt 2`, `\cdot 2`, `\pi 2` (spacing and text excepted).
        guard NumberScanner.isASCIILetter(c) else { return false }
        var j = k
        while j >= start, NumberScanner.isASCIILetter(s[j]) { j -= 1 }
        guard j >= start, s[j] == "\\" else { return false }
        let name = String(String.UnicodeScalarView(s[(j + 1)...k]))
        return !neutralCommands.contains(name) && !name.hasPrefix("text")
    }
}
