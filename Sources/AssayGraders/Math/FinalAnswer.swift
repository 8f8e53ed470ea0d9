/// Finds the final answer in a model's free-text solution (and in a gold answer written as a
/// solution), the way Math-Verify (the checker open-r1 and lighteval use) finds it.
///
/// The text read is what the reader sees: after the last `</think>` when a reasoning block closes,
/// cut at the first chat-template token (`<|im_start|>`, `<|im_end|>`, `<|endoftext|>`), of its last
/// 20,000 characters (the final answer is at the end; a megabyte must not hold a grade up), and with
/// a doubled backslash before a command (`\\frac`, written by an over-escaping client) read as one.
/// Then, in this order, the first rule that finds something wins:
/// 1. **"boxed"**: the last `\boxed{...}` / `\fbox{...}` (nested braces walked), joined with the
///    boxes before it while they stay close (fewer than 10 characters apart) or are joined by
///    "and", "or", `,` or `;` within 70 characters: `\boxed{(2,2)} \text{ and } \boxed{(6,2)}` is the
///    answer `(2,2), (6,2)`; `\boxed{1} no no no no no \boxed{2}` is `2`. A repeated box counts once.
///    Except when "final answer is X. I hope" comes after the last box: then X.
/// 2. **"answer phrase"**: the last "final answer ... is X", else the last "answer: X" / "answer
///    ... X" (within 50 characters of the word), where X is math (`$…$`, `\(…\)`, `\[…\]`,
///    `$$…$$`, a box) or a number; a phrase's rest of line when that is math.
/// 3. **"math"**: the last math region, joined with the regions right before it that "and", "or"
///    or `,` connect (`$21,16$ or $11$` is `21,16, 11`), unless a number ends after it;
///    **"last line"**: the last line when it is an expression, not prose;
///    **"last number"**: else the last number written (`1,000.99`, `28 percent`; when the gold is
///    one number, a decimal comma where the digits after it cannot be a thousands group: `2,74`).
///
/// All scans are linear in the input (a 100 KB reply with thousands of unbalanced `\boxed{` is fine).
public enum FinalAnswer {
    /// The final answer and the rule that found it, or nil when the text is empty or only whitespace.
    public static func extract(_ text: String, decimalComma: Bool = false) -> (answer: String, rule: String)? {
        let s = visible(Array(text.unicodeScalars.suffix(maxRead)))
        guard s.contains(where: { !isSpace($0) }) else { return nil }
        let boxes = boxedGroup(s)
        if let hope = finalAnswerHope(s, decimalComma: decimalComma), hope.end > (boxes?.end ?? -1) {
            return (hope.answer, "answer phrase")
        }
        if let boxes { return (boxes.answer, "boxed") }
        if let phrase = answerPhrase(s, decimalComma: decimalComma) { return (phrase, "answer phrase") }
        let region = lastRegionGroup(s)
        // Math delimiters that hold no math (`Answer $ ⏎ 9 ⏎ $`: inline math does not span lines) leave no answer.
        let number = region == nil && usesDelimiters(s) ? nil : lastNumber(s, decimalComma: decimalComma)
        if let region, region.end >= (number?.end ?? -1) { return (region.answer, "math") }
        if region == nil, number == nil, usesDelimiters(s) { return nil }
        if let line = lastLine(s) {
            let scalars = Array(line.unicodeScalars)
            if let whole = numberAt(scalars, 0, decimalComma: decimalComma), whole.end == scalars.count {
                return (whole.text, "last number")
            }
            if !isSentence(line) { return (line, "last line") }
        }
        if let number { return (number.answer, "last number") }
        if let line = lastLine(s) { return (line, "last line") }
        return nil
    }

    /// Words, not an expression: prose as the grader defines it, or two words of two letters or more
    /// ("It is 2"), outside commands.
    static func isSentence(_ line: String) -> Bool {
        if MathGrader.isProse(line) { return true }
        let words = line.split(whereSeparator: { $0 == " " }).filter { word in
            word.count >= 2 && word.allSatisfy { $0.isLetter && $0.isASCII }
                && !MathGrader.functionNames.contains(word.lowercased())
        }
        return words.count >= 2
    }

