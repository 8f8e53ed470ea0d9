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
/// fraction (50% is 0.5).
enum AnswerExtraction {
    struct Extracted: Sendable, Hashable {
        var value: ExactNumber
        var text: String
        var rule: String
    }

    enum PercentMode: String, Sendable {
        case asNumber = "as-number"
        case asFraction = "as-fraction"
    }

    static let wordMarkers = ["final answer", "the answer is", "answer is", "answer:", "答案是", "答案为", "答案:", "####"]
    static let boxMarkers = ["\\boxed{", "\\fbox{"]

    static func extract(_ answer: String, percent: PercentMode = .asNumber) -> Extracted? {
        let text = LaTeX.simplifyFractions(answer)
        let s = NumberScanner.normalize(text)
        let lower = s.map { $0.properties.lowercaseMapping.unicodeScalars.count == 1 ? ($0.properties.lowercaseMapping.unicodeScalars.first ?? $0) : $0 }

        // 1. Markers, last first.
        var markers: [(end: Int, name: String, boxed: Bool)] = []
        for marker in wordMarkers + boxMarkers {
            let pattern = Array(marker.unicodeScalars)
            var index = 0
            while let found = find(pattern, in: lower, from: index) {
                let end = found + pattern.count
                if !markers.contains(where: { $0.end == end }) {
                    markers.append((end, marker.trimmingCharacters(in: ":{ "), boxMarkers.contains(marker)))
                }
                index = found + 1
            }
        }
        for marker in markers.sorted(by: { $0.end > $1.end }) {
            if marker.boxed {
                guard let content = LaTeX.braced(s, from: marker.end) else { continue }
                let cleaned = NumberScanner.normalize(LaTeX.clean(content))
                if let number = NumberScanner.first(in: cleaned, from: 0, to: cleaned.count) {
                    return finish(number, rule: "\(marker.name){}", percent: percent)
                }
            } else if let number = numberAfter(marker.end, in: s) {
                return finish(number, rule: "marker '\(marker.name)'", percent: percent)
            }
        }
        // 2. The last "= N".
        for index in s.indices.reversed() where s[index] == "=" {
            var start = index + 1
            while start < s.count, [" ", "$", "*", "("].contains(s[start]) { start += 1 }
            if NumberScanner.startsNumber(s, at: start) || NumberScanner.isDigit(s, start),
                let number = NumberScanner.scan(s, at: start, limit: s.count)
            {
                return finish(number, rule: "last '= N'", percent: percent)
            }
        }
        // 3. The last number.
        if let number = NumberScanner.all(in: s).last {
            return finish(number, rule: "last number", percent: percent)
        }
        return nil
    }

    /// The first number on the rest of the line after `position`, or on the next non-blank
    /// line when that rest is blank.
    static func numberAfter(_ position: Int, in s: [Unicode.Scalar]) -> ScannedNumber? {
        var lineEnd = position
        while lineEnd < s.count, s[lineEnd] != "\n" { lineEnd += 1 }
        if let number = NumberScanner.first(in: s, from: position, to: lineEnd) { return number }
        let rest = s[position..<lineEnd]
        guard rest.allSatisfy({ $0.properties.isWhitespace || $0 == "*" || $0 == ":" }) else { return nil }
        var start = lineEnd
        while start < s.count, s[start].properties.isWhitespace { start += 1 }
        var end = start
        while end < s.count, s[end] != "\n" { end += 1 }
        return NumberScanner.first(in: s, from: start, to: end)
    }

    static func finish(_ number: ScannedNumber, rule: String, percent: PercentMode) -> Extracted {
        var value = number.value
        if number.isPercent && percent == .asFraction { value = value / .rational(100, 1) }
        return Extracted(value: value, text: number.text, rule: rule)
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
    /// The content of the braces that open just before `start` (nested braces walked);
    /// nil when they never close.
    static func braced(_ s: [Unicode.Scalar], from start: Int) -> String? {
        var depth = 1
        var i = start
        while i < s.count {
            if s[i] == "{" { depth += 1 }
            if s[i] == "}" {
                depth -= 1
                if depth == 0 { return String(String.UnicodeScalarView(s[start..<i])) }
            }
            i += 1
        }
        return nil
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
                let after = text.index(range.upperBound, offsetBy: min(inner.count + 1, text.distance(from: range.upperBound, to: text.endIndex)))
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
    static func simplifyFractions(_ text: String) -> String {
        guard text.contains("frac") else { return text }
        var out = text.replacingOccurrences(of: "\\dfrac", with: "\\frac").replacingOccurrences(of: "\\tfrac", with: "\\frac")
        var searchStart = out.startIndex
        while let range = out.range(of: "\\frac", range: searchStart..<out.endIndex) {
            let rest = Array(out[range.upperBound...].unicodeScalars)
            var numerator: String?, denominator: String?, consumed = 0
            if rest.count >= 2, rest[0] == "{", let first = braced(rest, from: 1) {
                let afterFirst = 1 + first.unicodeScalars.count + 1
                if afterFirst < rest.count, rest[afterFirst] == "{", let second = braced(rest, from: afterFirst + 1) {
                    numerator = first
                    denominator = second
                    consumed = afterFirst + 1 + second.unicodeScalars.count + 1
                }
            } else if rest.count >= 2, ("0"..."9").contains(rest[0]), ("0"..."9").contains(rest[1]) {
                numerator = String(rest[0])
                denominator = String(rest[1])
                consumed = 2
            }
            guard let numerator, let denominator,
                let top = NumberScanner.first(in: NumberScanner.normalize(numerator), from: 0, to: numerator.unicodeScalars.count),
                let bottom = NumberScanner.first(in: NumberScanner.normalize(denominator), from: 0, to: denominator.unicodeScalars.count),
                top.text.count == numerator.trimmingCharacters(in: .whitespaces).count,
                bottom.text.count == denominator.trimmingCharacters(in: .whitespaces).count,
                bottom.value.double != 0
            else {
                searchStart = range.upperBound
                continue
            }
            let value = top.value / bottom.value
            let replacement = value.isRational ? value.description : String(value.double)
            let end = out.unicodeScalars.index(range.upperBound, offsetBy: consumed)
            out.replaceSubrange(range.lowerBound..<end, with: replacement)
            searchStart = out.startIndex
        }
        return out
    }
}
