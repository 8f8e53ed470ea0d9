import AssayConfig
import AssayCore

extension SuiteHeader {
    /// `response_format`: `json_object`, `json_schema` (the schema made from the `fields`
    /// grader's declarations), or a mapping `{type: json_schema, strict: false, name: N,
    /// schema: {...}}` with a schema of its own. Strict unless it says otherwise.
    mutating func readResponseFormat(_ node: YAMLNode, file: YAMLFile) -> ResponseFormat? {
        let expected =
            "'response_format' must be json_object, json_schema, or a mapping with type, strict, name, schema"
        var type = node.scalarText
        var strict = true
        var name: String?
        var schema: JSONValue?
        if node.isMapping {
            problems += file.unknownKeys(
                in: node, allowed: ["type", "strict", "name", "schema"], context: "response_format")
            type = node["type"]?.scalarText
            if let value = node["strict"] {
                guard let flag = value.json.boolValue else {
                    problems.append(file.diagnostic(at: value, "'response_format.strict' must be true or false"))
                    return nil
                }
                strict = flag
            }
            if let value = node["name"] {
                guard let text = value.scalarText, Self.isSchemaName(text) else {
                    problems.append(
                        file.diagnostic(
                            at: value, "'response_format.name' may use only letters, digits, '_' and '-' (at most 64)"))
                    return nil
                }
                name = text
            }
            if let value = node["schema"] {
                guard value.isMapping else {
                    problems.append(
                        file.diagnostic(at: value, "'response_format.schema' must be a JSON Schema mapping"))
                    return nil
                }
                schema = value.json
            }
        }
        switch type {
        case "json_object":
            if schema != nil {
                problems.append(
                    file.diagnostic(at: node, "a json_object response_format takes no schema; use type json_schema"))
                return nil
            }
            return .jsonObject
        case "json_schema":
            guard let schema = schema ?? fieldsSchema() else {
                problems.append(
                    file.diagnostic(
                        at: node,
                        "a json_schema response_format needs a 'schema', or a fields grader whose 'fields' make one"))
                return nil
            }
            return .jsonSchema(name: name ?? Self.schemaName(id), schema: schema, strict: strict)
        default:
            problems.append(file.diagnostic(at: node, expected))
            return nil
        }
    }

    /// The schema the `fields` grader's declarations make; nil when the grader is another
    /// or its declarations cannot be read (the grader says why, at their line).
    private func fieldsSchema() -> JSONValue? {
        guard let grader, grader.name == .fields, let declared = grader.settings["fields"],
            let type = try? FieldType(declaration: declared, path: ""), case .object = type
        else { return nil }
        return type.jsonSchema
    }

    /// OpenAI's rule for a schema's name.
    static func isSchemaName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { isIDScalar($0) && $0 != "." }
    }

    /// A schema name made from the suite id: '.' becomes '_'.
    static func schemaName(_ id: String?) -> String {
        let name = String((id ?? "answer").map { $0 == "." ? "_" : $0 }.prefix(64))
        return isSchemaName(name) ? name : "answer"
    }
}