    /// Whether the text marks math with `\(`, `\[` or a pair of `$`.
    static func usesDelimiters(_ s: [Unicode.Scalar]) -> Bool {
        var dollars = 0
        for k in s.indices where s[k] == "$" && (k == 0 || s[k - 1] != "\\") { dollars += 1 }
        return dollars >= 2 || find(["\\", "("], in: s, from: 0) != nil || find(["\\", "["], in: s, from: 0) != nil
    }

    /// Whether a gold answer is written as a solution or in math delimiters, so that its final
    /// answer must be found the way an answer's is (`$(p,q)=(3,2)$`, `\boxed{1} and \boxed{2}`,
    /// a worked solution ending in a box).
    static func isDelimited(_ gold: String) -> Bool {
        gold.contains("$") || gold.contains("\\boxed") || gold.contains("\\fbox") || gold.contains("\\(")
            || gold.contains("\\[")
    }

    // MARK: what the reader sees

    /// Only the last this many characters of a text are read: the final answer is at its end, and
    /// a megabyte must not hold a grade up.
    static let maxRead = 20_000

    static func visible(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var s = text.count > maxRead ? text.suffix(maxRead) : ArraySlice(text)
        if let close = lastIndex(of: "</think>", in: Array(s)) {
            let after = s[(s.startIndex + close + 8)...]
            if after.contains(where: { !isSpace($0) }) { s = after }
        }
        for token in ["<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|eot_id|>"] {
            if let cut = find(Array(token.unicodeScalars), in: Array(s), from: 0) { s = s.prefix(cut) }
        }
        // `<think>` never closed (a reply cut off mid-thought): the thought is all there is.
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        while i < s.endIndex {
            // `\\frac` → `\frac`; `\\ 0` (a matrix row break) and `\\\end` (a row break, then `\end`) stay.
            if s[i] == "\\" {
                var run = i
                while run < s.endIndex, s[run] == "\\" { run += 1 }
                if run - i == 2, run < s.endIndex, isLetter(s[run]) {
                    out.append("\\")
                } else {
                    out.append(contentsOf: s[i..<run])
                }
                i = run
                continue
            }
            out.append(s[i])
            i += 1
        }
        return out
    }

    // MARK: boxes

    /// One `\boxed{…}`: where the command starts, where its content ends (the closing brace).
    struct Box { var start: Int; var close: Int; var content: String }

    /// The starts of every `\boxed` / `\fbox`: (where the command starts, just after its name), in order.
    static func boxStarts(_ s: [Unicode.Scalar]) -> [(Int, Int)] {
        var starts: [(Int, Int)] = []
        for name in ["\\boxed", "\\fbox"] {
            let pattern = Array(name.unicodeScalars)
            var i = 0
            while let hit = find(pattern, in: s, from: i) {
                let after = hit + pattern.count
                if after >= s.count || !isLetter(s[after]) { starts.append((hit, after)) }
                i = after
            }
        }
        return starts.sorted { $0.0 < $1.0 }
    }

    /// What reading one box found: the box, an empty one, or braces that do not close before the limit.
    enum BoxRead { case box(Box), empty, unclosed }

    /// The box whose command starts at `start` (its name ending at `after`), read no further than `limit`.
    static func readBox(_ s: [Unicode.Scalar], start: Int, after: Int, limit: Int) -> BoxRead {
        var i = after
        while i < limit, s[i] == " " { i += 1 }
        guard i < limit else { return .empty }
        if s[i] != "{" {
            var j = i
            while j < s.count, !isSpace(s[j]), s[j] != "$" { j += 1 }
            let content = clean(s[i..<j])
            return content.isEmpty ? .empty : .box(Box(start: start, close: j, content: content))
        }
        guard let j = LaTeXBraces.closing(in: s, contentStart: i + 1, limit: limit) else { return .unclosed }
        // `\boxed{12 $ and $13}`: dollars inside a box are a writer's slip, not the end of the math.
        let inner = s[(i + 1)..<j]
        let kept = inner.indices.filter { inner[$0] != "$" || ($0 > inner.startIndex && inner[$0 - 1] == "\\") }.map {
            inner[$0]
        }
        let content = clean(kept[...])
        return content.isEmpty ? .empty : .box(Box(start: start, close: j, content: content))
    }

