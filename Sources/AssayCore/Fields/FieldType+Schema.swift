extension FieldType {
    /// The JSON Schema of a value of this type: what a `json_schema` request asks for and
    /// what the `fields` grader holds an answer to. Every declared field is required and no
    /// other is allowed (as OpenAI's strict mode wants); an amount is a number or text (so
    /// that `"¥1,234.50"` is valid); a date is text.
    public var jsonSchema: JSONValue {
        switch self {
        case .string(let maxLength?):
            return ["type": "string", "maxLength": .int(maxLength)]
        case .string, .date:
            return ["type": "string"]
        case .amount:
            return ["anyOf": [["type": "number"], ["type": "string"]]]
        case .enumeration(let values):
            return ["type": "string", "enum": .array(values.map(JSONValue.string))]
        case .list(let element, let maxItems):
            var schema: [String: JSONValue] = ["type": "array", "items": element.jsonSchema]
            if let maxItems { schema["maxItems"] = .int(maxItems) }
            return .object(schema)
        case .object(let fields):
            return [
                "type": "object",
                "properties": .object(fields.mapValues(\.jsonSchema)),
                "required": .array(fields.keys.sorted().map(JSONValue.string)),
                "additionalProperties": false,
            ]
        }
    }
}
