import Foundation

/// Finds a model's final numeric answer in free text, by an ordered rule.
///
/// 1. **Explicit markers**, the last one in the text that has a number after it:
///    `\boxed{...}` / `\fbox{...}` (the braces walked, nested ones included, the content
///    cleaned of LaTeX: `\frac`/`\dfrac`/`\tfrac`, `\left`/`\right`, `\text{}` units, `^\circ`,
///    `\%`, `{,}`, a leading `x =`), `#### N`, "Final answer", "The answer is", "Answer:",
///    答案是, 答案为, 答案：. For a word marker, the number is the first one on the rest of its
///    line (or on the next non-blank line when the marker ends its line): so
///    "Answer: 29\n\nThat took 3 steps" gives 29, and an answer that first restates worked
///    examples ("... #### 5 ... #### 12") gives its own, the last.
/// 2. **The last "= N"**: the number right after the last `=` that has one.
/// 3. **The last number** in the text.
///
/// Numbers are read by `NumberScanner` (thousands separators, currency, percent, fractions,
/// mixed numbers, the Unicode minus, scientific notation, a trailing period). A percentage
/// is read as its number (50% is 50) or, with the suite setting `percent: as-fraction`, as a
/// fraction (50% is 0.5). Only the last 100,000 characters of an answer are read.
///
/// **The whole final value.** The number found must be the whole of the final answer, not the
/// start of an expression: in "Answer: 2\sqrt{2}", "Answer: 2^{10}", "Answer: 2x", "Answer: 2 + 1",
/// "Answer: \sqrt{2}" or "Answer: 2, 3" the 2 is not the answer (see `FinalValue`). On a marker's
/// line such as "Answer: 4 + 4 = 8" the value after the last `=` is taken. Otherwise the result
/// carries the expression (`Extracted.expression`): the numeric grader calls the answer `invalid`
/// ("an expression, not a number"), the math grader judges the expression by value. Words after
/// the number ("12 dollars", "42 元", "18, since ..."), `$`, `**`, a period, `^\circ`, `\text{}`
/// units and `!` (too often an exclamation) end it.
enum AnswerExtraction {
    struct Extracted: Sendable, Hashable {
        var value: ExactNumber
        var text: String
        var rule: String
        /// When the number is only part of the final answer: that answer's text (the rest of the
        /// marker's line, the box's content, or the line that holds the number).
        var expression: String?
    }

    enum PercentMode: String, Sendable {
        case asNumber = "as-number"
        case asFraction = "as-fraction"
    }

    static let wordMarkers = ["final answer", "the answer is", "answer is", "answer:", "答案是", "答案为", "答案:", "####"]
    static let boxMarkers = ["\\boxed{", "\\fbox{"]
    /// Only the last this many characters of an answer are read: the final answer is at the end,
    /// and a megabyte of text (or of `\frac`) must not hold a grade up.
    static let maxScanned = 100_000
    /// A box with more than this many characters is not read as a number.
    static let maxBoxedLength = 500

    static func extract(_ answer: String, percent: PercentMode = .asNumber) -> Extracted? {
        let scalars = answer.unicodeScalars
        let tail = scalars.count > maxScanned ? String(String.UnicodeScalarView(scalars.suffix(maxScanned))) : answer
        let text = LaTeX.simplifyFractions(tail)
        let s = NumberScanner.normalize(text)
        return markedAnswer(in: s, percent: percent) ?? lastEqualsAnswer(in: s, percent: percent)
            ?? lastNumberAnswer(in: s, percent: percent)
    }

    /// A marker in the text: where it ends, its name, and whether it opens a box.
    typealias Marker = (end: Int, name: String, boxed: Bool)

    /// `s` lowercased scalar by scalar (a scalar whose lowercase is several stays as it is), so
    /// positions in it are positions in `s`.
    static func lowercased(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        s.map { c -> Unicode.Scalar in
            if c.isASCII { return ("A"..."Z").contains(c) ? Unicode.Scalar(c.value + 32) ?? c : c }
            let mapping = c.properties.lowercaseMapping.unicodeScalars
            return mapping.count == 1 ? (mapping.first ?? c) : c
        }
    }

