extension StringProtocol {
    /// The text's lines, split at LF, CRLF and CR: a file or an answer written on Windows reads
    /// like any other. (In Swift, CRLF is one Character, which a split at "\n" never finds.)
    /// Other Unicode line separators (U+2028, U+0085) do not split: they may stand inside a
    /// JSON string of a JSON Lines file.
    public func lines(omittingEmpty: Bool = false) -> [SubSequence] {
        split(omittingEmptySubsequences: omittingEmpty) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
    }
}
