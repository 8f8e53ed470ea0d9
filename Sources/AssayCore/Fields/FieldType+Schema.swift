extension FieldType {
    /// The longest text a date or an amount may be written as.
    public static let maxWrittenLength = 40

    /// The JSON Schema of a value of this type: what a `json_schema` request asks for and
    /// what the `fields` grader holds an answer to. Every declared field is required and no
    /// other is allowed (as OpenAI's strict mode wants); an amount is a number or text (so
    /// that `"¥1,234.50"` is valid); a date is text. Dates and amounts written as text are at
    /// most `maxWrittenLength` characters: no writing of one needs more, and a model held to
    /// the schema by a grammar cannot run on inside one.
    public var jsonSchema: JSONValue {
        switch self {
        case .string(let maxLength?):
            return ["type": "string", "maxLength": .int(maxLength)]
        case .string:
            return ["type": "string"]
        case .date:
            return ["type": "string", "maxLength": .int(Self.maxWrittenLength)]
        case .amount:
            return ["anyOf": [["type": "number"], ["type": "string", "maxLength": .int(Self.maxWrittenLength)]]]
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
