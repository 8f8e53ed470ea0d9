/// The brace walker the math and numeric graders share: where a TeX group `{…}` closes.
enum LaTeXBraces {
    /// The index of the `}` that closes the group whose contents start at `contentStart` (just
    /// after its `{`): nested groups walked, escaped braces (`\{`, `\}`) and every other `\x`
    /// skipped. Nil when it does not close before `limit` (the end of `s` by default).
    static func closing(in s: [Unicode.Scalar], contentStart: Int, limit: Int? = nil) -> Int? {
        let end = min(limit ?? s.count, s.count)
        var depth = 1
        var i = contentStart
        while i < end {
            switch s[i] {
            case "\\":
                i += 2
                continue
            case "{":
                depth += 1
            case "}":
                depth -= 1
                if depth == 0 { return i }
            default:
                break
            }
            i += 1
        }
        return nil
    }
}