    /// Every word and box marker in `lower`, one per end position, in no particular order.
    static func markers(in lower: [Unicode.Scalar]) -> [Marker] {
        var markers: [Marker] = []
        var ends: Set<Int> = []
        for marker in wordMarkers + boxMarkers {
            let pattern = Array(marker.unicodeScalars)
            var index = 0
            while let found = find(pattern, in: lower, from: index) {
                let end = found + pattern.count
                if ends.insert(end).inserted {
                    markers.append((end, marker.trimmingCharacters(in: ":{ "), boxMarkers.contains(marker)))
                }
                index = found + 1
            }
        }
        return markers
    }

    /// 1. Markers, last first: the first marker with a number after it (in its box, or on its line).
    static func markedAnswer(in s: [Unicode.Scalar], percent: PercentMode) -> Extracted? {
        // Every scan below is linear in the answer, however many markers it repeats: braces are
        // matched once, a box longer than `maxBoxedLength` is not read, and on each line a
        // stretch already searched for a number is not searched again.
        var closing: [Int]?  // for each `{`, where its `}` is (-1: never), computed once
        var searched: (from: Int, lineEnd: Int)?  // s[from..<lineEnd] holds no number start
        for marker in markers(in: lowercased(s)).sorted(by: { $0.end > $1.end }) {
            if marker.boxed {
                let match = closing ?? LaTeX.closingBraces(s)
                closing = match
                let close = match[marker.end - 1]
                guard close >= 0, close - marker.end <= maxBoxedLength else { continue }
                let content = String(String.UnicodeScalarView(s[marker.end..<close]))
                let cleaned = NumberScanner.normalize(LaTeX.clean(content))
                if let number = NumberScanner.first(in: cleaned, from: 0, to: cleaned.count) {
                    let whole = FinalValue.standsAlone(number, in: cleaned, from: 0, to: cleaned.count)
                    return finish(number, rule: "\(marker.name){}", percent: percent, expression: whole ? nil : content)
                }
            } else if let (number, region) = numberAfter(marker.end, in: s, searched: &searched) {
                if FinalValue.standsAlone(number, in: s, from: region.lowerBound, to: region.upperBound) {
                    return finish(number, rule: "marker '\(marker.name)'", percent: percent)
                }
                if let last = FinalValue.afterLastEquals(in: s, from: number.end, to: region.upperBound) {
                    return finish(last, rule: "marker '\(marker.name)', after its last '='", percent: percent)
                }
                let text = String(String.UnicodeScalarView(s[region]))
                return finish(number, rule: "marker '\(marker.name)'", percent: percent, expression: text)
            }
        }
        return nil
    }

    /// 2. The last "= N".
    static func lastEqualsAnswer(in s: [Unicode.Scalar], percent: PercentMode) -> Extracted? {
        for index in s.indices.reversed() where s[index] == "=" {
            var start = index + 1
            while start < s.count, [" ", "$", "*", "("].contains(s[start]) { start += 1 }
            if NumberScanner.startsNumber(s, at: start) || NumberScanner.isDigit(s, start),
                let number = NumberScanner.scan(s, at: start, limit: s.count)
            {
                let line = FinalValue.line(around: number.start, in: s)
                let whole = FinalValue.standsAlone(number, in: s, from: index + 1, to: line.upperBound)
                let text = String(String.UnicodeScalarView(s[(index + 1)..<line.upperBound]))
                return finish(number, rule: "last '= N'", percent: percent, expression: whole ? nil : text)
            }
        }
        return nil
    }

    /// 3. The last number.
    static func lastNumberAnswer(in s: [Unicode.Scalar], percent: PercentMode) -> Extracted? {
        guard let number = NumberScanner.all(in: s).last else { return nil }
        let line = FinalValue.line(around: number.start, in: s)
        let whole = FinalValue.standsAlone(number, in: s, from: line.lowerBound, to: line.upperBound)
        return finish(
            number, rule: "last number", percent: percent,
            expression: whole ? nil : String(String.UnicodeScalarView(s[line])))
    }

