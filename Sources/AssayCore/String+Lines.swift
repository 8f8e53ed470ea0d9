extension StringProtocol {
    /// The text's lines, split at LF, CRLF and CR: a file or an answer written on Windows reads
    /// like any other. (In Swift, CRLF is one Character, which a split at "\n" never finds.)
    /// Other Unicode line separators (U+2028, U+0085) do not split: they may stand inside a
    /// JSON string of a JSON Lines file.
    ///
    /// Split byte by byte in UTF-8 (LF and CR are ASCII, and a grapheme always breaks at
    /// them, so the lines are those a split by Character finds): splitting by Character made
    /// loading a large suite's cases a third slower.
    ///
    /// Inlinable, so that each caller's module specializes it for its own string type: called
    /// through the protocol's witnesses, byte by byte, it was a sixth of loading a suite.
    @inlinable
    public func lines(omittingEmpty: Bool = false) -> [SubSequence] {
        let utf8 = self.utf8
        var lines: [SubSequence] = []
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let byte = utf8[index]
            guard byte == 0x0A || byte == 0x0D else {
                index = utf8.index(after: index)
                continue
            }
            if !omittingEmpty || start != index { lines.append(self[start..<index]) }
            index = utf8.index(after: index)
            if byte == 0x0D, index != utf8.endIndex, utf8[index] == 0x0A { index = utf8.index(after: index) }
            start = index
        }
        if !omittingEmpty || start != utf8.endIndex { lines.append(self[start..<utf8.endIndex]) }
        return lines
    }
}