    /// The box right at `i`, if one starts there.
    static func boxAt(_ s: [Unicode.Scalar], _ i: Int) -> Box? {
        for name in ["\\boxed", "\\fbox"] {
            let pattern = Array(name.unicodeScalars)
            guard i + pattern.count <= s.count, s[i..<(i + pattern.count)].elementsEqual(pattern) else { continue }
            if case .box(let box) = readBox(s, start: i, after: i + pattern.count, limit: s.count) { return box }
        }
        return nil
    }

    /// The last box and the ones before it that belong with it (see the type's notes). Walks the
    /// boxes from the end and stops at the first that does not join, so nested boxes cost one pass.
    static func boxedGroup(_ s: [Unicode.Scalar]) -> (answer: String, end: Int)? {
        var group: [Box] = []
        var limit = s.count  // a failed walk proves every earlier walk reaching it fails too
        for (start, after) in boxStarts(s).reversed() {
            let read = readBox(s, start: start, after: after, limit: limit)
            guard case .box(let box) = read else {
                if case .unclosed = read { limit = start }
                continue
            }
            guard let next = group.last else {
                group.append(box)
                continue
            }
            guard box.close < next.start, group.count < 16 else { break }  // nested in the next one, or enough
            let between = Array(s[(box.close + 1)..<next.start])
            let close = between.count < 10
            let separated = box.content != next.content && between.count < 70 && hasSeparator(between)
            guard close || separated else { break }
            if box.content != next.content { group.append(box) }
        }
        guard let last = group.first else { return nil }
        return (group.reversed().map(\.content).joined(separator: ", "), last.close)
    }

    /// "and" or "or" as a word, `,` or `;`.
    static func hasSeparator(_ t: [Unicode.Scalar]) -> Bool {
        if t.contains(",") || t.contains(";") { return true }
        let words = String(String.UnicodeScalarView(t)).split(whereSeparator: { !$0.isLetter })
        return words.contains("and") || words.contains("or")
    }

    // MARK: phrases

    /// "final answer is X. I hope" (the closing of the MATH few-shot format), the last one.
    static func finalAnswerHope(_ s: [Unicode.Scalar], decimalComma: Bool) -> (answer: String, end: Int)? {
        let pattern = Array("final answer is".unicodeScalars)
        var best: (String, Int)?
        var i = 0
        while let hit = find(pattern, in: s, from: i, caseInsensitive: true) {
            i = hit + pattern.count
            var j = i
            while j < s.count, s[j] == ":" || isSpace(s[j]) { j += 1 }
            guard let value = valueAt(s, j, decimalComma: decimalComma) else { continue }
            var k = value.end
            if k < s.count, s[k] == "." { k += 1 }
            if k < s.count, s[k] == " " { k += 1 }
            if find(Array("I hope".unicodeScalars), in: s, from: k).map({ $0 == k }) == true {
                best = (value.answer, k)
            }
        }
        return best
    }

    /// "final answer ... is X", else "answer: ... X", else "answer ... X": the last of the first kind found.
    static func answerPhrase(_ s: [Unicode.Scalar], decimalComma: Bool) -> String? {
        if let found = lastAnchored(s, anchor: "final answer", gap: 100, needsIs: true, decimalComma: decimalComma) {
            return found
        }
        if let found = lastAnchored(s, anchor: "answer:", gap: 50, needsIs: false, decimalComma: decimalComma) {
            return found
        }
        if let found = lastAnchored(s, anchor: "answer", gap: 50, needsIs: false, decimalComma: decimalComma) {
            return found
        }
        return nil
    }

