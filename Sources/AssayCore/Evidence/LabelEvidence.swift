/// The evidence of a label or exact-label grade: the expected label, the labels the answer
/// named, and why the grade is what it is.
public struct LabelEvidence: GradeEvidence {
    /// The case's expected label.
    public var expected: String?
    /// The declared labels the answer named (the label grader's), in the order named.
    public var mentioned: [String]?
    /// The text that named the one label found.
    public var matched: String?
    /// The answer named a label the suite does not declare.
    public var offLabel: Bool
    /// The answer named more than one label: graded wrong, counted apart in the confusion matrix.
    public var ambiguous: Bool
    /// Why the answer could not be graded (the case has no expected label).
    public var reason: String?

    public init(
        expected: String? = nil, mentioned: [String]? = nil, matched: String? = nil, offLabel: Bool = false,
        ambiguous: Bool = false,
        reason: String? = nil
    ) {
        self.expected = expected
        self.mentioned = mentioned
        self.matched = matched
        self.offLabel = offLabel
        self.ambiguous = ambiguous
        self.reason = reason
    }

    private enum Key {
        static let expected = "expected", mentioned = "mentioned", matched = "matched", offLabel = "off_label"
        static let ambiguous = "ambiguous", reason = "reason"
    }

    public init?(evidence: [String: JSONValue]) {
        let keys = [Key.expected, Key.mentioned, Key.matched, Key.offLabel, Key.ambiguous, Key.reason]
        guard keys.contains(where: { evidence[$0] != nil }) else { return nil }
        self.init(
            expected: evidence[Key.expected]?.stringValue,
            mentioned: evidence[Key.mentioned]?.arrayValue?.compactMap(\.stringValue),
            matched: evidence[Key.matched]?.stringValue, offLabel: evidence[Key.offLabel]?.boolValue == true,
            ambiguous: evidence[Key.ambiguous]?.boolValue == true, reason: evidence[Key.reason]?.stringValue)
    }

    public var evidence: [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        if let expected { fields[Key.expected] = .string(expected) }
        if let mentioned { fields[Key.mentioned] = .array(mentioned.map { .string($0) }) }
        if let matched { fields[Key.matched] = .string(matched) }
        if offLabel { fields[Key.offLabel] = true }
        if ambiguous { fields[Key.ambiguous] = true }
        if let reason { fields[Key.reason] = .string(reason) }
        return fields
    }
}