    /// The first number on the rest of the line after `position`, or on the next non-blank
    /// line when that rest is blank; with the stretch of text it was found in.
    /// `searched` is a stretch of a line already known to hold no number (markers are tried last
    /// first, so a later marker on the same line has searched the rest of it).
    static func numberAfter(_ position: Int, in s: [Unicode.Scalar], searched: inout (from: Int, lineEnd: Int)?) -> (
        ScannedNumber, Range<Int>
    )? {
        var lineEnd = position
        if let known = searched, known.from >= position, known.from <= known.lineEnd {
            lineEnd = known.lineEnd  // same line: no newline between position and known.from
            if !s[position..<known.from].contains("\n") {
                if let number = NumberScanner.first(in: s, from: position, to: lineEnd, startsBefore: known.from) {
                    return (number, position..<lineEnd)
                }
                searched = (position, lineEnd)
                return nextLineNumber(after: position, lineEnd: lineEnd, in: s)
            }
        }
        lineEnd = position
        while lineEnd < s.count, s[lineEnd] != "\n" { lineEnd += 1 }
        if let number = NumberScanner.first(in: s, from: position, to: lineEnd) { return (number, position..<lineEnd) }
        searched = (position, lineEnd)
        return nextLineNumber(after: position, lineEnd: lineEnd, in: s)
    }

    /// When the rest of the marker's line is blank: the first number on the next non-blank line.
    static func nextLineNumber(after position: Int, lineEnd: Int, in s: [Unicode.Scalar]) -> (
        ScannedNumber, Range<Int>
    )? {
        let rest = s[position..<lineEnd]
        guard rest.allSatisfy({ $0.properties.isWhitespace || $0 == "*" || $0 == ":" }) else { return nil }
        var start = lineEnd
        while start < s.count, s[start].properties.isWhitespace { start += 1 }
        var end = start
        while end < s.count, s[end] != "\n" { end += 1 }
        return NumberScanner.first(in: s, from: start, to: end).map { ($0, start..<end) }
    }

    static func finish(_ number: ScannedNumber, rule: String, percent: PercentMode, expression: String? = nil)
        -> Extracted
    {
        var value = number.value
        if number.isPercent && percent == .asFraction { value = value / .rational(100, 1) }
        return Extracted(value: value, text: number.text, rule: rule, expression: expression)
    }