    /// The value after the last `anchor` that has one within `gap` characters (after " is" when `needsIs`).
    static func lastAnchored(_ s: [Unicode.Scalar], anchor: String, gap: Int, needsIs: Bool, decimalComma: Bool)
        -> String?
    {
        let pattern = Array(anchor.unicodeScalars)
        var hits: [Int] = []
        var i = 0
        while let hit = find(pattern, in: s, from: i, caseInsensitive: true) {
            hits.append(hit + pattern.count)
            i = hit + pattern.count
        }
        for start in hits.suffix(64).reversed() {  // the last 64: an answer is near its phrase's last use
            if !needsIs, let value = valueRightAfter(s, start, decimalComma: decimalComma) { return value }
            let end = min(s.count, start + gap + 1)
            var j = start
            var crossedLine = false  // a number is read on the phrase's own line only; math may follow on the next
            while j < end {
                if s[j] == "\n" { crossedLine = true }
                if needsIs {
                    // `\s+is:?\s*X`
                    if isSpace(s[j]), j + 2 < s.count, lower(s[j + 1]) == 0x69, lower(s[j + 2]) == 0x73,
                        j + 3 >= s.count || !isLetter(s[j + 3])
                    {
                        if let value = valueRightAfter(s, j + 3, decimalComma: decimalComma) { return value }
                    }
                } else if j == start || isSpace(s[j - 1]) || s[j - 1] == ":" || s[j - 1] == "=" || s[j - 1] == "*" {
                    if let value = valueAt(s, j, numbers: !crossedLine, decimalComma: decimalComma) {
                        return value.answer
                    }
                }
                if s[j] == "\n" && needsIs { break }
                j += 1
            }
        }
        return nil
    }

    /// What a phrase says right after it (spaces, `:` and `**` skipped): math, a number, or the
    /// rest of its line when that is an expression rather than a sentence ("Answer: x^2 - x - 6",
    /// "the answer is (3, 5)", "Answer: \frac{3}{28}").
    static func valueRightAfter(_ s: [Unicode.Scalar], _ i: Int, decimalComma: Bool) -> String? {
        var j = i
        func skipSpaces() {
            while j < s.count, s[j] == " " || s[j] == "\t" || s[j] == ":" || s[j] == "*" || s[j] == "=" { j += 1 }
        }
        skipSpaces()
        // "the answer is 42": the verb is not the answer.
        if j + 2 < s.count, lower(s[j]) == 0x69, lower(s[j + 1]) == 0x73, !isLetter(s[j + 2]) {
            j += 2
            skipSpaces()
        }
        guard j < s.count, s[j] != "\n" else { return nil }
        if let value = valueAt(s, j, decimalComma: decimalComma) { return value.answer }
        // The rest of the line, when it starts as math does: not with a word ("to $x$ is").
        guard !(isLetter(s[j]) && j + 1 < s.count && isLetter(s[j + 1])) else { return nil }
        var end = j
        while end < s.count, s[end] != "\n" { end += 1 }
        let line = clean(s[j..<end])
        return line.isEmpty || isSentence(line) ? nil : line
    }

    /// Math (a region or a box) or a number starting at `i`.
    static func valueAt(_ s: [Unicode.Scalar], _ i: Int, numbers: Bool = true, decimalComma: Bool) -> (
        answer: String, end: Int
    )? {
        guard i < s.count else { return nil }
        if let region = regionAt(s, i) {
            var group = [region]
            while group.count < 6, let next = joinedRegion(s, after: group[group.count - 1].end) { group.append(next) }
            let answer = group.map(\.content).joined(separator: ", ")
            return answer.isEmpty ? nil : (answer, group[group.count - 1].end)
        }
        if s[i] == "\\", let box = boxAt(s, i) { return (box.content, box.close + 1) }
        if numbers, let value = arithmeticAt(s, i, decimalComma: decimalComma) { return value }
        return nil
    }

    // MARK: math regions

    struct Region { var start: Int; var end: Int; var content: String }

    /// Math regions longer than this are not read as one (a final answer is short).
    static let maxRegion = 20_000

