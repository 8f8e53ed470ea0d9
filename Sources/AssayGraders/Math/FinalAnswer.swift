/// Finds the final answer in a model's free-text solution.
///
/// All scans are linear in the input (a 100 KB reply with thousands of unbalanced `\boxed{` is fine).
public enum FinalAnswer {
    /// The model's final answer in free text, tried in this order:
    /// 1. "boxed": the last `\boxed{...}` / `\fbox{...}` (nested braces walked, `\boxed 5` without braces too);
    /// 2. "answer phrase": the last "final answer is X" / "the answer is X" / "Answer: X" (case-insensitive;
    ///    rest of that line, surrounding `$`, `**`, `\(`…`\)` and a trailing period stripped);
    /// 3. "display math": the contents of the last `$$...$$` or `\[...\]`;
    /// 4. "last line": the last non-empty line.
    /// Returns nil when the text is empty or only whitespace.
    public static func extract(_ text: String) -> (answer: String, rule: String)? {
        let s = Array(text.unicodeScalars)
        guard s.contains(where: { !isSpace($0) }) else { return nil }
        if let boxed = lastBoxed(s) { return (boxed, "boxed") }
        if let phrase = lastPhrase(s) { return (phrase, "answer phrase") }
        if let display = lastDisplayMath(s) { return (display, "display math") }
        var end = s.count
        while end > 0 {
            var start = end
            while start > 0, s[start - 1] != "\n", s[start - 1] != "\r" { start -= 1 }
            let line = clean(s[start..<end])
            if !line.isEmpty { return (line, "last line") }
            end = start - 1
        }
        return nil
    }

    // MARK: rules

    static func lastBoxed(_ s: [Unicode.Scalar]) -> String? {
        var starts: [Int] = []  // index just after the command name
        for name in ["\\boxed", "\\fbox"] {
            let pattern = Array(name.unicodeScalars)
            var i = 0
            while let hit = find(pattern, in: s, from: i) {
                let after = hit + pattern.count
                if after >= s.count || !isLetter(s[after]) { starts.append(after) }
                i = after
            }
        }
        starts.sort()
        var limit = s.count  // a failed walk proves every earlier walk reaching it fails too
        for start in starts.reversed() {
            var i = start
            while i < limit, s[i] == " " { i += 1 }
            guard i < limit else { continue }
            if s[i] != "{" {
                var j = i
                while j < s.count, !isSpace(s[j]), s[j] != "$" { j += 1 }
                let content = clean(s[i..<j])
                if !content.isEmpty { return content }
                continue
            }
            var depth = 0
            var j = i
            var closed = false
            while j < limit {
                if s[j] == "\\" { j += 2; continue }
                if s[j] == "{" { depth += 1 }
                if s[j] == "}" {
                    depth -= 1
                    if depth == 0 { closed = true; break }
                }
                j += 1
            }
            if closed {
                let content = clean(s[(i + 1)..<j])
                if !content.isEmpty { return content }
            } else {
                limit = start
            }
        }
        return nil
    }

    static func lastPhrase(_ s: [Unicode.Scalar]) -> String? {
        var best: Int?
        for phrase in ["final answer is", "the answer is", "answer:"] {
            let pattern = Array(phrase.unicodeScalars)
            var i = 0
            while let hit = find(pattern, in: s, from: i, caseInsensitive: true) {
                let end = hit + pattern.count
                if end > (best ?? -1) { best = end }
                i = end
            }
        }
        guard let start = best else { return nil }
        var end = start
        while end < s.count, s[end] != "\n", s[end] != "\r" { end += 1 }
        let content = clean(s[start..<end])
        return content.isEmpty ? nil : content
    }

    static func lastDisplayMath(_ s: [Unicode.Scalar]) -> String? {
        var best: (Int, String)?
        for (open, close) in [("$$", "$$"), ("\\[", "\\]")] {
            let o = Array(open.unicodeScalars)
            let c = Array(close.unicodeScalars)
            var i = 0
            while let a = find(o, in: s, from: i), let b = find(c, in: s, from: a + o.count) {
                let content = clean(s[(a + o.count)..<b])
                if !content.isEmpty, a >= (best?.0 ?? -1) { best = (a, content) }
                i = b + c.count
            }
        }
        return best?.1
    }

    // MARK: helpers

    /// Trims whitespace, `:`, `**`, wrapping `$…$` / `\(…\)`, and one trailing period or comma; then cuts at
    /// an unescaped `$` that still separates the math from following words ("5$ because …" → "5").
    static func clean(_ chars: ArraySlice<Unicode.Scalar>) -> String {
        var t = chars
        func trim() {
            while let f = t.first, isSpace(f) || f == ":" || f == "*" { t.removeFirst() }
            while let l = t.last, isSpace(l) || l == "*" { t.removeLast() }
        }
        func hasPrefix(_ p: String) -> Bool { t.starts(with: p.unicodeScalars) }
        func hasSuffix(_ p: String) -> Bool { t.reversed().starts(with: p.unicodeScalars.reversed()) }
        trim()
        for _ in 0..<3 {
            if hasSuffix(".") || hasSuffix(",") { t.removeLast(); trim() }
            if hasPrefix("\\(") && hasSuffix("\\)") || hasPrefix("\\[") && hasSuffix("\\]") { t = t.dropFirst(2).dropLast(2) }
            while hasPrefix("$") { t.removeFirst() }
            while hasSuffix("$"), !hasSuffix("\\$") { t.removeLast() }
            trim()
        }
        for k in t.indices where t[k] == "$" && (k == t.startIndex || t[k - 1] != "\\") {
            t = t[..<k]
            trim()
            break
        }
        return String(String.UnicodeScalarView(t))
    }

    /// Whitespace test with an ASCII fast path.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\n" || c == "\t" || c == "\r" || (c.value > 127 && c.properties.isWhitespace)
    }

    static func isLetter(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 65 && c.value <= 90) || (c.value >= 97 && c.value <= 122)
    }

    static func lower(_ c: Unicode.Scalar) -> UInt32 { c.value >= 65 && c.value <= 90 ? c.value + 32 : c.value }

    static func find(_ pattern: [Unicode.Scalar], in s: [Unicode.Scalar], from: Int, caseInsensitive: Bool = false) -> Int? {
        guard let first = pattern.first, s.count >= pattern.count else { return nil }
        var i = from
        while i + pattern.count <= s.count {
            if caseInsensitive ? lower(s[i]) == lower(first) : s[i] == first {
                var k = 1
                while k < pattern.count, caseInsensitive ? lower(s[i + k]) == lower(pattern[k]) : s[i + k] == pattern[k] { k += 1 }
                if k == pattern.count { return i }
            }
            i += 1
        }
        return nil
    }
}
