/// The evidence of a `fields` grade: whether the answer held JSON and followed the schema,
/// whether prose came with it, and each field's verdict with what was expected and what
/// was written, counted as field-level true and false positives for micro F1.
public struct FieldsEvidence: GradeEvidence {
    /// One field's verdict (a top-level field, or a nested object's field by its dotted path).
    public struct Field: Sendable, Hashable {
        public var path: String
        public var correct: Bool
        /// The expected value, normalised (`2026-03-14`, `128.50`); a list as JSON.
        public var expected: String
        /// The value as the answer wrote it; nil when the answer has none.
        public var extracted: String?
        /// Values right, values written but wrong or extra, values expected but not given:
        /// one each for a scalar, one per element for a list (scored as a set).
        public var truePositives: Int
        public var falsePositives: Int
        public var falseNegatives: Int

        public init(
            path: String, correct: Bool, expected: String, extracted: String?, truePositives: Int,
            falsePositives: Int, falseNegatives: Int
        ) {
            self.path = path
            self.correct = correct
            self.expected = expected
            self.extracted = extracted
            self.truePositives = truePositives
            self.falsePositives = falsePositives
            self.falseNegatives = falseNegatives
        }
    }

    /// Why no JSON could be read from the answer; nil when it could.
    public var jsonError: String?
    /// How the answer broke the schema (first few); empty when it followed it.
    public var schemaErrors: [String]
    /// Text came with the JSON (a sentence before it, a fenced block among prose).
    public var prose: Bool
    public var fields: [Field]

    public init(jsonError: String? = nil, schemaErrors: [String] = [], prose: Bool = false, fields: [Field]) {
        self.jsonError = jsonError
        self.schemaErrors = schemaErrors
        self.prose = prose
        self.fields = fields
    }

    public var jsonValid: Bool { jsonError == nil }
    public var schemaValid: Bool { jsonError == nil && schemaErrors.isEmpty }

    private enum Key {
        static let fields = "fields", jsonError = "json_error", schemaErrors = "schema_errors", prose = "prose"
        static let path = "field", correct = "ok", expected = "expected", extracted = "got"
        static let truePositives = "tp", falsePositives = "fp", falseNegatives = "fn"
    }

    /// Nil unless the evidence holds the field list, which every fields grade writes.
    public init?(evidence: [String: JSONValue]) {
        guard case .array(let rows)? = evidence[Key.fields] else { return nil }
        self.init(
            jsonError: evidence[Key.jsonError]?.stringValue,
            schemaErrors: evidence[Key.schemaErrors]?.arrayValue?.compactMap(\.stringValue) ?? [],
            prose: evidence[Key.prose]?.boolValue == true,
            fields: rows.compactMap { row in
                guard case .object(let row) = row, let path = row[Key.path]?.stringValue else { return nil }
                return Field(
                    path: path, correct: row[Key.correct]?.boolValue == true,
                    expected: row[Key.expected]?.stringValue ?? "", extracted: row[Key.extracted]?.stringValue,
                    truePositives: row[Key.truePositives]?.intValue ?? 0,
                    falsePositives: row[Key.falsePositives]?.intValue ?? 0,
                    falseNegatives: row[Key.falseNegatives]?.intValue ?? 0)
            })
    }

    public var evidence: [String: JSONValue] {
        var out: [String: JSONValue] = [
            Key.fields: .array(
                fields.map { field in
                    var row: [String: JSONValue] = [
                        Key.path: .string(field.path), Key.correct: .bool(field.correct),
                        Key.expected: .string(field.expected), Key.truePositives: .int(field.truePositives),
                        Key.falsePositives: .int(field.falsePositives), Key.falseNegatives: .int(field.falseNegatives),
                    ]
                    if let extracted = field.extracted { row[Key.extracted] = .string(extracted) }
                    return .object(row)
                })
        ]
        if let jsonError { out[Key.jsonError] = .string(jsonError) }
        if !schemaErrors.isEmpty { out[Key.schemaErrors] = .array(schemaErrors.map(JSONValue.string)) }
        if prose { out[Key.prose] = true }
        return out
    }
}
