import Foundation
import Synchronization

/// A user's regular expression (a routing rule's or a traffic share's `prompt_regex`), which
/// NSRegularExpression (ICU, a backtracking engine) could otherwise run for hours: the
/// 14 characters `(\w+\s?)*#` hung `route simulate` on one prompt of a few dozen words.
///
/// Two guards, since NSRegularExpression has no time limit of its own:
/// - **when loaded**, `hazard(in:)` refuses patterns that can backtrack exponentially: a
///   repeated group (`*`, `+`, `{n,}`, `{n,m}`) that holds a repeat of variable length
///   (`(x+)*`, `(x*)*`, `(\w+\s?)*`, `(a?b?)+`), or alternatives that are not plain words with
///   different first letters (`(a|a)*`, `(a|ab)+`, `(\d|x)+`). The check is conservative: it
///   refuses some patterns that are safe, never lets a nested repeat through; a possessive
///   quantifier (`(x+)*+`) or an atomic group (`(?>...)`) is taken as written;
/// - **when matching**, `matches(_:in:)` gives up after `timeLimit` seconds of one match (ICU
///   calls back every few thousand steps of its engine, and the callback stops it), and a
///   pattern that gave up once is not tried again in this process: it matches nothing more, and
///   `givenUp` names it (polynomial patterns such as `\w*\w*\w*#` get through the static check).
public enum BoundedRegex {
    /// Seconds one match may take.
    public static let timeLimit = 0.5
    /// The longest pattern taken, in characters.
    public static let maxPatternLength = 1_000

    /// Why `pattern` may take exponential time, or nil when nothing was seen. Patterns that
    /// do not compile are the compiler's to refuse (nil here).
    public static func hazard(in pattern: String) -> String? {
        if pattern.count > maxPatternLength {
            return "is \(pattern.count) characters long; at most \(maxPatternLength) are taken"
        }
        var scan = HazardScan(chars: Array(pattern.unicodeScalars))
        return scan.run()
    }

    /// Patterns that ran past `timeLimit` once, in the order they did.
    private static let abandoned = Mutex<[String]>([])

    /// The patterns that gave up on a match in this process (they match nothing more).
    public static var givenUp: [String] { abandoned.withLock { $0 } }

    /// Whether `regex` matches anywhere in `text`; false once its pattern ran past
    /// `timeLimit` seconds on any text (it is then in `givenUp`).
    public static func matches(
        _ regex: NSRegularExpression, in text: String, timeLimit: Double = BoundedRegex.timeLimit
    ) -> Bool {
        let pattern = regex.pattern
        if abandoned.withLock({ $0.contains(pattern) }) { return false }
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(timeLimit * 1000))
        var found = false
        var gaveUp = false
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) {
            result, _, stop in
            if result != nil {
                found = true
                stop.pointee = true
            } else if clock.now > deadline {
                gaveUp = true
                stop.pointee = true
            }
        }
        if gaveUp && !found {
            abandoned.withLock { if !$0.contains(pattern) { $0.append(pattern) } }
            return false
        }
        return found
    }
}

/// `BoundedRegex.hazard(in:)`'s one pass over a pattern, left to right: the groups open around
/// the current position, and the group that ends just before it. Each step reads one atom (an
/// escape, a class, a group's start or end, a quantifier, a character) and moves past it.
private struct HazardScan {
    /// A group being read: whether it holds a repeat of variable length, and its alternatives.
    struct Frame {
        var start: Int
        var atomic = false
        var variable = false
        var alternation = false
        var onlyLiterals = true
        var firsts: [Unicode.Scalar?] = [nil]
    }

    let chars: [Unicode.Scalar]
    var stack = [Frame(start: 0)]
    var caseless = false
    /// The group that ends just before `i`, when the previous atom was a group.
    var closed: Frame?
    var i = 0

    init(chars: [Unicode.Scalar]) {
        self.chars = chars
    }

