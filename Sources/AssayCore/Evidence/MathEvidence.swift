/// The evidence of a math grade: the gold answer it was compared with, and why an answer
/// could not be graded (no final answer, not parsed, not decided within the budget).
public struct MathEvidence: GradeEvidence {
    /// The gold's final answer.
    public var expected: String?
    /// Why the answer could not be graded.
    public var reason: String?

    public init(expected: String? = nil, reason: String? = nil) {
        self.expected = expected
        self.reason = reason
    }

    private enum Key {
        static let expected = "expected", reason = "reason"
    }

    public init?(evidence: [String: JSONValue]) {
        guard evidence[Key.expected] != nil || evidence[Key.reason] != nil else { return nil }
        self.init(expected: evidence[Key.expected]?.stringValue, reason: evidence[Key.reason]?.stringValue)
    }

    public var evidence: [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        if let expected { fields[Key.expected] = .string(expected) }
        if let reason { fields[Key.reason] = .string(reason) }
        return fields
    }
}
