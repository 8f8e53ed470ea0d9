import Foundation

extension BoundedRegex {
    /// Every match of `regex` in `text`, in order (empty matches left out); nil when finding
    /// them ran past `timeLimit` seconds in all, so that a caller that must not miss one (a
    /// redaction) can refuse rather than hang or go on with what was found.
    ///
    /// Unlike `matches(_:in:)`, a pattern that ran out of time here is not given up for the
    /// process: the caller decides what a timeout means.
    public static func ranges(
        of regex: NSRegularExpression, in text: String, timeLimit: Double = BoundedRegex.timeLimit
    ) -> [Range<String.Index>]? {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(timeLimit * 1000))
        var found: [Range<String.Index>] = []
        var gaveUp = false
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) {
            result, _, stop in
            if let result, result.range.length > 0, let range = Range(result.range, in: text) {
                found.append(range)
            }
            if clock.now > deadline {
                gaveUp = true
                stop.pointee = true
            }
        }
        return gaveUp ? nil : found
    }
}