    static func find(_ pattern: [Unicode.Scalar], in s: [Unicode.Scalar], from: Int) -> Int? {
        guard !pattern.isEmpty, s.count >= pattern.count else { return nil }
        var i = from
        while i + pattern.count <= s.count {
            if s[i] == pattern[0] && s[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }
}

/// The bits of LaTeX that wrap numbers in math answers.
enum LaTeX {
    /// For each position of a `{` in `s`, the position of its matching `}` (-1 when it never
    /// closes, and at every other position): one pass, with a stack.
    static func closingBraces(_ s: [Unicode.Scalar]) -> [Int] {
        var match = [Int](repeating: -1, count: s.count)
        var open: [Int] = []
        for (i, c) in s.enumerated() {
            if c == "{" {
                open.append(i)
            } else if c == "}", let start = open.popLast() {
                match[start] = i
            }
        }
        return match
    }

    /// The content of the braces that open just before `start` (nested braces walked);
    /// nil when they never close.
    static func braced(_ s: [Unicode.Scalar], from start: Int) -> String? {
        guard let close = LaTeXBraces.closing(in: s, contentStart: start) else { return nil }
        return String(String.UnicodeScalarView(s[start..<close]))
    }

    /// A boxed answer cleaned to its number: no `\text{}` units, `\left`/`\right`, spacing
    /// commands, `^\circ`, `$`; `\%` as `%`; `{,}` as `,`; a leading `x =` dropped.
    static func clean(_ content: String) -> String {
        var text = content
        for command in ["\\text{", "\\mathrm{", "\\textbf{", "\\mbox{"] {
            while let range = text.range(of: command) {
                let scalars = Array(text[range.upperBound...].unicodeScalars)
                let inner = braced(scalars, from: 0) ?? ""
                let isUnit = !inner.contains(where: \.isNumber)
                let after = text.index(
                    range.upperBound,
                    offsetBy: min(inner.count + 1, text.distance(from: range.upperBound, to: text.endIndex)))
                text.replaceSubrange(range.lowerBound..<after, with: isUnit ? "" : inner)
            }
        }
        for (from, to) in [
            ("\\left", ""), ("\\right", ""), ("\\!", ""), ("\\,", ""), ("\\;", ""), ("\\ ", ""), ("^\\circ", ""),
            ("^{\\circ}", ""), ("\\circ", ""), ("\\%", "%"), ("{,}", ","), ("$", ""), ("\\$", ""),
        ] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        text = text.trimmingCharacters(in: .whitespaces)
        // "x = 5", "n=5": keep what follows the last '='.
        if let equals = text.lastIndex(of: "=") { text = String(text[text.index(after: equals)...]) }
        return text
    }

    /// `\frac{a}{b}`, `\dfrac`, `\tfrac` and `\frac12` with plain numbers written as `a/b`.
    /// Pass after pass (at most `maxFractionNesting`), so `\frac{\frac{1}{2}}{3}` becomes 1/6;
    /// each pass is linear, since an argument longer than 64 characters is no plain number.
    static func simplifyFractions(_ text: String) -> String {
        guard text.contains("frac") else { return text }
        let normalized = text.replacingOccurrences(of: "\\dfrac", with: "\\frac").replacingOccurrences(
            of: "\\tfrac", with: "\\frac")
        var s = Array(normalized.unicodeScalars)
        let pattern = Array("\\frac".unicodeScalars)
        for _ in 0..<maxFractionNesting {
            var out: [Unicode.Scalar] = []
            out.reserveCapacity(s.count)
            var changed = false
            var i = 0
            while i < s.count {
                if s[i] == "\\", i + pattern.count <= s.count, s[i..<(i + pattern.count)].elementsEqual(pattern),
                    let (replacement, consumed) = plainFraction(s, at: i + pattern.count)
                {
                    out.append(contentsOf: replacement.unicodeScalars)
                    i += pattern.count + consumed
                    changed = true
                } else {
                    out.append(s[i])
                    i += 1
                }
            }
            s = out
            if !changed { break }
        }
        return String(String.UnicodeScalarView(s))
    }

    static let maxFractionNesting = 8

    /// The arguments after a `\frac` at `start` when both are plain numbers: the value written
    /// out, and how many scalars the arguments took.
    static func plainFraction(_ s: [Unicode.Scalar], at start: Int) -> (String, Int)? {
        let numerator: [Unicode.Scalar], denominator: [Unicode.Scalar], consumed: Int
        if start < s.count, s[start] == "{" {
            guard let first = shortGroup(s, at: start + 1) else { return nil }
            let second = start + 1 + first.count + 1
            guard second < s.count, s[second] == "{", let denominatorScalars = shortGroup(s, at: second + 1) else {
                return nil
            }
            numerator = first
            denominator = denominatorScalars
            consumed = second + 1 + denominatorScalars.count + 1 - start
        } else if start + 1 < s.count, NumberScanner.isDigit(s, start), NumberScanner.isDigit(s, start + 1) {
            numerator = [s[start]]
            denominator = [s[start + 1]]
            consumed = 2
        } else {
            return nil
        }
        let top = NumberScanner.normalize(String(String.UnicodeScalarView(numerator)))
        let bottom = NumberScanner.normalize(String(String.UnicodeScalarView(denominator)))
        func whole(_ scalars: [Unicode.Scalar]) -> ScannedNumber? {
            let trimmed = String(String.UnicodeScalarView(scalars)).trimmingCharacters(in: .whitespaces)
            guard let number = NumberScanner.first(in: scalars, from: 0, to: scalars.count),
                number.text.count == trimmed.count
            else { return nil }
            return number
        }
        guard let a = whole(top), let b = whole(bottom), b.value.double != 0 else { return nil }
        let value = a.value / b.value
        return (value.isRational ? value.description : String(value.double), consumed)
    }

    /// The content of a brace group opening just before `start` when it closes within 64
    /// characters and holds no other brace.
    static func shortGroup(_ s: [Unicode.Scalar], at start: Int) -> [Unicode.Scalar]? {
        var i = start
        while i < s.count, i - start <= 64 {
            if s[i] == "}" { return Array(s[start..<i]) }
            if s[i] == "{" { return nil }
            i += 1
        }
        return nil
    }
}