    /// Why the pattern may take exponential time, or nil when nothing was seen (or it does not
    /// compile: the compiler's to refuse).
    mutating func run() -> String? {
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\\":
                guard readEscape() else { return nil }
            case "[":
                skipClass()
            case "(":
                guard openGroup() else { return nil }
            case ")":
                guard closeGroup() else { return nil }
            case "|":
                let top = stack.count - 1
                stack[top].alternation = true
                stack[top].firsts.append(nil)
                next()
            case "*", "+", "?", "{":
                if let hazard = readQuantifier(c) { return hazard }
            case ".", "^", "$":
                notLiteral()
                next()
            default:
                literal(c)
                next()
            }
        }
        return nil
    }

    /// Past an atom that is no group.
    private mutating func next() {
        closed = nil
        i += 1
    }

    /// Marks the current alternative as holding something other than plain letters.
    private mutating func notLiteral() {
        stack[stack.count - 1].onlyLiterals = false
    }

    private mutating func literal(_ scalar: Unicode.Scalar) {
        let top = stack.count - 1
        if stack[top].firsts[stack[top].firsts.count - 1] == nil {
            stack[top].firsts[stack[top].firsts.count - 1] =
                caseless ? (scalar.properties.lowercaseMapping.unicodeScalars.first ?? scalar) : scalar
        }
    }

    private func text(_ from: Int, _ to: Int) -> String {
        var result = ""
        result.unicodeScalars.append(contentsOf: chars[max(0, from)..<min(chars.count, to)])
        return result
    }

    /// An escape at `i`: `\Q...\E` literal text, a class or property (`\w`, `\p{L}`), or an
    /// escaped character. False when the pattern ends in a lone backslash.
    private mutating func readEscape() -> Bool {
        guard i + 1 < chars.count else { return false }
        let next = chars[i + 1]
        if next == "Q" {
            // \Q...\E: literal text.
            var j = i + 2
            while j < chars.count, !(chars[j] == "\\" && j + 1 < chars.count && chars[j + 1] == "E") {
                literal(chars[j])
                j += 1
            }
            i = min(chars.count, j + 2)
        } else if next.properties.isAlphabetic || next.properties.numericType != nil {
            notLiteral()
            i += 2
            // \p{...}, \x{...}, \N{...}: the braces belong to the escape.
            if i < chars.count, chars[i] == "{", "pPxN".unicodeScalars.contains(next) {
                while i < chars.count, chars[i] != "}" { i += 1 }
                i += 1
            }
        } else {
            literal(next)
            i += 2
        }
        closed = nil
        return true
    }

    /// A character class at `i`, nested sets included: passed over.
    private mutating func skipClass() {
        notLiteral()
        var depth = 0
        var j = i
        while j < chars.count {
            if chars[j] == "\\" {
                j += 2
                continue
            }
            if chars[j] == "[" {
                depth += 1
                // A `]` first in a set (`[]a]`, `[^]a]`) is a literal.
                if j + 1 < chars.count, chars[j + 1] == "^" { j += 1 }
                if j + 1 < chars.count, chars[j + 1] == "]" { j += 1 }
            } else if chars[j] == "]" {
                depth -= 1
                if depth == 0 { break }
            }
            j += 1
        }
        i = j + 1
        closed = nil
    }

    /// A `(` at `i`: a group opened (atomic for `(?>`), or a comment `(?#...)` or flags `(?i)`
    /// passed over. False when the pattern ends at `(?`.
    private mutating func openGroup() -> Bool {
        notLiteral()
        var frame = Frame(start: i)
        var j = i + 1
        if j < chars.count, chars[j] == "?" {
            j += 1
            guard j < chars.count else { return false }
            switch chars[j] {
            case "#":
                // A comment: no group.
                while j < chars.count, chars[j] != ")" { j += 1 }
                i = j + 1
                return true
            case ":", "=", "!":
                j += 1
            case ">":
                frame.atomic = true
                j += 1
            case "<":
                if j + 1 < chars.count, chars[j + 1] == "=" || chars[j + 1] == "!" {
                    j += 2
                } else {
                    while j < chars.count, chars[j] != ">" { j += 1 }
                    j += 1
                }
            default:
                // Flags: `(?i)` for the rest, or `(?i: ...)` for a group.
                var flags = ""
                while j < chars.count, chars[j] != ":", chars[j] != ")" {
                    flags.unicodeScalars.append(chars[j])
                    j += 1
                }
                let on = flags.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                if on.contains("i") { caseless = true }
                if j < chars.count, chars[j] == ")" {
                    i = j + 1
                    return true
                }
                j += 1
            }
        }
        stack.append(frame)
        i = j
        closed = nil
        return true
    }

    /// A `)` at `i`: the group closed, what it holds told to its parent. False when no group is open.
    private mutating func closeGroup() -> Bool {
        guard stack.count > 1, let group = stack.popLast() else { return false }
        let top = stack.count - 1
        stack[top].variable = stack[top].variable || group.variable
        stack[top].onlyLiterals = false
        // Group-level literalness is judged per group at its close: a literal in the
        // parent only matters for the parent's own alternatives.
        closed = group
        i += 1
        return true
    }

    /// A quantifier at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`; lazy or possessive): why it may
    /// backtrack catastrophically when it repeats the group just closed, else nil. A brace that
    /// opens no bound is a literal.
    private mutating func readQuantifier(_ c: Unicode.Scalar) -> String? {
        var low = 0
        var high: Int?  // nil: no upper bound
        var j = i + 1
        switch c {
        case "*": high = nil
        case "+": low = 1
        case "?": high = 1
        default:
            guard let bounds = braceBounds(from: j) else {
                literal(c)
                next()
                return nil
            }
            (low, high, j) = bounds
        }
        var possessive = false
        if j < chars.count, chars[j] == "?" {
            j += 1
        } else if j < chars.count, chars[j] == "+" {
            possessive = true
            j += 1
        }
        let repeats = high.map { $0 > 1 } ?? true
        let variable = high.map { $0 != low } ?? true
        if repeats, !possessive, let group = closed, !group.atomic, let hazard = hazard(repeating: group, through: j) {
            return hazard
        }
        if variable {
            stack[stack.count - 1].variable = true
        }
        notLiteral()
        i = j
        closed = nil
        return nil
    }

    /// The bounds of `{n}`, `{n,}` or `{n,m}` whose brace opens just before `start` (high nil:
    /// no upper bound), and where they end; nil when the brace opens no bound.
    private func braceBounds(from start: Int) -> (low: Int, high: Int?, end: Int)? {
        var j = start
        var numbers: [String] = [""]
        while j < chars.count, chars[j] != "}" {
            if chars[j] == "," {
                numbers.append("")
            } else {
                numbers[numbers.count - 1].unicodeScalars.append(chars[j])
            }
            j += 1
        }
        guard j < chars.count, numbers.count <= 2, let first = Int(numbers[0]) else { return nil }
        if numbers.count == 1 { return (first, first, j + 1) }
        if numbers[1].isEmpty { return (first, nil, j + 1) }
        guard let second = Int(numbers[1]) else { return nil }
        return (first, second, j + 1)
    }

    /// Why repeating `group` (its text shown up to `end`, the quantifier included) may backtrack
    /// catastrophically: it holds a repeat of variable length, or alternatives that may match
    /// the same text. Nil when neither.
    private func hazard(repeating group: Frame, through end: Int) -> String? {
        let shown = text(group.start, end)
        if group.variable {
            return "can backtrack catastrophically: the repeated group '\(shown)' holds a repeat of its own; "
                + "write it without nested repetition (a character class such as [\\w\\s]+ instead of (\\w+\\s?)+)"
        }
        if group.alternation {
            let firsts = group.firsts
            let distinct = firsts.allSatisfy { $0 != nil } && Set(firsts.compactMap { $0 }).count == firsts.count
            if !(group.onlyLiterals && distinct) {
                return
                    "can backtrack catastrophically: the repeated group '\(shown)' has alternatives that may match the same text; "
                    + "only plain words with different first letters may be alternatives in a repeated group"
            }
        }
        return nil
    }
}
