/// The structured output a suite asks for (`response_format` in suite.yaml), as OpenAI
/// defines it: JSON mode, or output that follows a JSON Schema.
public enum ResponseFormat: Sendable, Hashable, Codable {
    /// `{"type": "json_object"}`: any JSON object.
    case jsonObject
    /// `{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}`.
    case jsonSchema(name: String, schema: JSONValue, strict: Bool)

    /// The schema answers must follow; nil for JSON mode.
    public var schema: JSONValue? {
        if case .jsonSchema(_, let schema, _) = self { return schema }
        return nil
    }

    /// How a model with `capabilities` is asked for this format.
    public func mode(for capabilities: Set<Capability>) -> StructuredOutputMode {
        switch self {
        case .jsonSchema:
            if capabilities.contains(.jsonSchema) { return .jsonSchema }
            return capabilities.contains(.jsonObject) ? .jsonObject : .prompt
        case .jsonObject:
            return capabilities.contains(.jsonObject) || capabilities.contains(.jsonSchema) ? .jsonObject : .prompt
        }
    }
}

/// How one model was asked for a suite's structured output: what went on the wire, and
/// whether the schema was written into the prompt instead. Reports say which, per model.
public enum StructuredOutputMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// `response_format` with the schema: the server constrains the answer.
    case jsonSchema = "json_schema"
    /// `response_format: json_object`; a schema, if the suite has one, is in the prompt.
    case jsonObject = "json_object"
    /// No `response_format` (the model's catalog entry lacks it): the prompt asks for JSON
    /// and carries the schema.
    case prompt

    /// The format sent on the wire for a suite's `format`, nil when none is.
    public func wireFormat(_ format: ResponseFormat) -> ResponseFormat? {
        switch self {
        case .jsonSchema: format
        case .jsonObject: .jsonObject
        case .prompt: nil
        }
    }

    /// Whether the prompt must carry the instruction (and the schema, when there is one).
    public func promptsForJSON(_ format: ResponseFormat) -> Bool {
        switch self {
        case .jsonSchema: false
        case .jsonObject: format.schema != nil
        case .prompt: true
        }
    }

    /// The words a report uses: "response_format json_schema", "json_object + schema in the prompt".
    public func title(_ format: ResponseFormat) -> String {
        switch self {
        case .jsonSchema: "response_format json_schema"
        case .jsonObject: format.schema == nil ? "response_format json_object" : "json_object + schema in the prompt"
        case .prompt: format.schema == nil ? "JSON asked for in the prompt" : "schema in the prompt"
        }
    }

    /// What the system prompt gains when the prompt asks for JSON: the instruction, and the
    /// schema as compact JSON.
    public static func instruction(_ format: ResponseFormat) -> String {
        guard let schema = format.schema else { return "Reply with one JSON object only." }
        return "Reply with one JSON object only, valid against this JSON Schema:\n" + schema.compactJSON
    }
}