    /// A math region opening at `i`: `$$…$$`, `\[…\]`, `$…$` (one line), `\(…\)`; `end` is past its close.
    static func regionAt(_ s: [Unicode.Scalar], _ i: Int) -> Region? {
        func closing(_ close: [Unicode.Scalar], from: Int, singleLine: Bool) -> Int? {
            var j = from
            let end = min(s.count, from + maxRegion)
            while j + close.count <= end {
                if singleLine && s[j] == "\n" { return nil }
                if s[j] == "\\" && close[0] != "\\" { j += 2; continue }
                if s[j..<(j + close.count)].elementsEqual(close) { return j }
                j += 1
            }
            return nil
        }
        guard i < s.count, i == 0 || s[i - 1] != "\\" else { return nil }
        let open: (Int, [Unicode.Scalar], Bool)?  // (opener length, closer, single line)
        if s[i] == "$" {
            if i + 1 < s.count, s[i + 1] == "$" {
                open = (2, ["$", "$"], false)
            } else {
                open = (1, ["$"], true)
            }
        } else if s[i] == "\\", i + 1 < s.count, s[i + 1] == "[" {
            open = (2, ["\\", "]"], false)
        } else if s[i] == "\\", i + 1 < s.count, s[i + 1] == "(" {
            open = (2, ["\\", ")"], true)
        } else {
            open = nil
        }
        guard let (length, close, singleLine) = open, let j = closing(close, from: i + length, singleLine: singleLine)
        else { return nil }
        let content = clean(s[(i + length)..<j])
        return Region(start: i, end: j + close.count, content: content)
    }

    /// Every region, left to right (a `$` that closes one is not the next one's opener).
    static func regions(_ s: [Unicode.Scalar]) -> [Region] {
        var found: [Region] = []
        var i = 0
        var unclosed: Set<Unicode.Scalar> = []  // `$` for a `$$`, `[` for a `\[` that never closes: no later one does
        while i < s.count {
            let display: Unicode.Scalar? =
                i + 1 < s.count && (s[i] == "$" && s[i + 1] == "$" || s[i] == "\\" && s[i + 1] == "[") ? s[i + 1] : nil
            if s[i] == "$" || s[i] == "\\", display.map({ !unclosed.contains($0) }) ?? true, let region = regionAt(s, i)
            {
                if !region.content.isEmpty { found.append(region) }
                i = region.end
            } else {
                if let display { unclosed.insert(display) }
                i += s[i] == "\\" ? 2 : 1
            }
        }
        return found
    }

    /// The region after `end` that ", and", "or" or "," joins to the one ending there.
    static func joinedRegion(_ s: [Unicode.Scalar], after end: Int) -> Region? {
        var j = end
        while j < s.count, isSpace(s[j]) { j += 1 }
        var joined = false
        if j < s.count, s[j] == "," { j += 1; joined = true }
        while j < s.count, isSpace(s[j]) { j += 1 }
        for word in ["and", "or"]
        where j + word.count <= s.count && String(String.UnicodeScalarView(s[j..<(j + word.count)])) == word {
            j += word.count
            joined = true
            break
        }
        guard joined else { return nil }
        while j < s.count, isSpace(s[j]) { j += 1 }
        guard let region = regionAt(s, j), !region.content.isEmpty else { return nil }
        return region
    }

    /// The last region, with the regions before it that join it.
    static func lastRegionGroup(_ s: [Unicode.Scalar]) -> (answer: String, end: Int)? {
        let all = regions(s)
        guard let last = all.last else { return nil }
        var group = [last]
        var k = all.count - 2
        while k >= 0, group.count < 6, joinedRegion(s, after: all[k].end)?.start == group[group.count - 1].start {
            group.append(all[k])
            k -= 1
        }
        return (group.reversed().map(\.content).joined(separator: ", "), last.end)
    }

    // MARK: numbers

