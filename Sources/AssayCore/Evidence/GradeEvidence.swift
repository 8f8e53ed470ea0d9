/// A grader kind's evidence, typed: what a grader writes into `Grade.evidence` and what
/// analysis and reports read back through `Grade`'s accessors (`labelEvidence`,
/// `ocrEvidence`, `codeEvidence`, ...).
///
/// The store keeps evidence as a JSON object; each conforming type is the only writer and
/// reader of its keys (`evidence` and `init?(evidence:)`), so that the JSON on disk keeps its
/// keys while no code outside a grader reads evidence by a string key.
public protocol GradeEvidence: Sendable, Hashable {
    /// The evidence as the JSON object a grade carries and the store keeps.
    var evidence: [String: JSONValue] { get }
    /// The evidence a grade's JSON object holds; nil when it holds none of this kind's fields.
    init?(evidence: [String: JSONValue])
}

extension Grade {
    /// A grade whose evidence is one grader kind's typed evidence.
    public init(
        outcome: Outcome, score: Double, extracted: String? = nil, rule: String? = nil, evidence: some GradeEvidence,
        failure: String? = nil
    ) {
        self.init(
            outcome: outcome, score: score, extracted: extracted, rule: rule, evidence: evidence.evidence,
            failure: failure)
    }

    /// The label or exact-label grader's evidence; nil when the grade holds none.
    public var labelEvidence: LabelEvidence? { LabelEvidence(evidence: evidence) }
    /// The OCR grader's evidence (edit counts and rates); nil when the grade holds none.
    public var ocrEvidence: OCREvidence? { OCREvidence(evidence: evidence) }
    /// The code grader's evidence (how the execution ended, the failing assertion); nil when the grade holds none.
    public var codeEvidence: CodeEvidence? { CodeEvidence(evidence: evidence) }
    /// The numeric grader's evidence; nil when the grade holds none.
    public var numericEvidence: NumericEvidence? { NumericEvidence(evidence: evidence) }
    /// The math grader's evidence; nil when the grade holds none.
    public var mathEvidence: MathEvidence? { MathEvidence(evidence: evidence) }
    /// The tools grader's first mismatch; nil when the grade holds none.
    public var toolCallMismatch: ToolCallMismatch? { ToolCallMismatch(evidence: evidence) }
    /// The fields grader's evidence (JSON and schema validity, each field's verdict); nil when the grade holds none.
    public var fieldsEvidence: FieldsEvidence? { FieldsEvidence(evidence: evidence) }
    /// The function calls a tools grade holds; nil when it holds none (not a tools grade).
    public var toolCalls: [ToolCall]? { ToolCall.calls(in: evidence) }
}
