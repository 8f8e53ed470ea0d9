import AssayCore

/// Finds the candidate program in a model's answer.
///
/// The rule, in order:
/// 1. **Fenced blocks.** Blocks fenced with ```` ```python ````, ```` ```py ````,
///    ```` ```python3 ```` or a bare ```` ``` ```` are candidates (blocks tagged with another
///    language are not). A block the answer opened but never closed (the model ran out of
///    tokens) runs to the end of the answer.
///    - Of the blocks that define the entry point (`def name(`), the **last** one is taken:
///      models that revise themselves put the final version last.
///    - When no block defines it, the blocks are joined in order (helpers and the function
///      may be split across blocks), and rule 3 applies to the result.
/// 2. **No fence.** The answer itself is the candidate, from its first line that starts
///    Python code (`def`, `class`, `import`, `from`, `@`, or the entry point's name) to
///    its end; prose before that line is dropped.
/// 3. **A continuation.** When the candidate does not define the entry point but its first
///    code line is indented, it continues a function body (HumanEval style): it is appended
///    to the case's prompt, which holds the signature.
///
/// Nothing is found when the answer is empty or holds no code; the grade is then `invalid`.
public enum CodeExtraction {
    public struct Candidate: Sendable, Hashable {
        public var code: String
        /// Which part of the rule produced it, for the grade's evidence.
        public var rule: String
    }

    public static func extract(from answer: String, entryPoint: String, prompt: String?) -> Candidate? {
        let blocks = fencedBlocks(in: answer)
        if !blocks.isEmpty {
            if let last = blocks.last(where: { defines(entryPoint, in: $0) }) {
                return Candidate(
                    code: last, rule: blocks.count > 1 ? "last fenced block defining \(entryPoint)" : "fenced block")
            }
            let joined = blocks.joined(separator: "\n\n")
            return continuation(joined, entryPoint: entryPoint, prompt: prompt, rule: "fenced blocks joined")
        }
        let lines = answer.lines()
        guard let start = lines.firstIndex(where: { startsCode(String($0), entryPoint: entryPoint) }) else {
            // Maybe a bare indented body with no prose at all.
            let trimmed = answer.trimmingTrailingWhitespace()
            if let first = trimmed.lines(omittingEmpty: true).first, first.first == " " || first.first == "\t" {
                return continuation(trimmed, entryPoint: entryPoint, prompt: prompt, rule: "raw answer")
            }
            return nil
        }
        let code = lines[start...].joined(separator: "\n").trimmingTrailingWhitespace()
        return continuation(
            code, entryPoint: entryPoint, prompt: prompt, rule: start == 0 ? "raw answer" : "raw answer after prose")
    }

    /// `code` as it is when it defines the entry point; joined to the prompt when it is an
    /// indented body; as it is otherwise (the tests will say it lacks the function).
    static func continuation(_ code: String, entryPoint: String, prompt: String?, rule: String) -> Candidate? {
        guard !code.trimmingTrailingWhitespace().isEmpty else { return nil }
        if defines(entryPoint, in: code) { return Candidate(code: code, rule: rule) }
        let firstCodeLine = code.lines(omittingEmpty: true).first { !$0.allSatisfy(\.isWhitespace) }
        if let firstCodeLine, firstCodeLine.first == " " || firstCodeLine.first == "\t", let prompt,
            defines(entryPoint, in: prompt)
        {
            var head = prompt
            if !head.hasSuffix("\n") { head += "\n" }
            return Candidate(code: head + code, rule: rule + ", continuing the prompt's function")
        }
        return Candidate(code: code, rule: rule)
    }

    /// True when `code` has a line `def entryPoint(` (or `async def`) at any indentation.
    static func defines(_ entryPoint: String, in code: String) -> Bool {
        for line in code.lines(omittingEmpty: true) {
            var rest = line.drop { $0 == " " || $0 == "\t" }
            if rest.hasPrefix("async ") { rest = rest.dropFirst(6).drop { $0 == " " } }
            guard rest.hasPrefix("def ") else { continue }
            let name = rest.dropFirst(4).drop { $0 == " " }.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if name == entryPoint { return true }
        }
        return false
    }

    static func startsCode(_ line: String, entryPoint: String) -> Bool {
        for prefix in ["def ", "async def ", "class ", "import ", "from ", "@"] where line.hasPrefix(prefix) {
            return true
        }
        return false
    }

    /// The contents of Python (or untagged) fenced blocks, in order.
    static func fencedBlocks(in answer: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        var fence = ""
        var accept = false
        for line in answer.lines() {
            let stripped = line.drop { $0 == " " || $0 == "\t" }
            if current == nil {
                guard let opening = openingFence(stripped) else { continue }
                fence = opening.fence
                accept = opening.accepted
                current = []
            } else if stripped.hasPrefix(fence),
                stripped.dropFirst(fence.count).allSatisfy({ $0 == "`" || $0.isWhitespace })
            {
                if accept, let lines = current { blocks.append(lines.joined(separator: "\n")) }
                current = nil
            } else {
                current?.append(line)
            }
        }
        if let lines = current, accept, !lines.isEmpty {
            blocks.append(lines.joined(separator: "\n"))  // never closed: the answer was cut
        }
        return blocks.filter { !$0.trimmingTrailingWhitespace().isEmpty }
    }

    static func openingFence(_ line: Substring) -> (fence: String, accepted: Bool)? {
        let ticks = line.prefix { $0 == "`" }
        guard ticks.count >= 3 else { return nil }
        let info = line.dropFirst(ticks.count).trimmingCharacters(in: " \t\r").lowercased()
        let language = info.split(separator: " ").first.map(String.init) ?? ""
        return (String(ticks), ["", "python", "py", "python3", "python3.11"].contains(language))
    }
}

extension StringProtocol {
    func trimmingTrailingWhitespace() -> String {
        var text = String(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }

    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