    /// A number starting at `i` (an optional currency sign or minus first), as plain text:
    /// `1,000.99` → `1000.99`, `28 percent` → `28\%`; with `decimalComma` (the gold is one number,
    /// so a comma cannot separate values) `2,74` → `2.74` and `0,111` → `0.111`.
    static func numberAt(_ s: [Unicode.Scalar], _ i: Int, decimalComma: Bool) -> (text: String, end: Int)? {
        var j = i
        if j < s.count, "$€£¥₹".unicodeScalars.contains(s[j]) { j += 1 }
        var sign = ""
        if j < s.count, s[j] == "-" { sign = "-"; j += 1 }
        guard j < s.count, isDigit(s[j]) || (s[j] == "." && j + 1 < s.count && isDigit(s[j + 1])) else { return nil }
        guard j == 0 || !isDigit(s[j - 1]) else { return nil }
        var integer = ""
        var k = j
        while k < s.count, isDigit(s[k]) { integer.unicodeScalars.append(s[k]); k += 1 }
        // Thousands groups: `1,000,000` / `1 000` (a first group of 1-3 digits not starting with 0).
        func group(at m: Int) -> Bool {
            m + 3 < s.count && (s[m] == "," || s[m] == " ") && isDigit(s[m + 1]) && isDigit(s[m + 2])
                && isDigit(s[m + 3])
                && (m + 4 >= s.count || !isDigit(s[m + 4]))
        }
        if (1...3).contains(integer.count), integer.first != "0" {
            while group(at: k) {
                integer += String(String.UnicodeScalarView(s[(k + 1)...(k + 3)]))
                k += 4
            }
        }
        var fraction = ""
        if k + 1 < s.count, s[k] == "." || s[k] == ",", isDigit(s[k + 1]) {
            var m = k + 1
            while m < s.count, isDigit(s[m]) { fraction.unicodeScalars.append(s[m]); m += 1 }
            // A comma is a decimal comma only where the digits after it cannot be a thousands group.
            if s[k] == "." || decimalComma && (fraction.count != 3 || integer == "0") {
                k = m
            } else {
                fraction = ""
            }
        }
        var text = sign + (integer.isEmpty ? "0" : integer) + (fraction.isEmpty ? "" : "." + fraction)
        var m = k
        while m < s.count, s[m] == " " { m += 1 }
        if m < s.count, s[m] == "%" {
            text += "\\%"
            k = m + 1
        } else {
            for word in ["percentage", "percent", "pct"] where m + word.count <= s.count {
                if String(String.UnicodeScalarView(s[m..<(m + word.count)])).lowercased() == word {
                    text += "\\%"
                    k = m + word.count
                    break
                }
            }
        }
        return (text, k)
    }

    /// The last number written in the text, or the last arithmetic on numbers (`2/3`, `1 + 18`),
    /// standing as a word: after the start, a space, `=` or `**` (the 2 in `AZYUK2A` is not one).
    static func lastNumber(_ s: [Unicode.Scalar], decimalComma: Bool) -> (answer: String, end: Int)? {
        var best: (answer: String, end: Int)?
        var i = 0
        while i < s.count {
            if i == 0 || isSpace(s[i - 1]) || s[i - 1] == "=" || s[i - 1] == "*",
                let run = arithmeticRun(s, i, decimalComma: decimalComma),
                let value = arithmeticAt(s, i, decimalComma: decimalComma)
            {
                best = (value.answer, run.end)  // where the number ends, not the expression it starts
                i = max(run.end, i + 1)
            } else {
                i += 1
            }
        }
        return best
    }

    /// A number, or numbers joined by `+ - * / × ÷` (`2/3`, `1 + 18`). When the math goes on after it
    /// (`2\sqrt{2}`, `2^{10}`, `2x`, `2 \cdot 3`: not a unit such as `1,000.99m²`), the number is only
    /// the start of the value: the rest of the line is returned, to be judged whole.
    static func arithmeticAt(_ s: [Unicode.Scalar], _ i: Int, decimalComma: Bool) -> (answer: String, end: Int)? {
        guard let value = arithmeticRun(s, i, decimalComma: decimalComma) else { return nil }
        guard continues(s, at: value.end) else { return value }
        var end = value.end
        while end < s.count, s[end] != "\n", s[end] != "$" || (end > 0 && s[end - 1] == "\\") { end += 1 }
        let line = clean(s[i..<end])
        return line.isEmpty ? nil : (line, end)
    }

