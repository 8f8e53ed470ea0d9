/// The evidence of an all-values grade: the expected values the answer holds and those it
/// lacks.
public struct ValuesEvidence: GradeEvidence {
    public var found: [String]
    public var missing: [String]

    public init(found: [String], missing: [String]) {
        self.found = found
        self.missing = missing
    }

    private enum Key {
        static let found = "values_found", missing = "values_missing"
    }

    public init?(evidence: [String: JSONValue]) {
        guard evidence[Key.found] != nil || evidence[Key.missing] != nil else { return nil }
        self.init(
            found: evidence[Key.found]?.arrayValue?.compactMap(\.stringValue) ?? [],
            missing: evidence[Key.missing]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    public var evidence: [String: JSONValue] {
        [Key.found: .array(found.map { .string($0) }), Key.missing: .array(missing.map { .string($0) })]
    }
}

extension Grade {
    /// The all-values grader's evidence; nil when the grade holds none.
    public var valuesEvidence: ValuesEvidence? { ValuesEvidence(evidence: evidence) }
}
