/// A grader's verdict on one answer, with the evidence behind it.
public struct Grade: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        /// Right.
        case pass
        /// Wrong.
        case fail
        /// No gradable answer could be found in the text (no label, no number, no code).
        case invalid
        /// The grader could not grade (its sandbox failed to start): nothing is known about
        /// the answer. The runner stores the item as an error, never as a wrong answer.
        case error
    }

    public var outcome: Outcome
    /// 0...1: 1 or 0 for right/wrong graders; a partial score where the grader has one.
    public var score: Double
    /// What the grader took from the answer (a label, a number, a code block).
    public var extracted: String?
    /// How it was extracted (which rule matched), for the reports.
    public var rule: String?
    /// Everything else a reader needs to trust the verdict.
    public var evidence: [String: JSONValue]
    /// Why the grader could not grade, for an `error` outcome.
    public var failure: String?

    public init(
        outcome: Outcome, score: Double, extracted: String? = nil, rule: String? = nil,
        evidence: [String: JSONValue] = [:], failure: String? = nil
    ) {
        self.outcome = outcome
        self.score = score
        self.extracted = extracted
        self.rule = rule
        self.evidence = evidence
        self.failure = failure
    }
}