    /// Whether math continues at `k`, right after a number.
    static func continues(_ s: [Unicode.Scalar], at k: Int) -> Bool {
        var j = k
        while j < s.count, s[j] == " " { j += 1 }
        guard j < s.count else { return false }
        if "\\^_{([!".unicodeScalars.contains(s[j]) { return true }
        if s[j] == "," || s[j] == ";" || s[j] == ":" {  // `2, 3` is a list and `2:30` a ratio, not 2
            var m = j + 1
            while m < s.count, s[m] == " " { m += 1 }
            return m < s.count && (isDigit(s[m]) || s[m] == "-" || s[m] == "\\")
        }
        guard j == k, isLetter(s[j]) else { return false }
        var word = ""
        var m = j
        while m < s.count, isLetter(s[m]) { word.unicodeScalars.append(s[m]); m += 1 }
        return !(unitWords.contains(word.lowercased()) || adjacentUnits.contains(word))
    }

    /// Units written against the number (`12m`, `1,000.99m²`, `5kg`).
    static let adjacentUnits: Set<String> = ["m", "g", "s", "h", "l", "ml", "min", "kmh", "K"]

    /// Numbers joined by arithmetic, as written.
    static func arithmeticRun(_ s: [Unicode.Scalar], _ i: Int, decimalComma: Bool) -> (answer: String, end: Int)? {
        guard let first = numberAt(s, i, decimalComma: decimalComma) else { return nil }
        var text = first.text
        var end = first.end
        while !text.hasSuffix("%") {
            var k = end
            while k < s.count, s[k] == " " { k += 1 }
            guard k < s.count, "+-*/×÷".unicodeScalars.contains(s[k]) else { break }
            let op = s[k] == "×" ? "*" : s[k] == "÷" ? "/" : String(s[k])
            k += 1
            while k < s.count, s[k] == " " { k += 1 }
            guard let next = numberAt(s, k, decimalComma: decimalComma), !next.text.hasPrefix("-") else { break }
            text += op + next.text
            end = next.end
        }
        return (text, end)
    }

    static func lastLine(_ s: [Unicode.Scalar]) -> String? {
        var end = s.count
        while end > 0 {
            var start = end
            while start > 0, s[start - 1] != "\n", s[start - 1] != "\r" { start -= 1 }
            let line = clean(s[start..<end])
            if !line.isEmpty { return line }
            end = start - 1
        }
        return nil
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
            if hasPrefix("\\(") && hasSuffix("\\)") || hasPrefix("\\[") && hasSuffix("\\]") {
                t = t.dropFirst(2).dropLast(2)
            }
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

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }

    static func isLetter(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 65 && c.value <= 90) || (c.value >= 97 && c.value <= 122)
    }

    static func lower(_ c: Unicode.Scalar) -> UInt32 { c.value >= 65 && c.value <= 90 ? c.value + 32 : c.value }

    static func lastIndex(of pattern: String, in s: [Unicode.Scalar]) -> Int? {
        let p = Array(pattern.unicodeScalars)
        var found: Int?
        var i = 0
        while let hit = find(p, in: s, from: i) {
            found = hit
            i = hit + p.count
        }
        return found
    }

    static func find(_ pattern: [Unicode.Scalar], in s: [Unicode.Scalar], from: Int, caseInsensitive: Bool = false)
        -> Int?
    {
        guard let first = pattern.first, s.count >= pattern.count else { return nil }
        var i = from
        while i + pattern.count <= s.count {
            if caseInsensitive ? lower(s[i]) == lower(first) : s[i] == first {
                var k = 1
                while k < pattern.count, caseInsensitive ? lower(s[i + k]) == lower(pattern[k]) : s[i + k] == pattern[k]
                { k += 1 }
                if k == pattern.count { return i }
            }
            i += 1
        }
        return nil
    }
}
