/// The evidence of a numeric grade: the expected number, the value taken from the answer,
/// how they were compared, and why an answer could not be graded.
public struct NumericEvidence: GradeEvidence {
    /// The expected number, as written exactly.
    public var expected: String?
    /// The value taken from the answer.
    public var value: String?
    /// How the two were compared, when not exactly (`within tolerance`).
    public var compared: String?
    /// Why the answer could not be graded.
    public var reason: String?

    public init(expected: String? = nil, value: String? = nil, compared: String? = nil, reason: String? = nil) {
        self.expected = expected
        self.value = value
        self.compared = compared
        self.reason = reason
    }

    private enum Key {
        static let expected = "expected", value = "value", compared = "compared", reason = "reason"
    }

    public init?(evidence: [String: JSONValue]) {
        guard [Key.expected, Key.value, Key.compared, Key.reason].contains(where: { evidence[$0] != nil }) else {
            return nil
        }
        self.init(
            expected: evidence[Key.expected]?.stringValue, value: evidence[Key.value]?.stringValue,
            compared: evidence[Key.compared]?.stringValue, reason: evidence[Key.reason]?.stringValue)
    }

    public var evidence: [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        if let expected { fields[Key.expected] = .string(expected) }
        if let value { fields[Key.value] = .string(value) }
        if let compared { fields[Key.compared] = .string(compared) }
        if let reason { fields[Key.reason] = .string(reason) }
        return fields
    }
}
